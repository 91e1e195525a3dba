/**
 * Split a moment reduction between this thread and one helper thread: both
 * claim chunks of rows of H from a shared counter (so a helper that starts late,
 * or a busy core, only shifts chunks to the other thread), the helper copies its
 * rows back through shared memory, and the caller copies them into its H.
 * Every entry of H is computed by the same code in the same order whichever
 * thread takes its chunk: the result is bit-identical to one thread's.
 *
 * The caller never depends on the helper: if it cannot be started, fails, or
 * does not answer within HELPER_TIMEOUT_MS, the caller computes the helper's
 * chunks itself.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { wasmAvailable } from "../wasm/kernels.js";
import {
  accumulateChunk, chunkBoundaries, hRange, inputWidth, jobLayout, unitCosts, type JobWorkspace, type MomentJob,
} from "./chunks.js";
import { CLOSED, CONTROL_WORDS, DONE, IDLE, NEXT, STARTED, STATE, type HelperData } from "./protocol.js";

/** Chunks per reduction: enough for the two threads to even out, few enough that re-reading the input stays cheap. */
const CHUNKS = 8;
/**
 * Below this many multiply-adds a helper is not worth starting (a thread starts in
 * ~30–40 ms; the SYRK does ~2·10⁹ multiply-adds a second on one core).
 */
export const MIN_SHARED_WORK = 2e8;
/** How long the caller waits for a helper that has begun, before it redoes the helper's chunks itself. */
const HELPER_TIMEOUT_MS = 120_000;

/** Where the built helper may be, relative to this file: beside it (dist/, dist/bundle/), or dist/ seen from src/ (tests). */
const WORKER_CANDIDATES = ["./moments-worker.js", "../../../dist/linalg/threads/moments-worker.js"];

let workerUrl: URL | null | undefined;

function helperScript(): URL | null {
  if (workerUrl === undefined) {
    workerUrl = null;
    for (const candidate of WORKER_CANDIDATES) {
      const url = new URL(candidate, import.meta.url);
      if (existsSync(fileURLToPath(url))) {
        workerUrl = url;
        break;
      }
    }
  }
  return workerUrl;
}

/**
 * Threads a moment reduction may use: PRUNE_SENSE_THREADS (1 or 2) when set,
 * else 2 on a machine with two or more cores.
 */
export function momentThreads(env: NodeJS.ProcessEnv = process.env): number {
  const asked = readThreadsSwitch(env.PRUNE_SENSE_THREADS);
  return asked.threads ?? Math.min(2, availableParallelism());
}

/** Read PRUNE_SENSE_THREADS: "1" or "2", or unset/"auto" (null: decide from the machine); another value is a `problem`. */
export function readThreadsSwitch(value: string | undefined): { threads: number | null; problem: string | null } {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "" || v === "auto") return { threads: null, problem: null };
  if (v === "1" || v === "2") return { threads: Number(v), problem: null };
  return { threads: null, problem: `PRUNE_SENSE_THREADS=${value}: expected 1, 2 or auto` };
}

/** Why PRUNE_SENSE_THREADS cannot be used, or null. The CLI reports it as a user error before doing anything. */
export const threadsSwitchProblem: string | null = readThreadsSwitch(process.env.PRUNE_SENSE_THREADS).problem;

/** Multiply-adds of a whole reduction (for MIN_SHARED_WORK). */
export function jobWork(job: MomentJob): number {
  if (job.kind === "syrk") return (job.n * job.m * job.m) / 2;
  const d = job.d;
  return (job.n * d * (d + 1) * (d + 2) * (d + 3)) / 24;
}

/** The input in shared memory (a copy). */
function sharedCopy(input: Float64Array): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(input.length * 8);
  new Float64Array(buffer).set(input);
  return buffer;
}

/** A new helper thread with this job; null when none can start. */
function startHelper(script: URL, data: HelperData): Worker | null {
  try {
    const worker = new Worker(script, { workerData: data });
    worker.unref();
    worker.on("error", () => {}); // a failed helper reports FAILED or times out; its chunks are redone here
    return worker;
  } catch {
    return null;
  }
}

