// Captures what `prune-sense run configs/sweep-k-lambda-eps.yaml` prints when it ends (stdout, no
// colour, fresh folder and moments cache, --jobs 2) into docs/sweep-end.txt, which `npm run docs`
// puts in the README's tour; test/docs/sweep-end.test.ts runs the sweep again and compares every
// line but the timings. `node scripts/sweep-end.mjs` after `npm run build`, on an idle machine.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../", import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), "prune-sense-sweep-end-"));
// run from a scratch folder holding the config where the README has it, so the output names
// results/sweep-k-lambda-eps as a user's does, without touching the repository's results/
cpSync(join(root, "configs/sweep-k-lambda-eps.yaml"), join(scratch, "configs/sweep-k-lambda-eps.yaml"));
const r = spawnSync(process.execPath, [join(root, "bin/prune-sense.js"), "run", "configs/sweep-k-lambda-eps.yaml", "--jobs", "2"], {
  cwd: scratch, encoding: "utf8",
  env: { ...process.env, NO_COLOR: "1", CI: "true", XDG_CACHE_HOME: join(scratch, "cache") },
});
if (r.status !== 0) throw new Error(`exited ${r.status}: ${r.stderr}`);
writeFileSync(join(root, "docs/sweep-end.txt"), r.stdout);
rmSync(scratch, { recursive: true, force: true });
process.stdout.write(r.stdout);
