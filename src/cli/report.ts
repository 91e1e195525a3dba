/**
 * The one-screen summary printed after `run`: a table of runs (swept values,
 * status, kept columns, errors, rate, time) in colour where the terminal
 * allows it, at most 80 columns wide (columns that do not fit go to a second
 * table keyed by run id), ending with the total time.
 */
import chalk from "chalk";
import { formatRate } from "../figures/data.js";
import type { RunRecord } from "../output/results.js";

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
  for (const r of records.filter((x) => x.status === "failed").slice(0, 3)) lines.push(chalk.red(`${r.run_id}: ${r.error}`));
  const counts = { ok: 0, diverged: 0, failed: 0 };
  for (const r of records) counts[r.status]++;
  const parts = [chalk.green(`${counts.ok} ok`)];
  if (counts.diverged) parts.push(chalk.yellow(`${counts.diverged} diverged`));
  if (counts.failed) parts.push(chalk.red(`${counts.failed} failed`));
  lines.push(chalk.dim(`files: ${summaryFile}, runs/<run_id>/{config.json,trace.csv,columns.csv}`));
  lines.push(`${parts.join(", ")} · results in ${chalk.cyan(outDir)}${totalSeconds === undefined ? "" : ` · total ${formatDuration(totalSeconds)}`}`);
  return lines;
}
