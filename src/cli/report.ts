/**
 * The one-screen summary printed after `run`: a table of runs (swept values,
 * status, kept columns, errors, rate, time) in colour where the terminal allows it.
 */
import chalk from "chalk";
import type { RunRecord } from "../output/results.js";

/** Rows shown before "… N more". */
const MAX_ROWS = 20;

function fmt(x: number | null, digits = 2): string {
  if (x === null || Number.isNaN(x)) return "–";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-2 && a < 1e4 ? x.toPrecision(digits + 1) : x.toExponential(digits);
}

function pad(text: string, width: number): string {
  const visible = text.replace(/\u001b\[[0-9;]*m/g, "").length;
  return text + " ".repeat(Math.max(0, width - visible));
}

/** Lines of the summary table. `outDir` is named at the end so the user knows where to look. */
export function summaryLines(records: readonly RunRecord[], sweptKeys: readonly string[], outDir: string, summaryFile: string): string[] {
  const head = ["run", ...sweptKeys, "status", "kept", "r", "rec.err", "test", "rate", "s"];
  const rows = records.slice(0, MAX_ROWS).map((rec) => {
    const m = rec.metrics;
    const status =
      rec.status === "ok" ? chalk.green("ok") : rec.status === "diverged" ? chalk.yellow(`diverged@${rec.diverged_step}`) : chalk.red("failed");
    const kept = Number.isNaN(m.kept_columns) ? "–" : String(m.kept_columns);
    const keptColored = m.kept_columns === rec.config.problem.r ? chalk.green(kept) : chalk.yellow(kept);
    return [
      rec.run_id, ...sweptKeys.map((k) => String(rec.swept[k] ?? "")), status, keptColored, String(rec.config.problem.r),
      fmt(m.recovery_error), fmt(m.test_loss), fmt(m.finetune_rate, 3), rec.seconds.toFixed(1),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].replace(/\u001b\[[0-9;]*m/g, "").length)));
  const lines = [chalk.bold(head.map((h, i) => pad(h, widths[i])).join("  ")), ...rows.map((r) => r.map((c, i) => pad(c, widths[i])).join("  "))];
  if (records.length > MAX_ROWS) lines.push(chalk.dim(`… ${records.length - MAX_ROWS} more rows in ${summaryFile}`));
  const counts = { ok: 0, diverged: 0, failed: 0 };
  for (const r of records) counts[r.status]++;
  const parts = [chalk.green(`${counts.ok} ok`)];
  if (counts.diverged) parts.push(chalk.yellow(`${counts.diverged} diverged`));
  if (counts.failed) parts.push(chalk.red(`${counts.failed} failed`));
  lines.push(`${parts.join(", ")} · results in ${chalk.cyan(outDir)} (${summaryFile}, runs/<run_id>/{config.json,trace.csv,columns.csv})`);
  for (const r of records.filter((x) => x.status === "failed").slice(0, 3)) lines.push(chalk.red(`${r.run_id}: ${r.error}`));
  return lines;
}
