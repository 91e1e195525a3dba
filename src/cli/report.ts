/**
 * The one-screen summary printed after `run`: a table of runs (swept values,
 * status, kept columns, errors, rate, time) in colour where the terminal
 * allows it, at most 80 columns wide (columns that do not fit go to a second
 * table keyed by run id), ending with the total time.
 */
import chalk from "chalk";
import { formatRate } from "../figures/data.js";
import { SUMMARY_COLUMNS, type RunRecord } from "../output/results.js";
import type { Scalar } from "../config/resolved.js";

/** Rows shown before "… N more". */
const MAX_ROWS = 20;
/** Widest line of the summary: a standard terminal. */
export const MAX_WIDTH = 80;

function fmt(x: number | null, digits = 2): string {
  if (x === null || Number.isNaN(x)) return "–";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-2 && a < 1e4 ? x.toPrecision(digits + 1) : x.toExponential(digits);
}

const visible = (text: string): number => text.replace(/\u001b\[[0-9;]*m/g, "").length;

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - visible(text)));
}

/**
 * The `kind` keys summary.csv names by what they choose (summaryRow in
 * src/output/results.ts): a bare "kind" header would mean the problem in one
 * sweep and the penalty in another.
 */
const KIND_HEADERS: Readonly<Record<string, string>> = {
  "problem.kind": "problem",
  "train.penalty.kind": "penalty",
  "train.optimizer.kind": "optimizer",
};

/**
 * Column headers of swept keys: the last part of the path ("lambda" for
 * train.lambda; a kind by its summary.csv column, "problem", "penalty";
 * any other kind, such as finetune.optimizer.kind, in full) unless two keys
 * share it or it names another column.
 */
export function sweptHeaders(keys: readonly string[], taken: readonly string[]): string[] {
  const short = keys.map((k) => KIND_HEADERS[k] ?? (k.endsWith(".kind") ? k : k.split(".").pop()!));
  return keys.map((k, i) => (short.filter((l) => l === short[i]).length > 1 || taken.includes(short[i]) ? k : short[i]));
}

/**
 * Lay out columns as tables no wider than `max`: the first column (the run id)
 * starts every table, and the others fill tables left to right.
 * @example splitColumns([11, 6, 6], 20) // [[0, 1], [0, 2]]
 */
export function splitColumns(widths: readonly number[], max: number, gap = 2): number[][] {
  const tables: number[][] = [];
  let current = [0];
  let used = widths[0];
  for (let i = 1; i < widths.length; i++) {
    if (current.length > 1 && used + gap + widths[i] > max) {
      tables.push(current);
      current = [0];
      used = widths[0];
    }
    current.push(i);
    used += gap + widths[i];
  }
  tables.push(current);
  return tables;
}

/** Seconds as "0.52 s", "12.3 s", "2 min 5 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/**
 * Lines of the summary table. `outDir` is named at the end so the user knows
 * where to look; the last line gives the total (wall-clock) time.
 */
export function summaryLines(
  records: readonly RunRecord[], sweptKeys: readonly string[], outDir: string, summaryFile: string, totalSeconds?: number,
): string[] {
  const fixed = ["status", "kept", "r", "rec.err", "rate", "test", "s"];
  const head = ["run", ...sweptHeaders(sweptKeys, fixed), ...fixed];
  const rows = records.slice(0, MAX_ROWS).map((rec) => {
    const m = rec.metrics;
    const status =
      rec.status === "ok" ? chalk.green("ok") : rec.status === "diverged" ? chalk.yellow(`diverged@${rec.diverged_step}`) : chalk.red("failed");
    const kept = Number.isNaN(m.kept_columns) ? "–" : String(m.kept_columns);
    const keptColored = m.kept_columns === rec.config.problem.r ? chalk.green(kept) : chalk.yellow(kept);
    return [
      rec.run_id, ...sweptKeys.map((k) => String(rec.swept[k] ?? "")), status, keptColored, String(rec.config.problem.r),
      fmt(m.recovery_error), m.finetune_rate === null || Number.isNaN(m.finetune_rate) ? "–" : formatRate(m.finetune_rate),
      fmt(m.test_loss), rec.seconds.toFixed(1),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i]))));
  const lines: string[] = [];
  splitColumns(widths, MAX_WIDTH).forEach((cols, t) => {
    if (t > 0) lines.push("");
    const line = (cells: string[]) => cols.map((i) => pad(cells[i], widths[i])).join("  ").trimEnd();
    lines.push(chalk.bold(line(head)), ...rows.map(line));
  });
  if (records.length > MAX_ROWS) lines.push(chalk.dim(`… ${records.length - MAX_ROWS} more rows in ${summaryFile}`));
  lines.push(...closingLines(records, outDir, summaryFile, totalSeconds));
  return lines;
}

