/** `prune-sense bench`: time data generation, a gradient step and whole runs beside numpy, and sweep scaling. */
import type { Command } from "commander";
import { parsePositiveInt, type Io } from "../io.js";

export function registerBench(program: Command, io: Io): void {
  program
    .command("bench")
    .description("time data generation, one gradient step and whole runs per solver and size, beside numpy")
    .option("--quick", "a smoke run: few steps, no whole runs, no sweep scaling")
    .option("--json", "print the report as JSON")
    .option("--reps <n>", "timed steps per size (default 30)", parsePositiveInt("--reps"))
    .option("--yardstick <path>", "numpy yardstick script (default: ../shared/yardstick/numpy_step.py if present)")
    .option("--sufficient-yardstick <path>", "numpy sufficient-statistics yardstick timed as whole processes (default: ../shared/yardstick/numpy_sufficient_stats.py if present)")
    .option("--no-yardstick", "do not run numpy")
    .option("--no-whole-process", "skip the whole-process runs against numpy_sufficient_stats.py (single runs and the batched 32-run sweep) and the start-up times")
    .option("--no-scaling", "skip the sweep's --jobs 1 vs 2 timing")
    .addHelpText("after", "\nExamples:\n  $ prune-sense bench\n  $ prune-sense bench --yardstick ../shared/yardstick/numpy_step.py --json > bench.json")
    .action(async (opts: {
      quick?: boolean; json?: boolean; reps?: number; yardstick?: string | false; sufficientYardstick?: string;
      scaling: boolean; wholeProcess: boolean;
    }) => {
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { runBenchmark } = await import("../../bench/index.js");
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { measureSweepScaling, measureTwoDataSweep } = await import("../../bench/sweep-scaling.js");
      const report = await runBenchmark({
        quick: Boolean(opts.quick),
        reps: opts.reps,
        yardstick: opts.yardstick === false ? null : opts.yardstick,
        onLine: opts.json ? undefined : (line) => io.info(line),
      });
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { measureWholeProcess } = await import("../../bench/whole-process.js");
      const whole = opts.wholeProcess && !opts.quick
        ? measureWholeProcess({
          yardstick: opts.yardstick === false ? null : opts.sufficientYardstick,
          onLine: opts.json ? undefined : (line) => io.info(line),
        })
        : null;
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { formatBatchedSweep, measureBatchedSweep } = await import("../../bench/batched-sweep.js");
      const batched = opts.wholeProcess && !opts.quick
        ? measureBatchedSweep({
          yardstick: opts.yardstick === false ? null : opts.sufficientYardstick,
          onLine: opts.json ? undefined : (line) => io.info(line),
        })
        : null;
      const scaling = opts.scaling && !opts.quick ? measureSweepScaling() : null;
      const twoData = opts.scaling && !opts.quick ? measureTwoDataSweep() : null;
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { formatFullBenchReport } = await import("../../bench/report.js");
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { packageVersion } = await import("../../package/assets.js");
      const full = { prune_sense: packageVersion(), ...report, whole_process: whole, batched_sweep: batched, sweep_scaling: scaling, sweep_two_data_sets: twoData };
      if (opts.json) {
        io.out(JSON.stringify(full, null, 2));
        return;
      }
      io.out(formatFullBenchReport(full));
    });
}
