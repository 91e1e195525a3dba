/**
 * What the calling thread and its helper share while they split a moment
 * reduction (./share.ts, ./moments-worker.ts): a control word array in a
 * SharedArrayBuffer and the helper's start-up data.
 */
import type { MomentJob } from "./chunks.js";

/** control[STATE]: the helper's state; control[NEXT]: the next unclaimed chunk (claimed with Atomics.add). */
export const STATE = 0, NEXT = 1, CONTROL_WORDS = 2;

/**
 * IDLE → STARTED (the helper began, and will claim chunks) → DONE (its rows are in `out`)
 * or FAILED. IDLE → CLOSED: the caller finished every chunk before the helper began;
 * the helper then does nothing.
 */
export const IDLE = 0, STARTED = 1, DONE = 2, FAILED = 3, CLOSED = 4;

export interface HelperData {
  job: MomentJob;
  /** The input rows (n × width), shared. */
  input: SharedArrayBuffer;
  /** Chunk boundaries in units (see chunks.unitCosts). */
  bounds: Int32Array;
  control: SharedArrayBuffer;
  /** The accumulated H's layout; the helper copies the rows of its chunks here. */
  out: SharedArrayBuffer;
  /**
   * When set, the input is still being written: word 0 counts the rows ready
   * (the caller publishes it); the helper waits for each panel's rows, up to
   * ROWS_TIMEOUT_MS for any one panel, then gives up (FAILED).
   */
  rowsReady?: SharedArrayBuffer;
}

/** How long a streaming helper waits for the next panel's rows before giving up. */
export const ROWS_TIMEOUT_MS = 60_000;

