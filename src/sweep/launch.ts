/**
 * Launchers: run a list of planned runs, in this thread or on N worker threads.
 * They know nothing of sweeps or solvers: each group is handed to executeBatch, and
 * each finished record is reported as it lands. Output files do not depend on
 * the launcher or on N: every run's data and seed come from its own config.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Phase } from "../pipeline/run.js";
import { commitRunDraft, type RunDraft, type RunRecord } from "../output/results.js";
import { loadedPlugins, type PluginRef } from "../plugins/load.js";
import { BATCH_WIDTH } from "./batches.js";
import type { StartedWorker } from "./early.js";
import { createRunCaches, executeBatch, lastCacheNotes } from "./execute.js";
import type { PlannedRun } from "./plan.js";

export interface LaunchEvents {
  onStart?(run: PlannedRun, slot: number): void;
  onProgress?(run: PlannedRun, slot: number, phase: Phase, step: number, total: number): void;
  onDone?(record: RunRecord, slot: number): void;
  /** A line worth telling the user that is no run's result (a cache fault, which only costs time). */
  onNote?(line: string): void;
  /**
   * Which runs of a group to run, asked right before the group starts (default: all): processes
   * sharing a folder claim runs then (see output/run-claims.ts). An empty answer skips the group.
   */
  take?(group: readonly PlannedRun[]): readonly PlannedRun[];
}

/**
 * Messages between the launcher and a worker (see ./worker.ts). A worker gets a
 * group of runs that share their training (trainingKey), so it trains once.
 */
export type ToWorker =
  /** `inFlight`: how many of the worker's drafts wait to land (an Int32 both threads count, awaitDraftRoom). */
  | { type: "runs"; runs: PlannedRun[]; outDir: string; plugins: PluginRef[]; inFlight: SharedArrayBuffer }
  | { type: "exit" };
export type FromWorker =
  | { type: "start"; index: number }
  | { type: "progress"; index: number; phase: Phase; step: number; total: number }
  | { type: "done"; record: RunRecord }
  /** A run's files under temp names: this thread flushes and places them (commitRunDraft), then the run is done. */
  | { type: "drafted"; draft: RunDraft }
  | { type: "note"; line: string }
  | { type: "idle" };

/** Minimum time between two progress messages of one run (ms): keeps the message channel quiet. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Progress listener that forwards at most one update per PROGRESS_INTERVAL_MS
 * (and always the first and last step of a phase).
 */
export function throttledProgress(
  send: (phase: Phase, step: number, total: number) => void,
): (phase: Phase, step: number, total: number) => void {
  let last = 0;
  return (phase, step, total) => {
    const now = Date.now();
    if (step === 0 || step >= total || now - last >= PROGRESS_INTERVAL_MS) {
      last = now;
      send(phase, step, total);
    }
  };
}

/** The worker script: beside this module once built (dist/), absent in the TypeScript sources. */
export const WORKER_URL = new URL("./worker.js", import.meta.url);

/** Whether runs can go to worker threads: the worker script is built (not so when tests run the sources). */
export function workersAvailable(workerUrl: URL = WORKER_URL): boolean {
  return existsSync(fileURLToPath(workerUrl));
}

/**
 * A worker thread started before a launch needs it, so that its start-up (loading the pipeline and
 * compiling the kernels, ~0.1 s) overlaps the planning. It keeps the process alive only once a
 * launch takes it; `end()` ends it if none did.
 */
export class EarlyWorker {
  readonly worker: Worker;
  taken = false;
  /** Why it ended before a launch took it (a broken build): the launch that takes it fails with this. */
  failure: Error | null = null;

  /** A new worker of `workerUrl`, or one bin/prune-sense.js started before the program loaded (./early.ts). */
  constructor(workerUrl: URL = WORKER_URL, started?: StartedWorker) {
    this.worker = started?.worker ?? new Worker(workerUrl);
    this.failure = started?.failure ?? null;
    this.worker.unref();
    this.worker.on("error", (err) => (this.failure ??= err));
    this.worker.on("exit", (code) => (this.failure ??= new Error(`worker exited with code ${code} before it was used`)));
  }

  /** Hand the worker to a launch. */
  take(): Worker {
    this.taken = true;
    this.worker.ref();
    return this.worker;
  }

  /** End the worker if no launch took it. */
  end(): void {
    if (!this.taken) void this.worker.terminate();
  }
}

