/**
 * The problem sizes the benchmark times: the yardstick's sizes
 * (/work/shared/yardstick/numpy_step.py, SIZES), so every row has a numpy twin.
 */

/** One benchmarked problem: a registered solver kind at d, k (and n samples). */
export interface BenchSize {
  /** A registered `problem.kind`: "population", "matrix-sensing", "quadratic-net". */
  kind: string;
  d: number;
  k: number;
  /** Training samples (ignored by the population loss; 0 there). */
  n: number;
  /**
   * Time a whole default-length run (train + fine-tune, default config at this
   * size). Undefined: only when the estimate from data + step time is under
   * WHOLE_RUN_BUDGET_S.
   */
  wholeRun?: boolean;
}

/** The yardstick's sizes; sensing (40, 80, 4000) always gets a whole run. */
export const DEFAULT_BENCH_SIZES: readonly BenchSize[] = [
  { kind: "population", d: 200, k: 400, n: 0 },
  { kind: "matrix-sensing", d: 20, k: 40, n: 2000 },
  { kind: "matrix-sensing", d: 40, k: 80, n: 4000, wholeRun: true },
  { kind: "matrix-sensing", d: 50, k: 100, n: 5000 },
  { kind: "quadratic-net", d: 50, k: 100, n: 10000 },
  { kind: "quadratic-net", d: 200, k: 400, n: 50000 },
];

/** A whole run is timed without being asked for when data + steps are estimated below this. */
export const WHOLE_RUN_BUDGET_S = 20;

/** The yardstick's name for a solver kind (its `--model` choices). */
export function yardstickModel(kind: string): string {
  return kind === "matrix-sensing" ? "sensing" : kind;
}

/** "matrix-sensing d=40 k=80 n=4000" */
export function sizeLabel(s: BenchSize): string {
  return `${s.kind} d=${s.d} k=${s.k}${s.n > 0 ? ` n=${s.n}` : ""}`;
}
