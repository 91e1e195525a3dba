/**
 * The sweeps a results folder holds, as `run` records them (one plan per sweep
 * in sweeps/, the latest also as sweep.json): each sweep's name, swept keys and
 * planned runs (index, id, swept values).
 */
import { UserError } from "../errors.js";
import { readPlans, type PlanFile } from "../output/folder.js";
import { entryKind } from "../output/special-files.js";

export type SweepEntry = PlanFile;
export type PlannedRunEntry = PlanFile["runs"][number];

/**
 * The sweeps of a folder, oldest first.
 * @throws {UserError} `DIR: no such folder`, `DIR: is a regular file, expected a results folder`,
 *   `DIR: not a results folder (no sweep plan: sweeps/ or sweep.json)`.
 */
export function readSweeps(dir: string): SweepEntry[] {
  const entry = entryKind(dir);
  if (!entry) throw new UserError(`${dir}: no such folder`);
  if (!entry.folder) throw new UserError(`${dir}: is ${entry.kind}, expected a results folder`);
  const plans = readPlans(dir);
  if (plans.length === 0) throw new UserError(`${dir}: not a results folder (no sweep plan: sweeps/ or sweep.json)`);
  return plans;
}
