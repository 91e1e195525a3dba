// Runs the bundled phase diagram (configs/phase-diagram.yaml) as a user would, with --jobs 2 into a
// fresh folder and a fresh moments cache, times the whole process, plots it, and records what the
// README shows: docs/phase-diagram.json (version, wall time, run count, exact-r cells) and the two
// phase figures in docs/figures/. `node scripts/phase-diagram.mjs` after `npm run build`, on an idle
// machine; then `node scripts/docs.mjs`. test/docs/phase-diagram.test.ts checks the record.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseCsv } from "../dist/figures/csv.js";

const root = new URL("../", import.meta.url).pathname;
const bin = join(root, "bin/prune-sense.js");
const scratch = mkdtempSync(join(tmpdir(), "prune-sense-phase-"));
const out = join(scratch, "out");
const env = { ...process.env, XDG_CACHE_HOME: join(scratch, "cache"), CI: "true" };
const run = (args) => {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`prune-sense ${args.join(" ")} exited ${r.status}: ${r.stderr.split("\n").slice(-5).join("\n")}`);
  return r;
};
const start = performance.now();
run(["run", join(root, "configs/phase-diagram.yaml"), "--out", out, "--jobs", "2"]);
const wall = (performance.now() - start) / 1e3;
const plotStart = performance.now();
run(["plot", out, "--no-png"]);
const plot = (performance.now() - plotStart) / 1e3;
// summary.csv's swept columns hold the formulas as written ("0.5 * sigma_r^3"); read with the project's own parser
const records = parseCsv(readFileSync(join(out, "summary.csv"), "utf8"));
const rows = records.map((rec) => (name) => rec[name] ?? "");
const count = (s) => rows.filter((r) => r("status") === s).length;
// the (λ, ε) settings where every run, whatever κ, k and seed, kept exactly r
const settings = new Map();
for (const r of rows) {
  const key = `${r("train.lambda")}\u0000${r("prune.threshold")}`;
  settings.set(key, (settings.get(key) ?? true) && r("status") === "ok" && r("kept_columns") === r("r"));
}
const multiplier = (text) => Number(text.split("*")[0]);
const lambdas = [...new Set(rows.map((r) => r("train.lambda")))].sort((a, b) => multiplier(a) - multiplier(b));
const band = lambdas.map((lambda) => ({
  lambda,
  thresholds: [...settings].filter(([k, all]) => all && k.startsWith(`${lambda}\u0000`)).map(([k]) => k.split("\u0000")[1]).sort((a, b) => multiplier(a) - multiplier(b)),
})).filter((b) => b.thresholds.length > 0);
const diverged = [...new Set(rows.filter((r) => r("status") === "diverged").map((r) => `${r("train.lambda")} at κ = ${r("problem.kappa")}`))];
const spec = JSON.parse(readFileSync(join(out, "figures", "phase-kept-matrix-sensing.vl.json"), "utf8"));
const cells = spec.vconcat.flatMap((row) => row.data.values);
const byKappa = [...new Set(cells.map((c) => c.kappa))].sort((a, b) => a - b).map((kappa) => {
  const mine = cells.filter((c) => c.kappa === kappa);
  return { kappa, cells: mine.length, exact_r_cells: mine.filter((c) => c.exact === 1).length };
});
const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const record = {
  prune_sense: version,
  measured: new Date().toISOString(),
  machine: `${cpus()[0]?.model.trim() ?? "unknown"}, ${cpus().length} cores, node ${process.version}`,
  command: "prune-sense run configs/phase-diagram.yaml --jobs 2",
  runs: rows.length,
  ok: count("ok"),
  diverged: count("diverged"),
  failed: count("failed"),
  diverged_settings: diverged,
  thresholds_per_lambda: rows.length / lambdas.length / new Set(rows.map((r) => `${r("problem.kappa")}|${r("k")}|${r("seed")}`)).size,
  all_exact: band,
  wall_seconds: Math.round(wall * 10) / 10,
  plot_seconds: Math.round(plot * 10) / 10,
  by_kappa: byKappa,
};
mkdirSync(join(root, "docs/figures"), { recursive: true });
for (const name of ["phase-kept-matrix-sensing", "phase-error-matrix-sensing"]) copyFileSync(join(out, "figures", `${name}.svg`), join(root, "docs/figures", `${name}.svg`));
writeFileSync(join(root, "docs/phase-diagram.json"), `${JSON.stringify(record, null, 2)}\n`);
rmSync(scratch, { recursive: true, force: true });
console.log(JSON.stringify(record, null, 2));
