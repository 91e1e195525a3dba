/**
 * Stable run ids: a short hash of the resolved config (without its name).
 *
 * An id is "r" followed by 10 hex digits (`r3f0160742b`). The letter matters:
 * bare hex ids such as `98918944e8` or `4410250731` read as numbers in pandas,
 * R and spreadsheets (9.89e15), and then name no folder. Folders written
 * before the prefix hold bare ids (`3f0160742b`): resume, merge and status
 * find a run under either form.
 */
import { createHash } from "node:crypto";
import type { ResolvedConfig } from "../config/resolved.js";
import { stableStringify } from "../random/streams.js";
import { inspectRun, type RunState } from "./results.js";

/** The letter every run id starts with. */
export const RUN_ID_PREFIX = "r";

/** The bare hex hash that ids had before the prefix. */
function hashOf(cfg: ResolvedConfig): string {
  const { name: _name, formulas: _formulas, ...rest } = cfg;
  return createHash("sha256").update(stableStringify(rest)).digest("hex").slice(0, 10);
}

/**
 * "r" + 10 hex digits of the SHA-256 of the resolved config minus `name` and the
 * formula texts: equal settings give equal ids in any folder, whatever the order of runs.
 * @example runId(config) // "r3f0160742b"
 */
export function runId(cfg: ResolvedConfig): string {
  return RUN_ID_PREFIX + hashOf(cfg);
}

/** The forms a run's folder may have: the id, then the bare hex id of older folders. */
export function runIdForms(id: string): string[] {
  return /^r[0-9a-f]{10}$/.test(id) ? [id, id.slice(1)] : [id];
}

/**
 * The state of run `id` under its id or its older bare form: the first form
 * whose folder holds anything (complete or damaged), else absent. Resume,
 * merge and status all look runs up this way, so they agree.
 */
export function inspectRunAnyForm(outDir: string, id: string): RunState {
  for (const form of runIdForms(id)) {
    const state = inspectRun(outDir, form);
    if (state.state !== "absent") return state;
  }
  return { state: "absent" };
}
