/** `prune-sense summarize DIR --by KEY,…`: seed-aggregated statistics of every metric, as CSV and a table. */
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { ensureWritableDir, writeFileAtomic } from "../../output/atomic.js";
import { HEADLINE_METRICS, readSummaryCsv, summarizeRecords, summaryTableCsv, type Summary } from "../../inspect/summarize.js";
import { readSweeps, resultsFolders } from "../../inspect/sweeps.js";
import { UsageError } from "../../errors.js";
import { formatRate } from "../../figures/data.js";
import type { Io } from "../io.js";

/** Widest table the terminal view allows; the CSV has every metric. */
const MAX_WIDTH = 80;

/** 3 significant digits, e-notation outside [0.01, 1e4); rates with enough digits to differ from 1. */
function short(x: number | null, metric: string): string {
  if (x === null) return "–";
  if (metric.endsWith("rate") && x > 0.9 && x < 1) return formatRate(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-2 && a < 1e4 ? String(Number(x.toPrecision(3))) : x.toExponential(1);
}

/** The printed table: --by keys, runs, then mean ± std of the headline metrics that fit in 80 columns. */
export function summaryTableLines(summary: Summary): string[] {
  const metrics = HEADLINE_METRICS.filter((m) => summary.metrics.includes(m));
  const head = [...summary.by, "runs", ...metrics];
  const rows = summary.groups.map((g) => [
    ...summary.by.map((k) => g.key[k]),
    String(g.runs),
    ...metrics.map((m) => {
      const s = g.stats[m];
      return s.std === null || s.std === 0 ? short(s.mean, m) : `${short(s.mean, m)}±${short(s.std, "")}`;
    }),
  ]);
  let shown = head.length;
  const width = (n: number) => head.slice(0, n).reduce((w, h, i) => w + Math.max(h.length, ...rows.map((r) => r[i].length)) + 2, -2);
  while (shown > summary.by.length + 1 && width(shown) > MAX_WIDTH) shown--;
  const widths = head.slice(0, shown).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.slice(0, shown).map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), ...rows.map(line)];
}

export function registerSummarize(program: Command, io: Io): void {
  program
    .command("summarize")
    .description("group the runs of a results folder by KEYs and give count, mean, std, min, max of every metric (seeds averaged)")
    .argument("<dir>", "a results folder with a summary.csv, or a folder of them (`reproduce --out`: each summarized on its own)")
    .option("-b, --by <keys>", "comma-separated summary.csv columns to group by (default: the swept keys but seed)")
    .option("-o, --out <file>", "CSV file to write (default: DIR/summary-by-KEYS.csv)")
    .addHelpText(
      "after",
      "\nEach metric gets METRIC_count, _mean, _std (sample, n − 1), _min, _max; std is empty for one run.\n" +
        "\nExamples:\n  $ prune-sense summarize results/sweep-k-lambda-eps --by lambda,threshold\n  $ prune-sense summarize results/sweep --by model.k,train.lambda --out k-lambda.csv\n  $ prune-sense summarize results/paper                 # each config's folder of a reproduction",
    )
    .action((dir: string, opts: { by?: string; out?: string }) => {
      const folders = resultsFolders(dir);
      if (folders.length === 1 && folders[0] === dir) {
        summarizeFolder(dir, opts, io);
        return;
      }
      if (opts.out !== undefined) throw new UsageError(`--out ${opts.out}: ${dir} holds ${folders.length} results folders, each summarized into its own folder; give one of them with --out`);
      folders.forEach((folder, i) => {
        if (i > 0) io.out("");
        io.out(`${folder}:`);
        try {
          summarizeFolder(folder, opts, io);
        } catch (err) {
          // a --by key one config's folder lacks: say which folder
          throw err instanceof UsageError ? new UsageError(`${folder}: ${err.message}`) : err;
        }
      });
    });
}

/** Summarize one results folder: write its CSV, print its table and where the CSV went. */
function summarizeFolder(dir: string, opts: { by?: string; out?: string }, io: Io): void {
  const { columns, records } = readSummaryCsv(dir);
  const by = opts.by !== undefined
    ? opts.by.split(",").map((k) => k.trim()).filter((k) => k !== "")
    : [...new Set(readSweeps(dir).flatMap((s) => s.sweptKeys))].filter((k) => k !== "seed");
  const summary = summarizeRecords(columns, records, by);
  const out = opts.out ?? join(dir, `summary-by-${by.length ? by.join("+") : "all"}.csv`);
  // one line for /proc, a file or a read-only folder (Node's recursive mkdir never returns under /proc)
  ensureWritableDir(dirname(out), "the summary");
  writeFileAtomic(out, summaryTableCsv(summary));
  for (const line of summaryTableLines(summary)) io.out(line);
  io.info(`${summary.groups.length} group${summary.groups.length === 1 ? "" : "s"} of ${records.length} runs; every metric's count, mean, std, min, max → ${out}`);
}
