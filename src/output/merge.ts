/**
 * Merging results folders: the runs of one sweep written by several
 * `--shard I/N` invocations (into one shared folder or several), or of several
 * sweeps, become one folder whose summary.csv lists them all. Nothing in the
 * target is dropped: its plans and runs stay, and the sources' are added.
 *
 * Each run is copied file by file through temp files and renames, result.json
 * last and only after every file matched its checksum: a killed merge leaves
 * runs that are complete or absent, and the next merge completes them.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { UserError } from "../errors.js";
import { ensureWritableDir, writeFileAtomic, removeStaleTemps } from "./atomic.js";
import { cleanFolder, readPlans, refreshSummary, runIds, savePlan } from "./folder.js";
import { runDir, RUN_FILES, sha256, type RunRecord } from "./results.js";
import { inspectRunAnyForm } from "./run-id.js";
import { pauseAt } from "./pause.js";

export interface MergeOutcome {
  /** The rows of the merged summary.csv. */
  records: RunRecord[];
  /** Runs some plan names that no folder holds complete. */
  missing: string[];
  sweptKeys: string[];
}

/**
 * Copy run `id` from `from` into `to`, verifying each file against the
 * checksums of `record` (the source's result.json) before writing it.
 * @returns false if a source file changed under us (nothing is committed then).
 */
function copyRun(from: string, to: string, id: string, record: RunRecord): boolean {
  const src = runDir(from, id);
  const dst = runDir(to, id);
  const data = RUN_FILES.map((name) => [name, readFileSync(join(src, name))] as const);
  if (data.some(([name, bytes]) => sha256(bytes) !== record.files![name])) return false;
  const result = readFileSync(join(src, "result.json"));
  removeStaleTemps(dst);
  for (const [name, bytes] of data) {
    writeFileAtomic(join(dst, name), bytes, name === "trace.csv" ? () => pauseAt("after-temp") : undefined);
    if (name === "trace.csv") pauseAt("between-run-files");
  }
  writeFileAtomic(join(dst, "result.json"), result);
  pauseAt("after-result");
  return true;
}

/**
 * Merge results folders into `outDir` (default: the first): add every plan of
 * every folder, copy each run that is complete elsewhere but not in `outDir`
 * (or damaged there), then rebuild summary.csv over every complete run.
 * @throws {UserError} when a folder is missing or holds no results, or `outDir` cannot be written.
 */
export function mergeResults(dirs: readonly string[], outDir = dirs[0], onNote: (line: string) => void = () => {}): MergeOutcome {
  const sources = dirs.map((d) => {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new UserError(`${d}: no such folder`);
    const plans = readPlans(d);
    const ids = runIds(d);
    if (plans.length === 0 && ids.length === 0) throw new UserError(`${d}: not a results folder (no sweep plan and no runs)`);
    return { dir: d, plans, ids };
  });
  ensureWritableDir(outDir);
  cleanFolder(outDir);
  for (const s of sources) for (const plan of s.plans) savePlan(outDir, plan, false);
  const wanted = [...new Set(sources.flatMap((s) => [...s.plans.flatMap((p) => p.runs.map((r) => r.id)), ...s.ids]))];
  const planned = new Set(sources.flatMap((s) => s.plans.flatMap((p) => p.runs.map((r) => r.id))));
  const others = sources.filter((s) => resolve(s.dir) !== resolve(outDir));
  const missing: string[] = [];
  for (const id of wanted) {
    // a run may sit under its id or, in folders written before ids took their letter, its bare form
    const here = inspectRunAnyForm(outDir, id);
    if (here.state === "complete") continue;
    let copied = false;
    for (const s of others) {
      const there = inspectRunAnyForm(s.dir, id);
      if (there.state !== "complete") continue;
      if (copyRun(s.dir, outDir, there.record.run_id, there.record)) {
        if (here.state === "damaged") onNote(`run ${id}: ${here.reason} in ${outDir}; copied again from ${s.dir}`);
        copied = true;
        break;
      }
    }
    if (copied) continue;
    if (here.state === "damaged") onNote(`run ${id}: ${here.reason}; run its sweep again to redo it`);
    if (planned.has(id)) missing.push(id);
  }
  const records = refreshSummary(outDir);
  const sweptKeys = [...new Set(readPlans(outDir).flatMap((p) => p.sweptKeys))];
  return { records, missing, sweptKeys };
}
