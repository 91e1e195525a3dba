/**
 * The files of a results folder:
 *   DIR/summary.csv                  one row per run (rebuilt from the records)
 *   DIR/runs/<id>/config.json        the resolved config
 *   DIR/runs/<id>/trace.csv          phase, step, losses, recovery error, gradient norm, columns
 *   DIR/runs/<id>/columns.csv        column norms at stages init, trained, pruned, finetuned
 *   DIR/runs/<id>/result.json        status, metrics and the sha256 of the three files above, and a sha256 of
 *                                    its own body; written last, so a result.json whose checksums match
 *                                    marks the run complete
 */
import { createHash } from "node:crypto";
import { basename, join } from "node:path";
import type { ResolvedConfig } from "../config/resolved.js";
import { writtenForm } from "../config/written-form.js";
import type { Provenance } from "../package/provenance.js";
import type { RunMetrics, RunResult, RunStatus } from "../pipeline/run.js";
import type { Scalar } from "../config/resolved.js";
import { placeTempFile, removeStaleTemps, removeTempFiles, syncTempFile, syncTempFileNow, writeFileAtomic, writeTempFile, type TempFile } from "./atomic.js";
import { toCsv, type Cell } from "./csv.js";
import { environmentErrorLine, isEnvironmentError } from "./fs-errors.js";
import { pauseAt } from "./pause.js";
import { readRegularFile, readRegularText, SpecialFileError } from "../files/special-files.js";

export const TRACE_COLUMNS = ["phase", "step", "train_loss", "test_loss", "objective", "recovery_error", "grad_norm", "columns"] as const;
export const COLUMN_COLUMNS = ["stage", "column", "norm", "kept"] as const;

/** What result.json holds: enough to rebuild a summary row without re-running. */
export interface RunRecord {
  run_id: string;
  index: number;
  swept: Record<string, Scalar>;
  status: RunStatus;
  error: string;
  diverged_phase: string;
  diverged_step: number | null;
  metrics: RunMetrics;
  seconds: number;
  config: ResolvedConfig;
  /** sha256 (hex) of each other file of the run, by name: what resume and merge verify. */
  files?: Record<string, string>;
  /** What produced it (version, Node.js, kernels, platform, time); absent in records of older versions. */
  provenance?: Provenance;
  /** What a user should hear about the run (not separated, nothing kept), one line each; absent when nothing. */
  diagnostics?: string[];
  /** A failed run's stack trace when the exception came from a plug-in's code (its frames name the file). */
  error_stack?: string;
  /** Only in memory, never written: why the run's files could not be saved (full disk, …). */
  unsaved?: string;
  /** sha256 of result.json's own text without this field (recordChecksum): a hand edit of status, metrics or config reads as damage. Last. */
  sha256?: string;
}

/** The files of a run besides result.json, in the order they are written. */
export const RUN_FILES = ["config.json", "trace.csv", "columns.csv"] as const;

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function runDir(outDir: string, id: string): string {
  return join(outDir, "runs", id);
}

/**
 * A run's files written under temp names, not yet in place (draftRunFiles): committing it syncs
 * each to the disk and renames it, result.json last. `record` is what result.json holds; `base`
 * the record before writing (what an unsaved run reports).
 */
export interface RunDraft {
  record: RunRecord;
  base: RunRecord;
  /** In commit order: config.json, trace.csv, columns.csv, result.json. */
  files: TempFile[];
  /** `base` is the failed record of a run whose outputs could not be produced: an unsaved one keeps both reasons. */
  fallback?: boolean;
}

/**
 * Write a run's files, each atomically, result.json last with the checksums of
 * the others. Every text is produced before anything is written, so an output
 * that cannot be produced (a trace too long for one string) throws
 * `trace.csv: RangeError: …` and leaves the folder as it was.
 * @returns the record as written (with `files`).
 * @throws the file-system error (ENOSPC, …) of the first file that cannot be written.
 */
