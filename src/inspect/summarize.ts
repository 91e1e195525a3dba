/**
 * Seed summaries: the rows of summary.csv grouped by chosen keys (every other
 * setting, seeds above all, is averaged over), with count, mean, standard
 * deviation, min and max of every metric per group — the groupby every user
 * otherwise writes by hand.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserError, UsageError } from "../errors.js";
import { parseCsv, parseNumber, type CsvRecord } from "../figures/csv.js";
import { toCsv, type Cell } from "../output/csv.js";
import { entryKind, readRegularText } from "../files/special-files.js";

/**
 * summary.csv columns that name a setting or describe a run rather than measure
 * it. Every other column whose cells are numbers is a metric, so metrics added
 * later are summarized without a change here; swept-key columns (`train.lambda`)
 * are settings too.
 */
export const SETTING_COLUMNS: readonly string[] = [
  "run_id", "status", "problem", "d", "r", "k", "n", "noise", "kappa", "lambda", "beta", "threshold", "relative_threshold",
  "seed", "diverged_phase", "diverged_step", "error",
];

/** The statistics of each metric, in column order. */
export const STATS = ["count", "mean", "std", "min", "max"] as const;

export interface MetricStats {
  /** Runs of the group with a finite value of the metric. */
  count: number;
  mean: number | null;
  /** Sample standard deviation (n − 1, as pandas' std); null for fewer than two values. */
  std: number | null;
  min: number | null;
  max: number | null;
}

export interface Group {
  /** The group's value of each --by key, as written in summary.csv. */
  key: Record<string, string>;
  runs: number;
  stats: Record<string, MetricStats>;
}

export interface Summary {
  by: string[];
  metrics: string[];
  groups: Group[];
}

/** Count, mean, sample std, min and max of the finite values. */
export function describe(values: readonly number[]): MetricStats {
  const xs = values.filter((v) => Number.isFinite(v));
  const count = xs.length;
  if (count === 0) return { count, mean: null, std: null, min: null, max: null };
  const mean = xs.reduce((a, b) => a + b, 0) / count;
  const std = count < 2 ? null : Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (count - 1));
  return { count, mean, std, min: Math.min(...xs), max: Math.max(...xs) };
}

/** The metric columns of summary.csv records: numeric, not a setting, not a --by key. */
export function metricColumns(columns: readonly string[], records: readonly CsvRecord[], by: readonly string[]): string[] {
  return columns.filter(
    (c) =>
      !SETTING_COLUMNS.includes(c) && !c.includes(".") && !by.includes(c) &&
      records.some((r) => r[c] !== "" && r[c] !== undefined) &&
      records.every((r) => r[c] === "" || r[c] === undefined || parseNumber(r[c]) !== null),
  );
}

/** Cells as a reader sorts them: numbers in numeric order (2 before 10), then text in text order. */
export function compareCells(a: string, b: string): number {
  const number = (s: string): number | null => {
    const v = parseNumber(s);
    return v === null || Number.isNaN(v) ? null : v;
  };
  const x = number(a);
  const y = number(b);
  if (x !== null && y !== null) return x === y ? 0 : x < y ? -1 : 1;
  if (x !== null) return -1;
  if (y !== null) return 1;
  return a.localeCompare(b);
}

/**
 * Group summary.csv records by `by` (sorted by their keys, first key slowest) and describe every metric.
 * @throws {UsageError} naming a --by key that is not a column.
 * @example summarizeRecords(rows, ["lambda"]).groups[0].stats.kept_columns.mean
 */
export function summarizeRecords(columns: readonly string[], records: readonly CsvRecord[], by: readonly string[]): Summary {
  const unknown = by.filter((k) => !columns.includes(k));
  if (unknown.length) {
    throw new UsageError(`--by ${unknown.join(",")}: no such column in summary.csv (columns: ${columns.filter((c) => !["run_id", "error"].includes(c)).join(", ")})`);
  }
  const metrics = metricColumns(columns, records, by);
  const groups = new Map<string, CsvRecord[]>();
  for (const rec of records) {
    const id = JSON.stringify(by.map((k) => rec[k]));
    groups.set(id, [...(groups.get(id) ?? []), rec]);
  }
  return {
    by: [...by],
    metrics,
    groups: [...groups.values()].sort((a, b) => {
      for (const k of by) {
        const c = compareCells(a[0][k] ?? "", b[0][k] ?? "");
        if (c !== 0) return c;
      }
      return 0;
    }).map((recs) => ({
      key: Object.fromEntries(by.map((k) => [k, recs[0][k]])),
      runs: recs.length,
      stats: Object.fromEntries(metrics.map((m) => [m, describe(recs.map((r) => parseNumber(r[m]) ?? NaN))])),
    })),
  };
}

/** The summary as CSV (csv-stringify): the --by keys, `runs`, then METRIC_count, _mean, _std, _min, _max per metric. */
export function summaryTableCsv(summary: Summary): string {
  const columns = [...summary.by, "runs", ...summary.metrics.flatMap((m) => STATS.map((s) => `${m}_${s}`))];
  const rows = summary.groups.map((g) => {
    const row: Record<string, Cell> = { ...g.key, runs: g.runs };
    for (const m of summary.metrics) for (const s of STATS) row[`${m}_${s}`] = g.stats[m][s];
    return row;
  });
  return toCsv(columns, rows);
}

/** The records and columns of DIR/summary.csv. @throws {UserError} when it is missing, empty or not a regular file (a FIFO…). */
export function readSummaryCsv(dir: string): { columns: string[]; records: CsvRecord[] } {
  const file = join(dir, "summary.csv");
  if (!existsSync(dir)) throw new UserError(`${dir}: no such folder`);
  if (!entryKind(file)) throw new UserError(`${dir}: no summary.csv (a sharded sweep: join it first with prune-sense merge ${dir})`);
  const text = readRegularText(file);
  const columns = text.slice(0, text.indexOf("\n") === -1 ? undefined : text.indexOf("\n")).split(",");
  const records = parseCsv(text);
  if (records.length === 0) throw new UserError(`${file}: no runs`);
  return { columns, records };
}

/** Metrics the printed table shows (the CSV has all of them), when present. */
export const HEADLINE_METRICS = ["kept_columns", "recovery_error", "finetune_rate", "test_loss"];
