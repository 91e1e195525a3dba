/**
 * The helper thread of ./share.ts: claims chunks of a moment reduction until
 * none are left, then copies the rows of H it computed into the shared `out`
 * and reports DONE (or FAILED). It never waits for the caller: if the caller
 * has already finished everything (CLOSED), it does nothing. A streaming helper
 * (rowsReady set) waits for each panel's rows as the caller writes them.
 */
import { workerData } from "node:worker_threads";
import { createWasmWorkspace } from "../wasm/kernels.js";
import { accumulateChunk, hRange, jobLayout } from "./chunks.js";
import { CLOSED, DONE, FAILED, IDLE, NEXT, ROWS_TIMEOUT_MS, STARTED, STATE, type HelperData } from "./protocol.js";

/** Returns once `count` rows are published in ready[0]; throws if none come for ROWS_TIMEOUT_MS. */
function rowsWaiter(rowsReady: SharedArrayBuffer | undefined): ((count: number) => void) | undefined {
  if (!rowsReady) return undefined;
  const ready = new Int32Array(rowsReady);
  return (count) => {
    for (let now = Atomics.load(ready, 0); now < count; now = Atomics.load(ready, 0)) {
      if (Atomics.wait(ready, 0, now, ROWS_TIMEOUT_MS) === "timed-out") throw new Error("rows never came");
    }
  };
}

function runJob({ job, input, bounds, control, out, rowsReady }: HelperData): void {
  const ctl = new Int32Array(control);
  if (Atomics.compareExchange(ctl, STATE, IDLE, STARTED) !== IDLE) {
    if (Atomics.load(ctl, STATE) !== CLOSED) throw new Error("moments helper started twice");
    return;
  }
  Atomics.notify(ctl, STATE); // a caller may be waiting for the start (ShareOptions.callerChunks)
  let state = FAILED;
  try {
    // test-only: a helper that fails, so tests see its caller take over (src/linalg imports nothing of the project)
    if (process.env.PRUNE_SENSE_TEST_INJECT_BUG === "helper") throw new Error("bug injected at helper (test-only)");
    const ws = createWasmWorkspace(jobLayout(job));
    if (!ws) return;
    const rows = new Float64Array(input);
    const awaitRows = rowsWaiter(rowsReady);
    const chunks = bounds.length - 1;
    const mine: number[] = [];
    for (let c = Atomics.add(ctl, NEXT, 1); c < chunks; c = Atomics.add(ctl, NEXT, 1)) {
      mine.push(c);
      accumulateChunk(job, ws, rows, bounds[c], bounds[c + 1], awaitRows);
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

runJob(workerData as HelperData);
