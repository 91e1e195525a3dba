/**
 * The sweeps a results folder holds, as `run` records them (one plan per sweep
 * in sweeps/, the latest also as sweep.json): each sweep's name, swept keys and
 * planned runs (index, id, swept values).
 */
import { existsSync, statSync } from "node:fs";
import { UserError } from "../errors.js";
import { readPlans, type PlanFile } from "../output/folder.js";

export type SweepEntry = PlanFile;
export type PlannedRunEntry = PlanFile["runs"][number];

/**
 * The sweeps of a folder, oldest first.
 * @throws {UserError} `DIR: no such folder`, `DIR: not a results folder (no sweep plan: sweeps/ or sweep.json)`.
 */
export function readSweeps(dir: string): SweepEntry[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder`);
  const plans = readPlans(dir);
  if (plans.length === 0) throw new UserError(`${dir}: not a results folder (no sweep plan: sweeps/ or sweep.json)`);
  return plans;
}
