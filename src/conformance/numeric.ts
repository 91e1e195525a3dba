/**
 * Numbers for the shared checks (./*.ts): seeded test arrays, the relative error of
 * two arrays, central finite differences, and the heap growth of a repeated step.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createStream } from "../random/streams.js";

/** len iid N(0, scale²) draws from the stream "test:<key>" (the same numbers in every process). */
export function randomArray(len: number, key: string, scale = 1): Float64Array {
  return createStream(`test:${key}`).fillNormal(new Float64Array(len), scale);
}

/** max_i |a_i − b_i| / max(1, max_i |b_i|) */
export function relativeMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

/**
 * Central finite differences of f at U along every coordinate: the numerical gradient.
 * h scales with the entry, O(h²) truncation error.
 */
export function numericalGradient(f: (U: Float64Array) => number, U: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(U.length);
  const W = Float64Array.from(U);
  for (let i = 0; i < U.length; i++) {
    const step = h * Math.max(1, Math.abs(U[i]));
    W[i] = U[i] + step;
    const fp = f(W);
    W[i] = U[i] - step;
    const fm = f(W);
    W[i] = U[i];
    g[i] = (fp - fm) / (2 * step);
  }
  return g;
}

let collect: (() => void) | undefined;
/** A full garbage collection (V8's gc, exposed on first use). */
function gc(): void {
  if (!collect) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  collect();
}

/**
 * Steps the heap-growth check takes, and the growth it allows over them: 256 KiB is twice the
 * most measured for code that keeps nothing (V8's optimized code and type feedback for a hot
 * function, made once), and a step that keeps 8 bytes (one array entry) grows 312 KiB.
 */
export const GROWTH_STEPS = 80_000;
export const GROWTH_LIMIT = 256 * 1024;

/**
 * Bytes the heap holds after `steps` calls of `step` more than before them, both measured
 * after a full collection and after 1000 warm-up calls: memory a step keeps shows as
 * growth, short-lived garbage does not. One window over all the steps, not the least of
 * several: an array that keeps an entry per step grows its storage by doubling, so a
 * shorter window may see no growth at all.
 */
export function heapGrowth(step: () => void, steps = GROWTH_STEPS): number {
  for (let i = 0; i < 1000; i++) step();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < steps; i++) step();
  gc();
  return process.memoryUsage().heapUsed - before;
}

/** "12.5 KiB" */
export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** A number for a check's detail line: 3 significant digits. */
export function num(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : String(x);
}