export function writeRunFiles(outDir: string, record: RunRecord, result: Pick<RunResult, "trace" | "columns">): RunRecord {
  const draft = draftRunFiles(outDir, record, result);
  try {
    for (const f of draft.files) syncTempFileNow(f);
  } catch (err) {
    removeTempFiles(draft.files);
    throw err;
  }
  return placeRunFiles(draft);
}

/**
 * The first half of writeRunFiles: every text produced, then each file written under a temp name
 * beside its place (the run's folder holds no new final file yet). Sweep workers draft, and the
 * main thread commits (commitRunDraft), so the flushes to the disk overlap the next steps.
 * @throws as writeRunFiles; nothing is left behind.
 */
export function draftRunFiles(outDir: string, record: RunRecord, result: Pick<RunResult, "trace" | "columns">): RunDraft {
  const dir = runDir(outDir, record.run_id);
  const texts: Record<(typeof RUN_FILES)[number], string> = {
    "config.json": produce("config.json", () => `${JSON.stringify(writtenForm(record.config), null, 2)}\n`),
    "trace.csv": produce("trace.csv", () => toCsv(TRACE_COLUMNS, result.trace as unknown as Array<Record<string, Cell>>)),
    "columns.csv": produce("columns.csv", () => toCsv(COLUMN_COLUMNS, result.columns as unknown as Array<Record<string, Cell>>)),
  };
  const files = Object.fromEntries(RUN_FILES.map((name) => [name, sha256(texts[name])]));
  const { sha256: _old, ...body } = { ...record, files };
  void _old;
  const written: RunRecord = { ...body, sha256: recordChecksum(body) };
  removeStaleTemps(dir);
  const out: TempFile[] = [];
  try {
    for (const [name, text] of [...RUN_FILES.map((n) => [n, texts[n]] as const), ["result.json", resultJson(written)] as const]) {
      out.push(writeTempFile(join(dir, name), text));
    }
  } catch (err) {
    removeTempFiles(out);
    throw err;
  }
  return { record: written, base: record, files: out };
}

/**
 * The second half, off the drafting thread: every file of the draft flushed to the disk at once
 * (the flushes run in parallel on libuv's threads), then, once `before` has settled (the commit of
 * the run drafted earlier: runs land in the order they were drafted), each renamed into place,
 * result.json last. A file that cannot be flushed or placed (EIO, a full disk) leaves none of the
 * draft behind and the run unsaved, as writeRunFiles' caller records it.
 * @returns the record as written, or the unsaved one with the reason.
 */
export async function commitRunDraft(draft: RunDraft, before: Promise<unknown> = Promise.resolve()): Promise<RunRecord> {
  const synced = Promise.all(draft.files.map((f) => syncTempFile(f)));
  // a failed flush waits for `before` too: runs land in the order they were drafted
  const failure = await synced.then(() => null, (err: unknown) => err ?? new Error("flush failed"));
  await before.catch(() => {});
  try {
    if (failure !== null) {
      removeTempFiles(draft.files);
      throw failure;
    }
    return placeRunFiles(draft);
  } catch (err) {
    if (!isEnvironmentError(err)) throw err;
    return unsavedRecord(draft.base, environmentErrorLine(err), draft.fallback);
  }
}

/**
 * The record of a run whose files could not be saved (`line`: the file and the reason): failed,
 * with the reason as its error, or after its own error when `keepError` (a failed record of
 * outputs that could not be produced, which could not be written either).
 */
export function unsavedRecord(base: RunRecord, line: string, keepError = false): RunRecord {
  return { ...base, status: "failed", error: keepError ? `${base.error}; ${line}` : line, unsaved: line };
}

/**
 * Rename a draft's synced files into place in order, result.json last (the crash tests' points on
 * the way). If one cannot be placed, the draft's other temp files go too, and the error is thrown.
 */
function placeRunFiles(draft: RunDraft): RunRecord {
  try {
    for (const f of draft.files) {
      const name = basename(f.path);
      if (name === "trace.csv") pauseAt("after-temp");
      placeTempFile(f);
      if (name === "trace.csv") pauseAt("between-run-files");
    }
  } catch (err) {
    removeTempFiles(draft.files);
    throw err;
  }
  pauseAt("after-result");
  return draft.record;
}

