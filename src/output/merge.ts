/**
 * Merging results folders: the runs of one sweep written by several
 * `--shard I/N` invocations (into one shared folder or several), or of several
 * sweeps, become one folder whose summary.csv lists them all. Nothing in the
 * target is dropped: its plans and runs stay, and the sources' are added.
 *
 * Each run is copied into a temp folder (files verified against the checksums,
 * result.json last) that is then renamed into runs/; a run folder that exists
 * already but is damaged or incomplete is repaired file by file the same way
 * (temp file + rename each, result.json last). A killed merge leaves runs that
 * are complete or absent, and the next merge completes them.
 */
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { UserError } from "../errors.js";
import { ensureWritableDir, writeFileAtomic, removeStaleTemps } from "./atomic.js";
import { checkFolderLayout, cleanFolder, readPlans, refreshSummary, refuseOtherStream, runIds, savePlan } from "./folder.js";
import { runDir, RUN_FILES, sha256, type RunRecord } from "./results.js";
import { inspectRunAnyForm } from "./run-id.js";
import { pauseAt } from "./pause.js";
import { readRegularFile, refuseNonFolder, SpecialFileError } from "../files/special-files.js";
import { tempPathFor } from "../files/temp-names.js";

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
 * @throws {SpecialFileError} when the run's folder in `to`, or a file in it, is a link, a FIFO, a device…
 */
function copyRun(from: string, to: string, id: string, record: RunRecord): boolean {
  const src = runDir(from, id);
  const dst = runDir(to, id);
  // a dangling link there would make the rename below fail with ENOTDIR: say what it is instead
  refuseNonFolder(dst);
  const data = RUN_FILES.map((name) => [name, readRegularFile(join(src, name))] as const);
  if (data.some(([name, bytes]) => sha256(bytes) !== record.files![name])) return false;
  const result = readRegularFile(join(src, "result.json"));
  const fill = (folder: string): void => {
    for (const [name, bytes] of data) {
      writeFileAtomic(join(folder, name), bytes, name === "trace.csv" ? () => pauseAt("after-temp") : undefined);
      if (name === "trace.csv") pauseAt("between-run-files");
    }
    writeFileAtomic(join(folder, "result.json"), result);
  };
  if (!existsSync(dst)) {
    const staging = tempPathFor(dst);
    try {
      fill(staging);
      renameSync(staging, dst);
      pauseAt("after-result");
      return true;
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      // another writer made the folder meanwhile: repair it in place below
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw err;
    }
  }
  removeStaleTemps(dst);
  fill(dst);
  pauseAt("after-result");
  return true;
}

/**
 * Merge results folders into `outDir` (default: the first): add every plan of
 * every folder, copy each run that is complete elsewhere but not in `outDir`
 * (or damaged there), then rebuild summary.csv over every complete run.
 * A run whose place in `outDir` is taken by a special file (a dangling link, a
 * FIFO…) is left as it is and named; the others are merged, then the command fails.
 * @throws {UserError} when a folder is missing or holds no results, `outDir` cannot be written,
 *   or some run could not be copied (after every other run is merged).
 */
export function mergeResults(dirs: readonly string[], outDir = dirs[0], onNote: (line: string) => void = () => {}): MergeOutcome {
  const sources = dirs.map((d) => {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new UserError(`${d}: no such folder`);
    const plans = readPlans(d);
    const ids = runIds(d);
    if (plans.length === 0 && ids.length === 0) throw new UserError(`${d}: not a results folder (no sweep plan and no runs)`);
    return { dir: d, plans, ids };
  });
  for (const s of sources) refuseOtherStream(s.dir, "merging it");
  ensureWritableDir(outDir);
  checkFolderLayout(outDir);
  if (!sources.some((s) => resolve(s.dir) === resolve(outDir))) refuseOtherStream(outDir, "merging into it");
  cleanFolder(outDir);
  for (const s of sources) for (const plan of s.plans) savePlan(outDir, plan, false);
  const wanted = [...new Set(sources.flatMap((s) => [...s.plans.flatMap((p) => p.runs.map((r) => r.id)), ...s.ids]))];
  const planned = new Set(sources.flatMap((s) => s.plans.flatMap((p) => p.runs.map((r) => r.id))));
  const others = sources.filter((s) => resolve(s.dir) !== resolve(outDir));
  const missing: string[] = [];
  const blocked: string[] = [];
  for (const id of wanted) {
    // a run may sit under its id or, in folders written before ids took their letter, its bare form
    const here = inspectRunAnyForm(outDir, id);
    if (here.state === "complete") continue;
    let copied = false;
    let stuck = false;
    for (const s of others) {
      const there = inspectRunAnyForm(s.dir, id);
      if (there.state !== "complete") continue;
      let whole: boolean;
      try {
        whole = copyRun(s.dir, outDir, there.record.run_id, there.record);
      } catch (err) {
        // this run's place is taken by something not ours: name it, merge the others
        if (!(err instanceof SpecialFileError)) throw err;
        blocked.push(err.message);
        stuck = true;
        break;
      }
      if (whole) {
        if (here.state === "damaged") onNote(`run ${id}: ${here.reason} in ${outDir}; copied again from ${s.dir}`);
        copied = true;
        break;
      }
    }
    if (copied || stuck) continue;
    if (here.state === "damaged") onNote(`run ${id}: ${here.reason}; run its sweep again to redo it`);
    if (planned.has(id)) missing.push(id);
  }
  const records = refreshSummary(outDir);
  if (blocked.length) {
    throw new UserError(`${blocked.length} run${blocked.length === 1 ? "" : "s"} could not be copied (${blocked[0]}); the others are merged`);
  }
  const sweptKeys = [...new Set(readPlans(outDir).flatMap((p) => p.sweptKeys))];
  return { records, missing, sweptKeys };
}
