/**
 * The files of a results folder:
 *   DIR/summary.csv                  one row per run (rebuilt from the records)
 *   DIR/runs/<id>/config.json        the resolved config
 *   DIR/runs/<id>/trace.csv          phase, step, losses, recovery error, gradient norm, columns
 *   DIR/runs/<id>/columns.csv        column norms at stages init, trained, pruned, finetuned
 *   DIR/runs/<id>/result.json        status and metrics; written last, so its presence marks the run complete
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ResolvedConfig } from "../config/resolved.js";
import type { RunMetrics, RunResult, RunStatus } from "../pipeline/run.js";
import type { Scalar } from "../sweep/expand.js";
import { writeFileAtomic, removeStaleTemps } from "./atomic.js";
import { toCsv, type Cell } from "./csv.js";

export const TRACE_COLUMNS = ["phase", "step", "train_loss", "test_loss", "objective", "recovery_error", "grad_norm", "columns"] as const;
export const COLUMN_COLUMNS = ["stage", "column", "norm", "kept"] as const;

/** What result.json holds: enough to rebuild a summary row without re-running. */
export interface RunRecord {
  run_id: string;
  index: number;
  swept: Record<string, Scalar>;
  status: RunStatus;
  error: string;
  diverged_phase: string;
  diverged_step: number | null;
  metrics: RunMetrics;
  seconds: number;
  config: ResolvedConfig;
}

export function runDir(outDir: string, id: string): string {
  return join(outDir, "runs", id);
}

/** Write a run's files; result.json last. */
export function writeRunFiles(outDir: string, record: RunRecord, result: Pick<RunResult, "trace" | "columns">): void {
  const dir = runDir(outDir, record.run_id);
  removeStaleTemps(dir);
  writeFileAtomic(join(dir, "config.json"), `${JSON.stringify(record.config, null, 2)}\n`);
  writeFileAtomic(join(dir, "trace.csv"), toCsv(TRACE_COLUMNS, result.trace as unknown as Array<Record<string, Cell>>));
  writeFileAtomic(join(dir, "columns.csv"), toCsv(COLUMN_COLUMNS, result.columns as unknown as Array<Record<string, Cell>>));
  writeFileAtomic(join(dir, "result.json"), `${JSON.stringify(record, jsonNumbers, 2)}\n`);
}

/** JSON has no NaN/Infinity: write them as strings and read them back. */
function jsonNumbers(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf";
  return value;
}
function reviveNumbers(_key: string, value: unknown): unknown {
  if (value === "NaN") return NaN;
  if (value === "Inf") return Infinity;
  if (value === "-Inf") return -Infinity;
  return value;
}

/** The record of a completed run, or null if the run is absent or incomplete. */
export function readRunRecord(outDir: string, id: string): RunRecord | null {
  const path = join(runDir(outDir, id), "result.json");
  if (!existsSync(path)) return null;
  try {
    const rec = JSON.parse(readFileSync(path, "utf8"), reviveNumbers) as RunRecord;
    return rec.run_id === id ? rec : null;
  } catch {
    return null;
  }
}

export const SUMMARY_COLUMNS = [
  "run_id", "status", "problem", "d", "r", "k", "n", "noise", "lambda", "beta", "threshold", "relative_threshold",
  "seed", "kept_columns", "train_loss", "test_loss", "recovery_error_trained", "test_loss_trained",
  "recovery_error_pruned", "recovery_error", "finetune_rate", "train_steps", "finetune_steps", "kicks",
  "grad_norm_trained", "hessian_min_eig_trained", "diverged_phase", "diverged_step", "error", "seconds",
  "penalty", "optimizer",
] as const;

/** One summary row; final values are after fine-tuning unless the name says otherwise. */
export function summaryRow(rec: RunRecord): Record<string, Cell> {
  const c = rec.config;
  const m = rec.metrics;
  const row: Record<string, Cell> = {
    run_id: rec.run_id, status: rec.status, problem: c.problem.kind, d: c.problem.d, r: c.problem.r, k: c.model.k,
    n: c.problem.n, noise: c.problem.noise, lambda: c.train.lambda, beta: c.train.beta,
    threshold: c.prune.threshold, relative_threshold: c.prune.relative_threshold, seed: c.seed,
    kept_columns: m.kept_columns, train_loss: m.train_loss, test_loss: m.test_loss,
    recovery_error_trained: m.recovery_error_trained, test_loss_trained: m.test_loss_trained,
    recovery_error_pruned: m.recovery_error_pruned, recovery_error: m.recovery_error, finetune_rate: m.finetune_rate,
    train_steps: m.train_steps, finetune_steps: m.finetune_steps, kicks: m.kicks, grad_norm_trained: m.grad_norm_trained,
    hessian_min_eig_trained: m.hessian_min_eig_trained,
    diverged_phase: rec.diverged_phase, diverged_step: rec.diverged_step, error: rec.error, seconds: rec.seconds,
    // records written before penalties and optimizers were configurable used the defaults
    penalty: c.train.penalty?.kind ?? "smooth-group-lasso", optimizer: c.train.optimizer?.kind ?? "gd",
  };
  for (const [k, v] of Object.entries(rec.swept)) row[k] = v;
  return row;
}

/** summary.csv text: rows in sweep order, one extra column per swept key. */
export function summaryCsv(records: readonly RunRecord[], sweptKeys: readonly string[]): string {
  const sorted = [...records].sort((a, b) => a.index - b.index || a.run_id.localeCompare(b.run_id));
  const extra = sweptKeys.filter((k) => !(SUMMARY_COLUMNS as readonly string[]).includes(k));
  return toCsv([...SUMMARY_COLUMNS, ...extra], sorted.map(summaryRow));
}

export function writeSummary(outDir: string, records: readonly RunRecord[], sweptKeys: readonly string[], file = "summary.csv"): void {
  writeFileAtomic(join(outDir, file), summaryCsv(records, sweptKeys));
}