/**
 * The checksum result.json carries of itself: the sha256 of the record's JSON
 * text without the field. JSON.parse then resultJson gives back the text written
 * (same key order, numbers and NaN/±∞ strings), so a reader recomputes it from
 * what it parsed, whatever the file's whitespace.
 */
export function recordChecksum(body: Omit<RunRecord, "sha256">): string {
  return sha256(resultJson(body as RunRecord));
}

/** The text of result.json. */
export function resultJson(record: RunRecord): string {
  return `${JSON.stringify(record, jsonNumbers, 2)}\n`;
}

function produce(name: string, make: () => string): string {
  try {
    return make();
  } catch (err) {
    const e = err as Error;
    throw new Error(`${name}: ${e.name}: ${e.message}`);
  }
}

/** JSON has no NaN/Infinity: write them as strings and read them back. */
function jsonNumbers(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf";
  return value;
}
function reviveNumbers(_key: string, value: unknown): unknown {
  if (value === "NaN") return NaN;
  if (value === "Inf") return Infinity;
  if (value === "-Inf") return -Infinity;
  return value;
}

/** What a folder holds of one run. */
export type RunState =
  | { state: "absent" }
  | { state: "damaged"; reason: string }
  | { state: "complete"; record: RunRecord };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The first field a parsed result.json lacks (or has of the wrong type), or null if it has them all. */
function missingField(rec: Record<string, unknown>): string | null {
  if (typeof rec.run_id !== "string") return "run_id";
  if (rec.status !== "ok" && rec.status !== "diverged" && rec.status !== "failed") return "status";
  if (typeof rec.index !== "number") return "index";
  if (!isObject(rec.swept)) return "swept";
  if (!isObject(rec.metrics)) return "metrics";
  if (typeof rec.seconds !== "number") return "seconds";
  const c = rec.config;
  if (!isObject(c)) return "config";
  for (const part of ["problem", "model", "train", "prune", "finetune"]) if (!isObject(c[part])) return `config.${part}`;
  const files = rec.files;
  if (!isObject(files)) return "files";
  for (const name of RUN_FILES) if (typeof files[name] !== "string") return `files.${name}`;
  return null;
}

/**
 * Inspect run `id` of a folder: absent (no result.json: never run, or interrupted),
 * damaged (result.json unreadable or incomplete, or a file missing or not matching
 * its checksum; `reason` says which), or complete. Never throws for bad content.
 */
