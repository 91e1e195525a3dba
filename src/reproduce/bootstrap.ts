/**
 * Log–log slopes with a confidence interval from a bootstrap over seeds, as the
 * built-in claims read them: the shared fit of src/stats (seeds resampled with
 * replacement, a seed bringing all its runs; the mean y at each x refitted; the
 * percentile range of the refitted slopes), on a stream keyed by the claim, so
 * the same runs give the same interval on every machine.
 */
import { fitLogLogSlope, leastSquaresSlope } from "../stats/stats.js";

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
export const slope = (x: number[], y: number[]): number => leastSquaresSlope(x, y);

/** The log–log slope of the mean y against x, and its percentile bootstrap interval over seeds. */
export function slopeInterval(points: SlopePoint[], key: string, resamples = BOOTSTRAP_RESAMPLES, level = BOOTSTRAP_LEVEL): SlopeInterval {
  const fit = fitLogLogSlope(
    points.map((p) => ({ x: p.x, y: p.y, unit: String(p.seed) })),
    { aggregate: "mean", level, resamples, stream: `bootstrap:${key}` },
  );
  return { slope: fit.slope, lo: fit.interval[0], hi: fit.interval[1], seeds: fit.units };
}
