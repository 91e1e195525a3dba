/**
 * The helper thread of ./share.ts: claims chunks of a moment reduction until
 * none are left, then copies the rows of H it computed into the shared `out`
 * and reports DONE (or FAILED). It never waits for the caller: if the caller
 * has already finished everything (CLOSED), it does nothing. A helper started
 * ahead of its job first sleeps until the job is posted (or it is not needed).
 */
import { receiveMessageOnPort, workerData } from "node:worker_threads";
import { createWasmWorkspace } from "../wasm/kernels.js";
import { accumulateChunk, hRange, jobLayout } from "./chunks.js";
import {
  CLOSED, DONE, FAILED, IDLE, JOB_POSTED, NEXT, NO_JOB, STARTED, STATE, type HelperData, type WaitingHelperData,
} from "./protocol.js";

/** The job: in workerData, or (a helper started ahead) the one message that wakes it; null: not needed. */
function awaitJob(): HelperData | null {
  if ((workerData as HelperData).job) return workerData as HelperData;
  const { port, wake } = workerData as WaitingHelperData;
  const w = new Int32Array(wake);
  while (Atomics.load(w, 0) === NO_JOB) Atomics.wait(w, 0, NO_JOB);
  const message = Atomics.load(w, 0) === JOB_POSTED ? receiveMessageOnPort(port) : undefined;
  port.close();
  return message ? (message.message as HelperData) : null;
}

function runJob({ job, input, bounds, control, out }: HelperData): void {
  const ctl = new Int32Array(control);
  if (Atomics.compareExchange(ctl, STATE, IDLE, STARTED) !== IDLE) {
    if (Atomics.load(ctl, STATE) !== CLOSED) throw new Error("moments helper started twice");
    return;
  }
  Atomics.notify(ctl, STATE); // a caller may be waiting for the start (ShareOptions.callerChunks)
  let state = FAILED;
  try {
    const ws = createWasmWorkspace(jobLayout(job));
    if (!ws) return;
    const rows = new Float64Array(input);
    const chunks = bounds.length - 1;
    const mine: number[] = [];
    for (let c = Atomics.add(ctl, NEXT, 1); c < chunks; c = Atomics.add(ctl, NEXT, 1)) {
      mine.push(c);
      accumulateChunk(job, ws, rows, bounds[c], bounds[c + 1]);
    }
    const H = ws.arrays.H.view, shared = new Float64Array(out);
    for (const c of mine) {
      const [from, to] = hRange(job, bounds[c], bounds[c + 1]);
      shared.set(H.subarray(from, to), from);
    }
    state = DONE;
  } finally {
    Atomics.store(ctl, STATE, state);
    Atomics.notify(ctl, STATE);
  }
}

const data = awaitJob();
if (data) runJob(data);