export function inspectRun(outDir: string, id: string): RunState {
  const dir = runDir(outDir, id);
  let text: string;
  try {
    // only a regular file is opened: a FIFO or a device there is damage, never a hang
    text = readRegularText(join(dir, "result.json"));
  } catch (err) {
    if (err instanceof SpecialFileError) return { state: "damaged", reason: `result.json is ${err.kind}` };
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { state: "absent" };
    return { state: "damaged", reason: `result.json cannot be read (${code})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, reviveNumbers);
  } catch {
    return { state: "damaged", reason: "result.json does not parse" };
  }
  if (!isObject(parsed)) return { state: "damaged", reason: "result.json does not parse" };
  const field = missingField(parsed);
  if (field) return { state: "damaged", reason: `result.json lacks ${field}` };
  // Records of earlier versions carry no checksum of their own and stay readable: refusing them would re-run
  // every old folder and stop no one, since this checksum is unkeyed and anyone editing on purpose can
  // recompute it just as easily as delete it. What it catches is an edit by hand or a damaged disk.
  const { sha256: own, ...body } = parsed;
  if (own !== undefined && own !== recordChecksum(body as Omit<RunRecord, "sha256">)) {
    return { state: "damaged", reason: "result.json is damaged (checksum mismatch)" };
  }
  const rec = parsed as unknown as RunRecord;
  if (rec.run_id !== id) return { state: "damaged", reason: `result.json belongs to run ${rec.run_id}` };
  for (const name of RUN_FILES) {
    let data: Buffer;
    try {
      data = readRegularFile(join(dir, name));
    } catch (err) {
      if (err instanceof SpecialFileError) return { state: "damaged", reason: `${name} is ${err.kind}` };
      const code = (err as NodeJS.ErrnoException).code;
      return { state: "damaged", reason: code === "ENOENT" ? `${name} is missing` : `${name} cannot be read (${code})` };
    }
    if (sha256(data) !== rec.files![name]) return { state: "damaged", reason: `${name} is damaged (checksum mismatch)` };
  }
  return { state: "complete", record: rec };
}

/** The record of a complete run (files present and matching), or null. */
export function readRunRecord(outDir: string, id: string): RunRecord | null {
  const s = inspectRun(outDir, id);
  return s.state === "complete" ? s.record : null;
}

export const SUMMARY_COLUMNS = [
  "run_id", "status", "problem", "d", "r", "k", "n", "noise", "lambda", "beta", "threshold", "relative_threshold",
  "seed", "kept_columns", "train_loss", "test_loss", "recovery_error_trained", "test_loss_trained",
  "recovery_error_pruned", "recovery_error", "finetune_rate", "train_steps", "finetune_steps", "kicks",
  "grad_norm_trained", "hessian_min_eig_trained", "diverged_phase", "diverged_step", "error", "seconds",
  "keep", "gap", "penalty", "optimizer", "init", "separation_step",
] as const;

/** One summary row; final values are after fine-tuning unless the name says otherwise. */
export function summaryRow(rec: RunRecord): Record<string, Cell> {
  const c = rec.config;
  const m = rec.metrics;
  const row: Record<string, Cell> = {
    run_id: rec.run_id, status: rec.status, problem: c.problem.kind, d: c.problem.d, r: c.problem.r, k: c.model.k,
    n: c.problem.n, noise: c.problem.noise, lambda: c.train.lambda, beta: c.train.beta,
    threshold: c.prune.threshold, relative_threshold: c.prune.relative_threshold, seed: c.seed,
    kept_columns: m.kept_columns, train_loss: m.train_loss, test_loss: m.test_loss,
    recovery_error_trained: m.recovery_error_trained, test_loss_trained: m.test_loss_trained,
    recovery_error_pruned: m.recovery_error_pruned, recovery_error: m.recovery_error, finetune_rate: m.finetune_rate,
    train_steps: m.train_steps, finetune_steps: m.finetune_steps, kicks: m.kicks, grad_norm_trained: m.grad_norm_trained,
    hessian_min_eig_trained: m.hessian_min_eig_trained,
    diverged_phase: rec.diverged_phase, diverged_step: rec.diverged_step, error: rec.error, seconds: rec.seconds,
    keep: c.prune.keep ?? null, gap: c.prune.gap ?? null,
    // records written before penalties and optimizers were configurable used the defaults
    penalty: c.train.penalty?.kind ?? "smooth-group-lasso", optimizer: c.train.optimizer?.kind ?? "gd",
    init: c.model.init ?? "random", separation_step: m.separation_step ?? NaN,
  };
  for (const [k, v] of Object.entries(rec.swept)) row[k] = v;
  return row;
}

/** summary.csv text: rows in sweep order, one extra column per swept key. */
export function summaryCsv(records: readonly RunRecord[], sweptKeys: readonly string[]): string {
  const sorted = [...records].sort((a, b) => a.index - b.index || a.run_id.localeCompare(b.run_id));
  const extra = sweptKeys.filter((k) => !(SUMMARY_COLUMNS as readonly string[]).includes(k));
  return toCsv([...SUMMARY_COLUMNS, ...extra], sorted.map(summaryRow));
}

export function writeSummary(outDir: string, records: readonly RunRecord[], sweptKeys: readonly string[], file = "summary.csv"): void {
  writeFileAtomic(join(outDir, file), summaryCsv(records, sweptKeys));
}
