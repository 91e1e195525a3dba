/**
 * Log–log slopes with a confidence interval from a bootstrap over seeds: the
 * seeds are resampled with replacement (a seed brings all its runs, so the
 * pairing across x is kept), the mean y at each x is refitted, and the interval
 * is the percentile range of the refitted slopes. Seeded by a key: the same runs
 * give the same interval on every machine.
 */
import { createStream } from "../random/streams.js";

/** Resamples per interval: the 2.5% and 97.5% percentiles move by < 0.01 in slope beyond ~1000. */
export const BOOTSTRAP_RESAMPLES = 2000;
/** The interval's coverage. */
export const BOOTSTRAP_LEVEL = 0.95;

export interface SlopePoint {
  seed: number;
  x: number;
  y: number;
}

export interface SlopeInterval {
  slope: number;
  lo: number;
  hi: number;
  seeds: number;
}

/** Least-squares slope of y against x. */
export function slope(x: number[], y: number[]): number {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) {
    mx += x[i] / x.length;
    my += y[i] / x.length;
  }
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** Slope of log(mean y at x) against log x, the mean over `seeds` (with repeats: a resample). */
function logLogSlope(xs: number[], bySeed: Map<number, Map<number, number[]>>, seeds: number[]): number {
  const lx: number[] = [];
  const ly: number[] = [];
  for (const x of xs) {
    let sum = 0;
    let count = 0;
    for (const s of seeds) for (const y of bySeed.get(s)?.get(x) ?? []) {
      sum += y;
      count++;
    }
    if (count === 0) continue;
    lx.push(Math.log(x));
    ly.push(Math.log(sum / count));
  }
  return lx.length >= 2 ? slope(lx, ly) : NaN;
}

/** The log–log slope of the mean y against x, and its percentile bootstrap interval over seeds. */
export function slopeInterval(points: SlopePoint[], key: string, resamples = BOOTSTRAP_RESAMPLES, level = BOOTSTRAP_LEVEL): SlopeInterval {
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const bySeed = new Map<number, Map<number, number[]>>();
  for (const p of points) {
    const at = bySeed.get(p.seed) ?? new Map<number, number[]>();
    at.set(p.x, [...(at.get(p.x) ?? []), p.y]);
    bySeed.set(p.seed, at);
  }
  const seeds = [...bySeed.keys()].sort((a, b) => a - b);
  const fitted = logLogSlope(xs, bySeed, seeds);
  const rng = createStream(`bootstrap:${key}`);
  const slopes: number[] = [];
  const draw = new Array<number>(seeds.length);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < seeds.length; i++) draw[i] = seeds[Math.floor(rng.uniform() * seeds.length)];
    const s = logLogSlope(xs, bySeed, draw);
    if (Number.isFinite(s)) slopes.push(s);
  }
  slopes.sort((a, b) => a - b);
  const at = (q: number) => (slopes.length ? slopes[Math.min(slopes.length - 1, Math.max(0, Math.floor(q * slopes.length)))] : NaN);
  return { slope: fitted, lo: at((1 - level) / 2), hi: at(1 - (1 - level) / 2), seeds: seeds.length };
}
