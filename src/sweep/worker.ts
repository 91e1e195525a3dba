/**
 * A worker thread of launchOnWorkers: runs the groups it is sent (a group's runs in lockstep), with
 * its own problem cache, and reports progress and records back: each run's files as a draft
 * (written under temp names) that the main thread commits.
 */
import { parentPort } from "node:worker_threads";
import { ensurePlugins } from "../plugins/load.js";
import { createRunCaches, executeBatch, lastCacheNotes } from "./execute.js";
import { awaitDraftRoom, throttledProgress, type FromWorker, type ToWorker } from "./launch.js";

const port = parentPort;
if (!port) throw new Error("sweep/worker.js must run as a worker thread");
const caches = createRunCaches();

const note = (line: string): void => port.postMessage({ type: "note", line } satisfies FromWorker);

port.on("message", async (msg: ToWorker) => {
  if (msg.type === "exit") {
    port.close();
    return;
  }
  await ensurePlugins(msg.plugins);
  const inFlight = new Int32Array(msg.inFlight);
  executeBatch(msg.runs, msg.outDir, caches, {
    onStart: (run) => port.postMessage({ type: "start", index: run.index } satisfies FromWorker),
    onProgress: (run) => throttledProgress((phase, step, total) =>
      port.postMessage({ type: "progress", index: run.index, phase, step, total } satisfies FromWorker)),
    onDone: (record) => port.postMessage({ type: "done", record } satisfies FromWorker),
    // the main thread flushes and places the files while this thread steps the next runs
    onDrafted: (draft) => {
      awaitDraftRoom(inFlight);
      port.postMessage({ type: "drafted", draft } satisfies FromWorker);
    },
    onNote: note,
  });
  // the group's cache file is written in the background: its warnings, if any, before the next group
  for (const line of await lastCacheNotes()) note(line);
  port.postMessage({ type: "idle" } satisfies FromWorker);
});
