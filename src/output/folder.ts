/**
 * A results folder accumulates runs. Whatever command made them (`run` of any
 * config, `--shard`, `merge`), summary.csv lists every complete run in the
 * folder: the runs of each sweep plan in plan order (plans in the order they
 * first reached the folder), then any complete run no plan names, by id. Its
 * extra columns are the union of every plan's swept keys. Every sweep's plan is
 * kept, one file per sweep in `sweeps/`, so merge and resume know every sweep.
 *
 * summary.csv and the plans are the only files shared by concurrent writers:
 * they are changed under the folder lock, each rebuild from a fresh scan, so
 * the last writer to finish lists every run.
 */
import { lstatSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { UserError } from "../errors.js";
import type { ResolvedConfig } from "../config/resolved.js";
import { writeFileAtomic, removeStaleTemps, TEMP_MARKER } from "./atomic.js";
import { withFolderLock } from "./lock.js";
import { CLAIMS_DIR, removeStaleClaims } from "./run-claims.js";
import { inspectRun, sha256, writeSummary, type RunRecord } from "./results.js";
import { readRegularText, refuseNonFolder } from "../files/special-files.js";
import { DATA_STREAM, LEGACY_DATA_STREAM } from "../random/streams.js";

type Scalar = string | number | boolean;

/** A sweep's plan as saved: what merge needs to order and label rows and to know which runs are missing. */
export interface PlanFile {
  name: string;
  sweptKeys: string[];
  runs: Array<{ index: number; id: string; swept: Record<string, Scalar> }>;
}

export const PLANS_DIR = "sweeps";
/** The plan of the latest sweep run into the folder (kept for scripts; every plan is in sweeps/). */
export const LATEST_PLAN = "sweep.json";

export function planText(plan: PlanFile): string {
  return `${JSON.stringify({ name: plan.name, sweptKeys: plan.sweptKeys, runs: plan.runs }, null, 2)}\n`;
}

/** 10 hex digits naming a plan by its content. */
export function planHash(plan: PlanFile): string {
  return sha256(planText(plan)).slice(0, 10);
}

function isPlan(v: unknown): v is PlanFile {
  const p = v as PlanFile;
  return (
    typeof p === "object" && p !== null && typeof p.name === "string" && Array.isArray(p.sweptKeys) &&
    p.sweptKeys.every((k) => typeof k === "string") && Array.isArray(p.runs) &&
    p.runs.every((r) => typeof r === "object" && r !== null && typeof r.id === "string" && typeof r.index === "number" && typeof r.swept === "object" && r.swept !== null)
  );
}

function readPlanFile(path: string): PlanFile | null {
  try {
    // a FIFO or a device as a plan is an unreadable plan, never a hang
    const parsed = JSON.parse(readRegularText(path)) as unknown;
    return isPlan(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Plan files of `sweeps/`, in the order they reached the folder (their sequence-number prefix). */
function planFileNames(dir: string): string[] {
  try {
    return readdirSync(join(dir, PLANS_DIR)).filter((n) => /^\d+-[0-9a-f]+\.json$/.test(n)).sort();
  } catch {
    return [];
  }
}

/** A plan as a folder holds it: the plan, its content hash, and when its file was written (the sweep reached the folder). */
export interface PlanEntry {
  plan: PlanFile;
  hash: string;
  added: Date;
}

/**
 * Every readable plan of a folder with its hash and time, oldest first, each
 * once; a folder from before `sweeps/` contributes its sweep.json. Unreadable
 * plan files are skipped.
 */
export function readPlanEntries(dir: string): PlanEntry[] {
  const entries: PlanEntry[] = [];
  const add = (path: string): void => {
    const plan = readPlanFile(path);
    if (!plan) return;
    const hash = planHash(plan);
    if (entries.some((e) => e.hash === hash)) return;
    let added: Date;
    try {
      added = statSync(path).mtime;
    } catch {
      return;
    }
    entries.push({ plan, hash, added });
  };
  for (const name of planFileNames(dir)) add(join(dir, PLANS_DIR, name));
  add(join(dir, LATEST_PLAN));
  return entries;
}

/** Every readable plan of a folder, oldest first, each once (see readPlanEntries). */
export function readPlans(dir: string): PlanFile[] {
  return readPlanEntries(dir).map((e) => e.plan);
}

/**
 * Add a plan to the folder (if it is new there) and, unless `latest` is false,
 * make it sweep.json. Takes the folder lock.
 */
export function savePlan(dir: string, plan: PlanFile, latest = true): void {
  withFolderLock(dir, () => {
    // a folder from before sweeps/ has its only plan in sweep.json: keep it before replacing sweep.json
    const legacy = readPlanFile(join(dir, LATEST_PLAN));
    if (legacy) addPlanFile(dir, legacy);
    addPlanFile(dir, plan);
    if (latest) writeFileAtomic(join(dir, LATEST_PLAN), planText(plan));
  });
}

/** Write `plan` into sweeps/ with the next sequence number, unless it is there already. Call under the lock. */
function addPlanFile(dir: string, plan: PlanFile): void {
  const hash = planHash(plan);
  const names = planFileNames(dir);
  if (names.some((n) => n.endsWith(`-${hash}.json`))) return;
  const seq = names.length ? Number(names[names.length - 1].split("-")[0]) + 1 : 1;
  writeFileAtomic(join(dir, PLANS_DIR, `${String(seq).padStart(4, "0")}-${hash}.json`), planText(plan));
}

/** Ids of the run folders of `dir` (whatever their state). */
export function runIds(dir: string): string[] {
  try {
    return readdirSync(join(dir, "runs")).filter((n) => !n.includes(TEMP_MARKER) && !n.startsWith(".")).sort();
  } catch {
    return [];
  }
}

/** Verified records by result.json path, valid while result.json's mtime and size stay the same. */
const scanCache = new Map<string, { stamp: string; record: RunRecord | null }>();

/** Every complete run of a folder (verified; re-verified only when its result.json changed). */
export function completeRuns(dir: string): Map<string, RunRecord> {
  const out = new Map<string, RunRecord>();
  for (const id of runIds(dir)) {
    const path = join(dir, "runs", id, "result.json");
    let stamp: string;
    try {
      const st = lstatSync(path);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      continue;
    }
    let entry = scanCache.get(path);
    if (!entry || entry.stamp !== stamp) {
      const s = inspectRun(dir, id);
      entry = { stamp, record: s.state === "complete" ? s.record : null };
      scanCache.set(path, entry);
    }
    if (entry.record) out.set(id, entry.record);
  }
  return out;
}

/** The data stream a run was drawn with: its provenance's, or Box–Muller's for records of prune-sense ≤ 0.1 (they name none). */
export function recordStream(rec: RunRecord): string {
  return rec.provenance?.data_stream ?? LEGACY_DATA_STREAM;
}

/**
 * Refuse a folder holding complete runs drawn with another data stream than this
 * program's (random/streams.ts's DATA_STREAM): adding runs to it, or it to
 * another folder, would put two samplers' data for the same seeds side by side.
 * Costs nothing extra for a sweep: completeRuns' scan is the one summary.csv's
 * refresh reuses.
 * @param doing what would mix them, for the message ("resuming into it", "merging it").
 * @throws {UserError} one line naming the folder, its stream and this one.
 */
export function refuseOtherStream(dir: string, doing: string): void {
  for (const rec of completeRuns(dir).values()) {
    const stream = recordStream(rec);
    if (stream === DATA_STREAM) continue;
    const by = rec.provenance ? `prune-sense ${rec.provenance.prune_sense}` : "an older prune-sense";
    throw new UserError(
      `${dir}: its runs were drawn with data stream ${stream} (${by}), this version draws ${DATA_STREAM}; ` +
      `${doing} would mix the two in one folder: use a new folder`,
    );
  }
}

/** The value at a dotted path of a resolved config, if it is a scalar. */
function configValue(config: ResolvedConfig, path: string): Scalar | undefined {
  let node: unknown = config;
  for (const key of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === "number" || typeof node === "string" || typeof node === "boolean" ? node : undefined;
}

/**
 * The rows of summary.csv (pure): each run once, at its first plan's position,
 * labelled by that plan; runs no plan names after them, by id. Swept columns
 * a run's plan does not sweep show the run's resolved value at that key.
 */
export function composeSummary(plans: readonly PlanFile[], runs: ReadonlyMap<string, RunRecord>): { records: RunRecord[]; sweptKeys: string[] } {
  const sweptKeys = [...new Set(plans.flatMap((p) => p.sweptKeys))];
  const ordered: Array<{ rec: RunRecord; swept: Record<string, Scalar> }> = [];
  const placed = new Set<string>();
  for (const plan of plans) {
    for (const run of [...plan.runs].sort((a, b) => a.index - b.index)) {
      const rec = runs.get(run.id);
      if (!rec || placed.has(run.id)) continue;
      placed.add(run.id);
      ordered.push({ rec, swept: run.swept });
    }
  }
  for (const id of [...runs.keys()].filter((i) => !placed.has(i)).sort()) {
    const rec = runs.get(id)!;
    for (const k of Object.keys(rec.swept)) if (!sweptKeys.includes(k)) sweptKeys.push(k);
    ordered.push({ rec, swept: rec.swept });
  }
  const records = ordered.map(({ rec, swept }, index) => {
    const full: Record<string, Scalar> = {};
    for (const k of sweptKeys) {
      const v = k in swept ? swept[k] : configValue(rec.config, k);
      if (v !== undefined) full[k] = v;
    }
    return { ...rec, index, swept: full };
  });
  return { records, sweptKeys };
}

/**
 * Rebuild `dir/summary.csv` from every complete run in the folder, under the
 * folder lock. `extra` are runs this process finished but could not save
 * (e.g. `failed` on a full disk): listed unless the folder holds them complete.
 * @returns the rows written.
 */
export function refreshSummary(dir: string, extra: readonly RunRecord[] = []): RunRecord[] {
  // verify new runs before taking the lock (reading their files may take a while);
  // under the lock the scan then only re-checks what changed meanwhile
  completeRuns(dir);
  return withFolderLock(dir, () => {
    const runs = completeRuns(dir);
    for (const rec of extra) if (!runs.has(rec.run_id)) runs.set(rec.run_id, rec);
    const { records, sweptKeys } = composeSummary(readPlans(dir), runs);
    writeSummary(dir, records, sweptKeys);
    return records;
  });
}

/**
 * Check the folders every writer of `dir` writes into (runs/, sweeps/, .claims/) are
 * folders or absent, before any run: a dangling link, a FIFO or a file there
 * would fail every run alike.
 * @throws {SpecialFileError} `DIR/runs: is a dangling symbolic link (to /x), expected a folder`.
 */
export function checkFolderLayout(dir: string): void {
  refuseNonFolder(join(dir, "runs"));
  refuseNonFolder(join(dir, PLANS_DIR));
  refuseNonFolder(join(dir, CLAIMS_DIR));
}

/** Remove the temp files and run claims of crashed writers from the folder's shared places. */
export function cleanFolder(dir: string): void {
  removeStaleTemps(dir);
  removeStaleTemps(join(dir, PLANS_DIR));
  removeStaleTemps(join(dir, "runs"));
  removeStaleTemps(join(dir, CLAIMS_DIR));
  removeStaleClaims(dir);
}

/**
 * `results/<name>`, the folder of a config without --out. The name must stay a
 * folder strictly inside results/ ("..", "." or "../x" would write into the
 * current folder, results/ itself or elsewhere).
 * @throws {UserError} `name: ".." is not a folder name under results/; …`
 */
export function defaultOutDir(name: string): string {
  const base = resolve("results");
  const target = resolve(base, name);
  const rel = relative(base, target);
  if (name.includes("\0") || rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
    throw new UserError(`name: ${JSON.stringify(name)} is not a folder name under results/; use letters, digits, "-" or "_", or give --out DIR`);
  }
  return join("results", name);
}
