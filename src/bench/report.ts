/**
 * The whole benchmark as `bench --json` writes it, and as text: the one
 * rendering the terminal shows and docs/speed.md embeds (generated from the
 * committed docs/bench.json by `npm run docs`, so the tables in the docs are a
 * real run's, never typed in).
 */
import type { BenchReport } from "./benchmark.js";
import { formatBenchTable } from "./index.js";
import { formatBatchedSweep, type BatchedSweepReport } from "./batched-sweep.js";
import { formatScaling, SCALING_CONFIG_NAME, TWO_DATA_LABEL, type ScalingRow } from "./sweep-scaling.js";
import { formatWholeProcess, type WholeProcessReport } from "./whole-process.js";

export interface FullBenchReport extends BenchReport {
  /** The prune-sense version measured (absent in reports of 0.1.0). */
  prune_sense?: string;
  whole_process: WholeProcessReport | null;
  /** Absent in reports before 0.2.0. */
  batched_sweep?: BatchedSweepReport | null;
  sweep_scaling: ScalingRow[] | null;
  sweep_two_data_sets: ScalingRow[] | null;
}

/** Every part of the report that was measured, as the text tables `bench` prints. */
export function formatFullBenchReport(report: FullBenchReport): string {
  const parts = [formatBenchTable(report)];
  if (report.whole_process) parts.push(formatWholeProcess(report.whole_process));
  if (report.batched_sweep) parts.push(formatBatchedSweep(report.batched_sweep));
  if (report.sweep_scaling) parts.push(formatScaling(report.sweep_scaling, SCALING_CONFIG_NAME));
  if (report.sweep_two_data_sets) parts.push(formatScaling(report.sweep_two_data_sets, TWO_DATA_LABEL));
  return parts.join("\n\n");
}
