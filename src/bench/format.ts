/** The benchmark report as a fixed-width text table. */
import type { BenchReport, BenchRow } from "./benchmark.js";

type Column = [header: string, cell: (r: BenchRow) => string, align?: "left"];

const num = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : x < 10 ** digits && x >= 0.001 ? x.toPrecision(digits) : x.toExponential(1);
const ratio = (x: number | null | undefined): string => (x === null || x === undefined ? "—" : `${x.toFixed(2)}×`);

const COLUMNS: Column[] = [
  ["solver", (r) => r.kind, "left"],
  ["d", (r) => String(r.d)],
  ["k", (r) => String(r.k)],
  ["n", (r) => (r.n > 0 ? String(r.n) : "—")],
  ["route", (r) => r.route, "left"],
  ["data ms", (r) => num(r.data_ms + r.setup_ms)],
  ["(setup)", (r) => num(r.setup_ms)],
  ["np data", (r) => num(r.numpy?.data_ms)],
  ["ratio", (r) => ratio(r.data_ratio)],
  ["step ms", (r) => num(r.step_ms)],
  ["np step", (r) => num(r.numpy?.step_ms)],
  ["ratio", (r) => ratio(r.step_ratio)],
  ["run s", (r) => (r.whole ? num(r.whole.total_ms / 1e3) : "—")],
  ["(log s)", (r) => (r.whole ? num(r.whole.log_ms_estimate / 1e3) : "—")],
  ["np run s", (r) => (r.whole?.numpy_ms != null ? num(r.whole.numpy_ms / 1e3) : "—")],
  ["ratio", (r) => ratio(r.whole?.ratio)],
];

/**
 * One line per size: ours vs numpy for data, step and whole run, ratios ours/numpy
 * (below 1× means faster than numpy). Notes follow the table.
 * @example formatBenchTable(await runBenchmark({ wholeRun: false }))
 */
export function formatBenchTable(report: BenchReport): string {
  const cells = report.rows.map((r) => COLUMNS.map(([, cell]) => cell(r)));
  const widths = COLUMNS.map(([h], c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (values: string[]): string =>
    values.map((v, c) => (COLUMNS[c][2] === "left" ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  ").trimEnd();
  const out = [line(COLUMNS.map(([h]) => h)), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
  out.push(
    "",
    `node ${report.node}, ${report.cpu}, ${report.cores} cores; step = median of up to ${report.reps} ` +
      "(loss + group-Lasso gradient); data = createProblem (train + test sets) + setup (first createLoss: the " +
      "one-off second-moment reduction on the moments route).",
    "run = a whole default-length run (train + fine-tune, default config at that size, fresh data); log = its " +
      "trace rows × one row's cost (direct train/test loss + recovery error); np run = numpy data + steps × numpy step.",
  );
  out.push(
    report.yardstick.state === "ok"
      ? `numpy: ${report.yardstick.path} (same invocation, run after ours at each size).`
      : `numpy yardstick skipped: ${report.yardstick.reason}.`,
  );
  for (const r of report.rows) if (r.note) out.push(`${r.kind} d=${r.d}: ${r.note}`);
  return out.join("\n");
}
