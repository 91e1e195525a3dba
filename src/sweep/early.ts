/**
 * Worker threads that bin/prune-sense.js starts for a `run` before the program loads, so
 * that their start-up (~0.2 s here: Node's own bootstrap in each thread, then the
 * pipeline's modules) overlaps loading the program and planning. `run` takes them
 * (launch.ts's EarlyWorker); they are unref'd, so nothing else waits for them.
 */
import type { Worker } from "node:worker_threads";

/** A worker started ahead, and why it ended before it was taken (a broken build), if it did. */
export interface StartedWorker {
  worker: Worker;
  failure: Error | null;
}

const started: StartedWorker[] = [];

/** Hand over the workers started ahead (bin/prune-sense.js, through main). */
export function adoptStartedWorkers(workers: readonly StartedWorker[]): void {
  started.push(...workers);
}

/** Every worker started ahead and not taken yet (each is taken once). */
export function takeStartedWorkers(): StartedWorker[] {
  return started.splice(0);
}