/** Most groups the end-of-sweep table shows; beyond it keys are aggregated away (and the cut named). */
export const MAX_GROUPS = 16;

/** One row of the end-of-sweep table: a setting of the shown keys, over seeds (and the keys aggregated away). */
export interface SweepGroup {
  key: Scalar[];
  runs: number;
  notOk: number;
  r: number[];
  keptMean: number | null;
  keptMin: number | null;
  keptMax: number | null;
  errorMedian: number | null;
  errorMax: number | null;
  rateMedian: number | null;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Numbers in numeric order, before anything else in text order: keys sort as a reader expects (2 < 10). */
export function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return String(a).localeCompare(String(b));
}

/** The runs of `records` grouped by `keys` (seeds and other keys aggregated), sorted by their keys. */
export function groupRuns(records: readonly RunRecord[], keys: readonly string[]): SweepGroup[] {
  const byKey = new Map<string, RunRecord[]>();
  for (const rec of records) {
    const id = JSON.stringify(keys.map((k) => rec.swept[k] ?? null));
    byKey.set(id, [...(byKey.get(id) ?? []), rec]);
  }
  const groups = [...byKey.values()].map((recs): SweepGroup => {
    const finite = (pick: (m: RunRecord["metrics"]) => number | null) =>
      recs.filter((r) => r.status === "ok").map((r) => pick(r.metrics)).filter((x): x is number => x !== null && Number.isFinite(x));
    const kept = finite((m) => m.kept_columns);
    const errors = finite((m) => m.recovery_error);
    return {
      key: keys.map((k) => recs[0].swept[k] ?? ""),
      runs: recs.length,
      notOk: recs.filter((r) => r.status !== "ok").length,
      r: [...new Set(recs.map((r) => r.config.problem.r))],
      keptMean: kept.length ? kept.reduce((s, x) => s + x, 0) / kept.length : null,
      keptMin: kept.length ? Math.min(...kept) : null,
      keptMax: kept.length ? Math.max(...kept) : null,
      errorMedian: median(errors),
      errorMax: errors.length ? Math.max(...errors) : null,
      rateMedian: median(finite((m) => m.finetune_rate)),
    };
  });
  return groups.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compareScalars(a.key[i], b.key[i]);
      if (c !== 0) return c;
    }
    return 0;
  });
}

/**
 * The keys the table groups by: the swept keys but seed, then, while that makes
 * more than `max` groups, without the key of most distinct values (ties: the
 * one varying fastest, last in the sweep), so the table keeps the coarse picture.
 */
export function shownKeys(records: readonly RunRecord[], sweptKeys: readonly string[], max = MAX_GROUPS): string[] {
  let keys = sweptKeys.filter((k) => k !== "seed");
  const levels = (k: string) => new Set(records.map((r) => JSON.stringify(r.swept[k] ?? null))).size;
  const count = (ks: string[]) => new Set(records.map((r) => JSON.stringify(ks.map((k) => r.swept[k] ?? null)))).size;
  while (keys.length > 1 && count(keys) > max) {
    const drop = keys.reduce((best, k) => (levels(k) >= levels(best) ? k : best), keys[0]);
    keys = keys.filter((k) => k !== drop);
  }
  return keys;
}

/** The summary.csv column of a swept key for `summarize --by`: its short name when summary.csv has it (k for model.k). */
function byColumn(key: string): string {
  const last = key.split(".").pop()!;
  return key !== last && (SUMMARY_COLUMNS as readonly string[]).includes(last) && ["model.k", "train.lambda", "train.beta", "prune.threshold", "prune.relative_threshold", "prune.keep", "prune.gap", "problem.d", "problem.r", "problem.n", "problem.noise"].includes(key) ? last : key;
}

/** A count with one decimal when it is not whole: 2, 14.8. */
const count = (x: number | null): string => (x === null ? "–" : Number.isInteger(x) ? String(x) : x.toFixed(1));

/**
 * What a sweep prints when it ends: one table of its runs grouped by the swept
 * keys other than seed (runs, kept mean and min–max, recovery error median and
 * max, rate median), at most 80 columns and MAX_GROUPS rows (what was
 * aggregated away or left out is said), then the folder and the commands to go
 * on with. A single run keeps the one-run table.
 */
