/**
 * The sweeps a results folder holds, as `run` records them (one plan per sweep
 * in sweeps/, the latest also as sweep.json): each sweep's name, swept keys and
 * planned runs (index, id, swept values), its plan hash and when it reached the
 * folder. A folder of results folders (what `reproduce` writes) is read one
 * level down.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { readPlanEntries, type PlanFile } from "../output/folder.js";
import { entryKind } from "../files/special-files.js";

export type SweepEntry = PlanFile & { hash: string; added: Date };
export type PlannedRunEntry = PlanFile["runs"][number];

/** A missing path and a file (or FIFO, device…) in a folder's place are both the user's to fix (exit 2), each said as it is. */
function mustBeFolder(dir: string): void {
  const entry = entryKind(dir);
  if (!entry) throw new UserError(`${dir}: no such folder`);
  if (!entry.folder) throw new UserError(`${dir}: is ${entry.kind}, expected a results folder`);
}

const NOT_RESULTS = "not a results folder (no sweep plan: sweeps/ or sweep.json)";

/**
 * The sweeps of a folder, oldest first.
 * @throws {UserError} `DIR: no such folder`, `DIR: is a regular file, expected a results folder`,
 *   `DIR: not a results folder (no sweep plan: sweeps/ or sweep.json)`.
 */
export function readSweeps(dir: string): SweepEntry[] {
  mustBeFolder(dir);
  const entries = readPlanEntries(dir);
  if (entries.length === 0) throw new UserError(`${dir}: ${NOT_RESULTS}`);
  return entries.map((e) => ({ ...e.plan, hash: e.hash, added: e.added }));
}

/**
 * The results folders `dir` stands for: itself when it holds a sweep plan,
 * else its subfolders that do (by name), as `reproduce --out DIR` leaves them.
 * @throws {UserError} when it is neither.
 * @example resultsFolders("results/paper") // ["results/paper/conditioning", "results/paper/gap", …]
 */
export function resultsFolders(dir: string): string[] {
  mustBeFolder(dir);
  if (readPlanEntries(dir).length > 0) return [dir];
  const subs = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && readPlanEntries(join(dir, e.name)).length > 0)
    .map((e) => join(dir, e.name))
    .sort();
  if (subs.length === 0) throw new UserError(`${dir}: ${NOT_RESULTS}, nor a folder of results folders`);
  return subs;
}