/** A reduction whose helper reduces the rows while the caller is still writing them (streamMoments). */
export interface RowStream {
  /** Where to write the n rows (shared memory). */
  rows: Float64Array;
  /** Tell the helper that the first `count` rows are written. */
  publish(count: number): void;
}

interface Streaming {
  ctl: Int32Array;
  out: SharedArrayBuffer;
  worker: Worker;
  bounds: Int32Array;
}

/**
 * How a streamed reduction is cut into chunks of H's rows: the first, STREAM_FIRST of the
 * work, is the helper's while the rows are drawn (it reduces each panel as it lands); the
 * rest, in STREAM_REST chunks, goes to whichever thread is free once the rows are all
 * there: the caller when it has drawn them, the helper after its first chunk. (With one
 * chunk the caller waited ~0.1 s for the helper at (n, m) = (4000, 820).)
 */
export const STREAM_FIRST = 0.6;
export const STREAM_REST = 4;

/** Boundaries of a stream's chunks over units of these costs (fewer chunks when there are few units). */
export function streamBoundaries(costs: ArrayLike<number>): Int32Array {
  const units = costs.length;
  let total = 0;
  for (let i = 0; i < units; i++) total += costs[i];
  let first = 0;
  for (let acc = 0; first < units && acc < STREAM_FIRST * total; first++) acc += costs[first];
  if (first >= units) return Int32Array.of(0, units);
  const rest = chunkBoundaries(Array.prototype.slice.call(costs, first) as number[], STREAM_REST);
  return Int32Array.from([0, ...Array.from(rest, (b) => first + b)]);
}

/** Streams by the rows they reduce: accumulateMoments(job, ws, rows) finds its helper's work here. */
const streams = new WeakMap<Float64Array, Streaming>();

/**
 * Start a helper on a reduction before its rows exist: it reduces each panel as
 * soon as `publish` says its rows are written, in the same order as one thread
 * would, so drawing the data and reducing them overlap. Later,
 * accumulateMoments(job, ws, stream.rows) collects the result (or, if the helper
 * failed or never began, computes it). null when no helper would be used: write
 * the rows anywhere and reduce them as usual.
 */
export function streamMoments(job: MomentJob, options: ShareOptions = {}): RowStream | null {
  const script = chooseHelper(job, options);
  if (!script) return null;
  const rows = new Float64Array(new SharedArrayBuffer(8 * job.n * inputWidth(job)));
  const control = new SharedArrayBuffer(4 * CONTROL_WORDS), rowsReady = new SharedArrayBuffer(4);
  const out = new SharedArrayBuffer(8 * jobLayout(job).H);
  const bounds = streamBoundaries(unitCosts(job));
  const worker = startHelper(script, { job, input: rows.buffer as SharedArrayBuffer, bounds, control, out, rowsReady });
  if (!worker) return null;
  streams.set(rows, { ctl: new Int32Array(control), out, worker, bounds });
  const ready = new Int32Array(rowsReady);
  return {
    rows,
    publish(count) {
      Atomics.store(ready, 0, count);
      Atomics.notify(ready, 0);
    },
  };
}

/**
 * The streamed reduction of `input` (all its rows written) into ws's H: the chunks the
 * helper has not claimed are computed here (unless `mustStart`: tests that want every chunk
 * from the helper), then the helper's are copied, or computed here if it failed or never
 * began. Returns how many chunks the helper computed.
 */
function collectStream(stream: Streaming, job: MomentJob, ws: JobWorkspace, input: Float64Array, mustStart: boolean): number {
  const helped = shareChunks(job, ws, input, stream.ctl, stream.bounds, stream.out, mustStart ? 0 : Infinity);
  void stream.worker.terminate();
  return helped;
}

/**
 * This thread's part of a reduction cut at `bounds` and shared with a helper on `ctl`: it takes
 * chunks while any is left (at most `limit`), waits for the helper (to begin too, once it took its
 * limit), then copies the helper's rows of H from `out`, or computes them here if the helper failed
 * or never began. Returns how many chunks the helper computed.
 */
