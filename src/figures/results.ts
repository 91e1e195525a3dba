/**
 * Reading a results folder written by `prune-sense run` (the only I/O on the
 * input side of the figures): summary.csv, and per run config.json, trace.csv
 * and columns.csv. Every value comes back typed; missing per-run files read as
 * null so a figure that needs them is skipped rather than failing the rest.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { entryKind, readRegularText } from "../files/special-files.js";
import { parseCsv, parseNumber, type CsvRecord } from "./csv.js";

/** The numeric columns of summary.csv the figures use. */
export const SUMMARY_NUMBERS = [
  "d", "r", "k", "n", "noise", "lambda", "beta", "threshold", "relative_threshold", "seed",
  "kept_columns", "train_loss", "test_loss", "recovery_error_trained", "test_loss_trained",
  "recovery_error_pruned", "recovery_error", "finetune_rate", "seconds", "diverged_step",
] as const;
export type SummaryNumber = (typeof SUMMARY_NUMBERS)[number];

/** One row of summary.csv: NaN/±Infinity as in the file, null for an empty field. */
export type SummaryRow = {
  run_id: string;
  status: string;
  /** The problem kind (summary.csv's `problem` column). */
  kind: string;
  /** Every field of the row as text, swept-key columns included (for --where). */
  fields?: CsvRecord;
} & Record<SummaryNumber, number | null>;

/** One row of a run's trace.csv. */
export interface TracePoint {
  phase: string;
  step: number;
  train_loss: number;
  test_loss: number;
  recovery_error: number;
  objective?: number;
}

/** One row of a run's columns.csv. */
export interface ColumnPoint {
  stage: string;
  column: number;
  norm: number;
  kept: boolean;
}

/** The prune rule of a run: exactly one of the two is a number. */
export interface PruneRule {
  threshold: number | null;
  relative_threshold: number | null;
}

/** Turn one summary.csv record into a typed row. */
function toSummaryRow(rec: CsvRecord): SummaryRow {
  const row = { run_id: rec.run_id ?? "", status: rec.status ?? "", kind: rec.problem ?? "", fields: rec } as SummaryRow;
  for (const key of SUMMARY_NUMBERS) row[key] = parseNumber(rec[key]);
  return row;
}

/**
 * The rows of `<dir>/summary.csv`.
 * @throws {UserError} when the folder does not exist, has no summary.csv, or it lists no runs.
 * @example loadSummary("results/sweep").length // number of runs
 */
export function loadSummary(dir: string): SummaryRow[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder`);
  const file = join(dir, "summary.csv");
  if (!entryKind(file)) throw new UserError(`no runs found in ${dir}: ${file} does not exist`);
  const rows = parseCsv(readRegularText(file)).map(toSummaryRow).filter((row) => row.run_id !== "");
  if (rows.length === 0) throw new UserError(`no runs found in ${file}`);
  return rows;
}

/** Text of `<dir>/runs/<runId>/<name>`, or null when it is missing or not a regular file (a FIFO is damage, never a hang). */
function readRunFile(dir: string, runId: string, name: string): string | null {
  try {
    return readRegularText(join(dir, "runs", runId, name));
  } catch {
    return null;
  }
}

/** A finite-or-not number from a CSV field; empty fields read as NaN here (never plotted). */
const num = (field: string | undefined): number => parseNumber(field) ?? NaN;

/** The trace of one run, or null when trace.csv is missing. */
export function loadTrace(dir: string, runId: string): TracePoint[] | null {
  const text = readRunFile(dir, runId, "trace.csv");
  if (text === null) return null;
  return parseCsv(text).map((rec) => ({
    phase: rec.phase,
    step: num(rec.step),
    train_loss: num(rec.train_loss),
    test_loss: num(rec.test_loss),
    recovery_error: num(rec.recovery_error),
    objective: num(rec.objective),
  }));
}

/** The column norms of one run at every stage, or null when columns.csv is missing. */
export function loadColumns(dir: string, runId: string): ColumnPoint[] | null {
  const text = readRunFile(dir, runId, "columns.csv");
  if (text === null) return null;
  return parseCsv(text).map((rec) => ({
    stage: rec.stage,
    column: num(rec.column),
    norm: num(rec.norm),
    kept: rec.kept === "1" || rec.kept === "true",
  }));
}

/** A run's saved config (config.json) as a plain object, or null when it is missing or unreadable. */
export function loadRunConfig(dir: string, runId: string): Record<string, unknown> | null {
  const text = readRunFile(dir, runId, "config.json");
  if (text === null) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * The prune rule of a run: from its config.json (the resolved config is the
 * source of truth), else from the summary row's threshold columns.
 */
export function loadPruneRule(dir: string, row: SummaryRow): PruneRule {
  const text = readRunFile(dir, row.run_id, "config.json");
  if (text !== null) {
    try {
      const prune = (JSON.parse(text) as { prune?: Partial<PruneRule> }).prune;
      if (prune) return { threshold: prune.threshold ?? null, relative_threshold: prune.relative_threshold ?? null };
    } catch {
      // A damaged config.json is not worth failing the figures for; fall back to the summary.
    }
  }
  return { threshold: row.threshold, relative_threshold: row.relative_threshold };
}
