/**
 * The sweeps a results folder holds, as `run` records them in sweep.json: each
 * sweep's name, swept keys and planned runs (index, id, swept values).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";

export interface PlannedRunEntry {
  index: number;
  id: string;
  swept: Record<string, unknown>;
}

export interface SweepEntry {
  name: string;
  sweptKeys: string[];
  runs: PlannedRunEntry[];
}

/**
 * The sweeps of a folder. sweep.json holds one sweep (`{ name, sweptKeys, runs }`),
 * or a list of them (`[…]` or `{ sweeps: […] }`) when a folder accumulates several.
 * @throws {UserError} `DIR: no such folder`, `DIR: not a results folder (no sweep.json)`, or an unreadable sweep.json.
 */
export function readSweeps(dir: string): SweepEntry[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder`);
  const path = join(dir, "sweep.json");
  if (!existsSync(path)) throw new UserError(`${dir}: not a results folder (no sweep.json)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new UserError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { sweeps?: unknown }).sweeps ?? [parsed];
  if (!Array.isArray(list) || list.some((s) => !s || typeof s !== "object" || !Array.isArray((s as SweepEntry).runs))) {
    throw new UserError(`${path}: expected a sweep ({ name, sweptKeys, runs }) or a list of them`);
  }
  return list as SweepEntry[];
}