/** Run everything in the calling thread, in order. */
export async function launchInProcess(groups: readonly PlannedRun[][], outDir: string, events: LaunchEvents = {}): Promise<RunRecord[]> {
  const caches = createRunCaches();
  const records: RunRecord[] = [];
  for (const group of groups) {
    const runs = events.take ? events.take(group) : group;
    if (!runs.length) continue;
    records.push(...executeBatch(runs, outDir, caches, {
      onStart: (run) => events.onStart?.(run, 0),
      onProgress: (run) => throttledProgress((p, s, t) => events.onProgress?.(run, 0, p, s, t)),
      onDone: (record) => events.onDone?.(record, 0),
      onNote: events.onNote,
    }));
    // let timers (progress rendering) run between groups
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (const line of await lastCacheNotes()) events.onNote?.(line);
  return records;
}

/**
 * Which queued group a free worker takes (its index in `queue`): the first one on
 * the data set it last worked on (its problem cache holds that data), else the
 * first one on data no other worker is on (two workers never build one data set's
 * moments at once), else the first. Never changes a result, only who computes it.
 * @param lastData the data key each worker last took (undefined: none yet); `slot` is the free one
 * @param busy whether each worker is working now
 */
export function pickGroup(
  queueData: readonly string[], slot: number, lastData: readonly (string | undefined)[], busy: readonly boolean[],
): number {
  const mine = lastData[slot];
  const same = mine === undefined ? -1 : queueData.indexOf(mine);
  if (same >= 0) return same;
  const taken = new Set(lastData.filter((key, s) => s !== slot && busy[s] && key !== undefined));
  const fresh = queueData.findIndex((key) => !taken.has(key));
  return fresh >= 0 ? fresh : 0;
}

/**
 * Run on `jobs` worker threads pulling groups from one queue. `dataOf` names the
 * data set of a group: a worker keeps to its data set while it has groups, and
 * workers spread over data sets (pickGroup), so each data set is built by as few
 * workers as possible. `workerUrl` is the worker script (./worker.js beside this module;
 * tests that run this module from its TypeScript source pass the built one); `early` are
 * workers already started, taken first.
 */
export async function launchOnWorkers(
  groups: readonly PlannedRun[][], outDir: string, jobs: number, events: LaunchEvents = {},
  dataOf: (group: readonly PlannedRun[]) => string = () => "",
  workerUrl: URL = WORKER_URL, early: readonly EarlyWorker[] = [],
): Promise<RunRecord[]> {
  const queue = [...groups];
  const queueData = queue.map(dataOf);
  const records: RunRecord[] = [];
  const slots = Math.max(1, Math.min(jobs, queue.length));
  const lastData: (string | undefined)[] = Array.from({ length: slots }, () => undefined);
  const busy: boolean[] = Array.from({ length: slots }, () => false);
  // runs whose files are being flushed and placed here while their worker goes on
  const landing: Promise<void>[] = [];
  // the first failure (a worker that crashed, a commit that threw): no group is handed out after
  // it, the workers are ended, and the launch fails once every drafted run has landed
  let failure: { error: unknown } | null = null;
  const workers: Worker[] = [];
  const fail = (error: unknown): void => {
    if (failure) return;
    failure = { error };
    for (const w of workers) void w.terminate();
  };
  await Promise.all(
    Array.from({ length: slots }, (_, slot) =>
      new Promise<void>((resolve) => {
        const started = early.find((w) => !w.taken);
        if (started?.failure) {
          started.taken = true;
          fail(started.failure);
          resolve();
          return;
        }
        const worker = started ? started.take() : new Worker(workerUrl);
        workers.push(worker);
        if (failure) void worker.terminate();
        let group: PlannedRun[] = [];
        let current: PlannedRun | undefined;
        // a worker's runs land in the order it drafted them, at most DRAFTS_IN_FLIGHT waiting
        let landed: Promise<unknown> = Promise.resolve();
        const inFlight = new SharedArrayBuffer(4);
        const next = (): void => {
          busy[slot] = false;
          for (;;) {
            if (!queue.length || failure) {
              worker.postMessage({ type: "exit" } satisfies ToWorker);
              return;
            }
            const i = pickGroup(queueData, slot, lastData, busy);
            const g = queue.splice(i, 1)[0];
            const data = queueData.splice(i, 1)[0];
            // taken right before it starts: another process may have claimed it meanwhile
            const runs = events.take ? [...events.take(g)] : g;
            if (!runs.length) continue;
            lastData[slot] = data;
            busy[slot] = true;
            group = runs;
            // the worker loads the plug-ins this thread loaded (the same files, checked by hash)
            worker.postMessage({ type: "runs", runs, outDir, plugins: loadedPlugins(), inFlight } satisfies ToWorker);
            return;
          }
        };
        worker.on("message", (msg: FromWorker) => {
          if (msg.type === "start") {
            current = group.find((r) => r.index === msg.index);
            if (current) events.onStart?.(current, slot);
          } else if (msg.type === "progress" && current) events.onProgress?.(current, slot, msg.phase, msg.step, msg.total);
          else if (msg.type === "done") {
            records.push(msg.record);
            events.onDone?.(msg.record, slot);
          } else if (msg.type === "drafted") {
            const land = commitRunDraft(msg.draft, landed).then((record) => {
              draftLanded(new Int32Array(inFlight));
              records.push(record);
              events.onDone?.(record, slot);
            });
            land.catch(fail);
            landed = land;
            landing.push(land);
          } else if (msg.type === "note") events.onNote?.(msg.line);
          else if (msg.type === "idle") next();
        });
        worker.on("error", fail);
        worker.on("exit", (code) => {
          if (code !== 0) fail(new Error(`worker ${slot} exited with code ${code}`));
          resolve();
        });
        next();
      }),
    ),
  );
  await Promise.allSettled(landing);
  if (failure) throw (failure as { error: unknown }).error;
  return records;
}

/**
 * Drafts a worker may have waiting to land: two waves of a full batch. It bounds what waits on the
 * disk (temp files, claims, work a kill loses) when runs are drafted faster than they are flushed.
 */
export const DRAFTS_IN_FLIGHT = 2 * BATCH_WIDTH;

/**
 * In a worker, before handing a draft over: wait (blocking this thread, which has nothing else to
 * do) until fewer than `max` of its drafts wait to land, then count this one.
 */
export function awaitDraftRoom(inFlight: Int32Array, max: number = DRAFTS_IN_FLIGHT): void {
  for (;;) {
    const n = Atomics.load(inFlight, 0);
    if (n < max) break;
    Atomics.wait(inFlight, 0, n, 1000);
  }
  Atomics.add(inFlight, 0, 1);
}

/** In the main thread: one of a worker's drafts has landed (placed or given up). */
export function draftLanded(inFlight: Int32Array): void {
  Atomics.sub(inFlight, 0, 1);
  Atomics.notify(inFlight, 0);
}
