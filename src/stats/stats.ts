/**
 * The statistics of claims (`check`'s and `reproduce`'s): aggregates over a group's runs, the least-squares
 * log–log slope, and its bootstrap interval over seeds (resampling whole seeds,
 * so that runs sharing a seed's ground truth and data move together). The
 * bootstrap draws from a seeded stream: the same file and folder give the same
 * interval on every machine.
 */
import { createStream } from "../random/streams.js";

/** Mean of the values; NaN for none (and whenever one is NaN: no value is silently dropped). */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Median (the mean of the middle two for an even count); NaN for none or if any is NaN. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0 || xs.some(Number.isNaN)) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Smallest value; NaN for none or if any is NaN (Math.min already propagates NaN). */
export function min(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => Math.min(a, b));
}

export function max(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => Math.max(a, b));
}

/**
 * Least-squares slope of y against x (NaN when x has no spread).
 * @example leastSquaresSlope([0, 1, 2], [1, 3, 5]) // 2
 */
export function leastSquaresSlope(x: ArrayLike<number>, y: ArrayLike<number>, len = x.length): number {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < len; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= len;
  my /= len;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < len; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxx === 0 ? NaN : sxy / sxx;
}

/** The q-quantile of sorted values, interpolating linearly between neighbours. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Points of a slope fit: each run's x, y and the bootstrap unit (its seed) it belongs to. */
export interface SlopePoint {
  x: number;
  y: number;
  unit: string;
}

export interface SlopeFit {
  /** The distinct x values, ascending, and the aggregate of y at each. */
  xs: number[];
  ys: number[];
  slope: number;
  /** The bootstrap interval [low, high]. */
  interval: [number, number];
  /** Bootstrap units (seeds). */
  units: number;
  /** Resamples with fewer than two x values left, which give no slope and are not counted. */
  skipped: number;
}

/**
 * Fit log(aggregate of y at each x) against log(x) and a percentile bootstrap
 * interval: each resample draws as many units (seeds) as there are, with
 * replacement, and refits on the runs of the drawn units (a unit drawn twice
 * counts twice). x and the aggregates must be > 0 (the caller checks).
 * O(resamples · (units + levels)) with every buffer allocated once.
 * `stream` names the seeded stream of the draws (callers prefix their own: "check:…", "bootstrap:…").
 * @example fitLogLogSlope(points, { aggregate: "mean", level: 0.95, resamples: 2000, stream: "check:claim:group" })
 */
export function fitLogLogSlope(
  points: readonly SlopePoint[],
  o: { aggregate: "mean" | "median"; level: number; resamples: number; stream: string },
): SlopeFit {
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const units = [...new Set(points.map((p) => p.unit))].sort();
  const agg = o.aggregate === "mean" ? mean : median;
  const ys = xs.map((x) => agg(points.filter((p) => p.x === x).map((p) => p.y)));
  const logX = Float64Array.from(xs, Math.log);
  const slope = leastSquaresSlope(logX, Float64Array.from(ys, Math.log));
  // per unit and level: the unit's y values there (kept as lists for the median)
  const L = xs.length;
  const U = units.length;
  const cells: number[][] = Array.from({ length: U * L }, () => []);
  for (const p of points) cells[units.indexOf(p.unit) * L + xs.indexOf(p.x)].push(p.y);
  const drawn = new Int32Array(U);
  const fitX = new Float64Array(L);
  const fitY = new Float64Array(L);
  const pool: number[] = [];
  const slopes = new Float64Array(o.resamples);
  let got = 0;
  let skipped = 0;
  const rng = createStream(o.stream);
  for (let b = 0; b < o.resamples; b++) {
    for (let i = 0; i < U; i++) drawn[i] = Math.floor(rng.uniform() * U);
    let n = 0;
    for (let l = 0; l < L; l++) {
      pool.length = 0;
      for (let i = 0; i < U; i++) for (const y of cells[drawn[i] * L + l]) pool.push(y);
      if (pool.length === 0) continue;
      fitX[n] = logX[l];
      fitY[n] = Math.log(agg(pool));
      n++;
    }
    if (n < 2) {
      skipped++;
      continue;
    }
    slopes[got++] = leastSquaresSlope(fitX, fitY, n);
  }
  const sorted = slopes.subarray(0, got).sort();
  const tail = (1 - o.level) / 2;
  const interval: [number, number] = got === 0 ? [NaN, NaN] : [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)];
  return { xs, ys, slope, interval, units: U, skipped };
}
