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
const summary = readFileSync(join(out, "summary.csv"), "utf8").trim().split("\n");
const header = summary[0].split(",");
const status = header.indexOf("status");
const rows = summary.slice(1).map((l) => l.split(","));
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
  ok: rows.filter((r) => r[status] === "ok").length,
  wall_seconds: Math.round(wall * 10) / 10,
  plot_seconds: Math.round(plot * 10) / 10,
  by_kappa: byKappa,
};
mkdirSync(join(root, "docs/figures"), { recursive: true });
for (const name of ["phase-kept-matrix-sensing", "phase-error-matrix-sensing"]) copyFileSync(join(out, "figures", `${name}.svg`), join(root, "docs/figures", `${name}.svg`));
writeFileSync(join(root, "docs/phase-diagram.json"), `${JSON.stringify(record, null, 2)}\n`);
rmSync(scratch, { recursive: true, force: true });
console.log(JSON.stringify(record, null, 2));
