/**
 * Joining shards: the runs of one sweep written by several `--shard I/N`
 * invocations (into one shared folder or several) become one summary.csv,
 * identical to an unsharded run's (the `seconds` column aside).
 */
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { UserError } from "../errors.js";
import { runDir, writeSummary, type RunRecord } from "./results.js";
import { findRunRecord } from "./run-id.js";

interface PlanFile {
  name: string;
  sweptKeys: string[];
  runs: Array<{ index: number; id: string; swept: RunRecord["swept"] }>;
}

function readPlan(dir: string): PlanFile {
  const path = join(dir, "sweep.json");
  if (!existsSync(path)) throw new UserError(`${dir}: not a results folder (no sweep.json)`);
  return JSON.parse(readFileSync(path, "utf8")) as PlanFile;
}

export interface MergeOutcome {
  records: RunRecord[];
  missing: string[];
  sweptKeys: string[];
}

/**
 * Merge results folders into `outDir` (default: the first): copy run folders
 * that are only elsewhere, then write summary.csv over the plan's runs.
 * @throws {UserError} when a folder is missing or the folders hold different sweeps.
 */
export function mergeResults(dirs: readonly string[], outDir = dirs[0]): MergeOutcome {
  const plans = dirs.map((d) => {
    if (!existsSync(d)) throw new UserError(`${d}: no such folder`);
    return readPlan(d);
  });
  const plan = plans[0];
  const ids = JSON.stringify(plan.runs.map((r) => r.id));
  plans.forEach((p, i) => {
    if (JSON.stringify(p.runs.map((r) => r.id)) !== ids) throw new UserError(`${dirs[i]}: holds a different sweep than ${dirs[0]}`);
  });
  const records: RunRecord[] = [];
  const missing: string[] = [];
  for (const run of plan.runs) {
    let rec = findRunRecord(outDir, run.id);
    for (const d of dirs) {
      if (rec) break;
      const found = findRunRecord(d, run.id);
      if (found && resolve(d) !== resolve(outDir)) {
        cpSync(runDir(d, found.run_id), runDir(outDir, found.run_id), { recursive: true });
        rec = found;
      }
    }
    if (rec) records.push({ ...rec, index: run.index, swept: run.swept });
    else missing.push(run.id);
  }
  if (resolve(outDir) !== resolve(dirs[0]) || !existsSync(join(outDir, "sweep.json"))) {
    cpSync(join(dirs[0], "sweep.json"), join(outDir, "sweep.json"));
  }
  writeSummary(outDir, records, plan.sweptKeys);
  return { records, missing, sweptKeys: plan.sweptKeys };
}
