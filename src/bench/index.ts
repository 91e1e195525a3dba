/** The speed benchmark (`prune-sense bench`): ours vs the numpy yardstick. */
export { runBenchmark, QUICK_REPS, QUICK_STEP_BUDGET_S, STEP_BUDGET_S, type BenchOptions, type BenchReport, type BenchRow, type NumpyTimes, type WholeRunTimes } from "./benchmark.js";
export { formatBenchTable } from "./format.js";
export { DEFAULT_BENCH_SIZES, WHOLE_RUN_BUDGET_S, type BenchSize } from "./sizes.js";
export { DEFAULT_YARDSTICK } from "./yardstick.js";