function shareChunks(
  job: MomentJob, ws: JobWorkspace, input: Float64Array, ctl: Int32Array, bounds: Int32Array, out: SharedArrayBuffer, limit: number,
): number {
  const chunks = bounds.length - 1;
  const mine = new Set<number>();
  while (mine.size < limit) {
    const c = Atomics.add(ctl, NEXT, 1);
    if (c >= chunks) break;
    mine.add(c);
    accumulateChunk(job, ws, input, bounds[c], bounds[c + 1]);
  }
  const state = awaitHelper(ctl, mine.size >= limit);
  const shared = state === DONE ? new Float64Array(out) : null;
  let helped = 0;
  for (let c = 0; c < chunks; c++) {
    if (mine.has(c)) continue;
    if (shared) {
      const [from, to] = hRange(job, bounds[c], bounds[c + 1]);
      ws.arrays.H.view.set(shared.subarray(from, to), from);
      helped++;
    } else accumulateChunk(job, ws, input, bounds[c], bounds[c + 1]);
  }
  return helped;
}

/** Whether a reduction of this size is shared with a helper thread here (the helper then holds its own copy of H). */
export function sharesWithHelper(job: MomentJob, options: ShareOptions = {}): boolean {
  // the size first: the thread count asks the system (sweeps ask this for every run's memory estimate)
  return wasmAvailable && jobWork(job) >= (options.minSharedWork ?? MIN_SHARED_WORK) && (options.threads ?? momentThreads()) >= 2;
}

function chooseHelper(job: MomentJob, options: ShareOptions): URL | null {
  return sharesWithHelper(job, options) ? helperScript() : null;
}

export interface ShareOptions {
  /** Threads to use (default momentThreads()). */
  threads?: number;
  /** Below this many multiply-adds stay on this thread (default MIN_SHARED_WORK). */
  minSharedWork?: number;
  /**
   * The caller takes at most this many chunks, then waits for the helper to do the
   * rest (default: no limit). For tests: with 0 every chunk comes from the helper
   * (of a stream too: the caller waits for it to begin instead of taking over).
   */
  callerChunks?: number;
}

/**
 * Add the whole reduction of `input` into ws's H (which must hold zeros): on
 * this thread alone when one thread is asked for, the job is small or the helper
 * script is missing, else shared with one helper thread; `input` from
 * streamMoments: its helper's result. Same result either way.
 * Returns how many chunks the helper computed.
 */
export function accumulateMoments(job: MomentJob, ws: JobWorkspace, input: Float64Array, options: ShareOptions = {}): number {
  const stream = streams.get(input);
  if (stream) {
    streams.delete(input);
    return collectStream(stream, job, ws, input, options.callerChunks === 0);
  }
  const costs = unitCosts(job);
  const script = chooseHelper(job, options);
  if (!script) {
    accumulateChunk(job, ws, input, 0, costs.length);
    return 0;
  }
  const bounds = chunkBoundaries(costs, CHUNKS);
  const control = new SharedArrayBuffer(4 * CONTROL_WORDS);
  const ctl = new Int32Array(control);
  const out = new SharedArrayBuffer(ws.arrays.H.view.length * 8);
  const worker = startHelper(script, { job, input: sharedCopy(input), bounds, control, out });
  if (!worker) Atomics.store(ctl, STATE, CLOSED);
  const helped = shareChunks(job, ws, input, ctl, bounds, out, options.callerChunks ?? Infinity);
  void worker?.terminate();
  return helped;
}

/**
 * The helper's final state once the caller is done: CLOSED if it never began
 * (unless `mustStart`: then wait for it to begin), else DONE, FAILED, or
 * STARTED after HELPER_TIMEOUT_MS.
 */
function awaitHelper(ctl: Int32Array, mustStart: boolean): number {
  const deadline = Date.now() + HELPER_TIMEOUT_MS;
  let state = mustStart ? Atomics.load(ctl, STATE) : Atomics.compareExchange(ctl, STATE, IDLE, CLOSED);
  while ((state === IDLE || state === STARTED) && Date.now() < deadline) {
    Atomics.wait(ctl, STATE, state, deadline - Date.now());
    state = Atomics.load(ctl, STATE);
  }
  return state;
}