export function sweepEndLines(
  records: readonly RunRecord[], sweptKeys: readonly string[], outDir: string, summaryFile: string, totalSeconds?: number,
): string[] {
  if (records.length <= 1) return summaryLines(records, sweptKeys, outDir, summaryFile, totalSeconds);
  const keys = shownKeys(records, sweptKeys);
  const groups = groupRuns(records, keys);
  const anyNotOk = groups.some((g) => g.notOk > 0);
  const fixed = ["runs", ...(anyNotOk ? ["not ok"] : []), "r", "kept", "min–max", "err med", "err max", "rate med"];
  const head = [...sweptHeaders(keys, fixed), ...fixed];
  const rows = groups.slice(0, MAX_GROUPS).map((g) => {
    const exact = g.keptMin !== null && g.keptMin === g.keptMax && g.r.length === 1 && g.keptMin === g.r[0];
    const kept = count(g.keptMean);
    return [
      ...g.key.map(String), String(g.runs), ...(anyNotOk ? [g.notOk ? chalk.yellow(String(g.notOk)) : "0"] : []), g.r.join(","),
      exact ? chalk.green(kept) : kept, g.keptMin === null ? "–" : g.keptMin === g.keptMax ? String(g.keptMin) : `${g.keptMin}–${g.keptMax}`,
      fmt(g.errorMedian, 1), fmt(g.errorMax, 1), g.rateMedian === null ? "–" : formatRate(g.rateMedian),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i]))));
  // the table never passes 80 columns: the rightmost columns go first (summary.csv has them all)
  let shown = head.length;
  while (shown > keys.length + 2 && widths.slice(0, shown).reduce((w, x) => w + x + 2, -2) > MAX_WIDTH) shown--;
  const line = (cells: string[]) => cells.slice(0, shown).map((c, i) => pad(c, widths[i])).join("  ").trimEnd();
  const lines = [chalk.bold(line(head)), ...rows.map(line)];
  const swept = sweptKeys.filter((k) => k !== "seed");
  const dropped = swept.filter((k) => !keys.includes(k));
  const over = [...(sweptKeys.includes("seed") ? ["seed"] : []), ...dropped];
  const names = sweptHeaders(over, []);
  const notes = [`${over.length ? `rows over ${names.join(" and ")}; ` : ""}err: recovery error; rate: contraction per step`];
  if (dropped.length) notes.push(`${groupRuns(records, swept).length} settings in all: the summarize command below lists each`);
  if (groups.length > MAX_GROUPS) notes.push(`… ${groups.length - MAX_GROUPS} more groups (sorted by ${keys.join(", ")}) in ${summaryFile}`);
  if (shown < head.length) notes.push(`columns left out to fit 80: ${head.slice(shown).join(", ")} (in ${summaryFile})`);
  lines.push(...notes.map((n) => chalk.dim(n)));
  lines.push(...closingLines(records, outDir, summaryFile, totalSeconds));
  const by = dropped.length ? ` --by ${swept.map(byColumn).join(",")}` : "";
  ["summarize", "plot", "status"].forEach((cmd, i) => lines.push(`${i === 0 ? "next:" : "     "} prune-sense ${cmd} ${outDir}${i === 0 ? by : ""}`));
  return lines;
}

/** The lines both tables end with: the first failures' reasons, the files written, the counts by status and the folder. */
function closingLines(records: readonly RunRecord[], outDir: string, summaryFile: string, totalSeconds: number | undefined): string[] {
  const lines = records.filter((x) => x.status === "failed").slice(0, 3).map((r) => chalk.red(`${r.run_id}: ${r.error}`));
  const counts = { ok: 0, diverged: 0, failed: 0 };
  for (const r of records) counts[r.status]++;
  const parts = [chalk.green(`${counts.ok} ok`)];
  if (counts.diverged) parts.push(chalk.yellow(`${counts.diverged} diverged`));
  if (counts.failed) parts.push(chalk.red(`${counts.failed} failed`));
  lines.push(chalk.dim(`files: ${summaryFile}, runs/<run_id>/{config.json,trace.csv,columns.csv}`));
  lines.push(`${parts.join(", ")} · results in ${chalk.cyan(outDir)}${totalSeconds === undefined ? "" : ` · total ${formatDuration(totalSeconds)}`}`);
  return lines;
}
