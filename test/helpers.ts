/** Shared test helpers: seeded random data, numerical comparisons, config error lines. */
import { ConfigError } from "../src/errors.js";
import { createStream } from "../src/random/streams.js";

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

/** The lines of the ConfigError that `fn` throws; any other error propagates, and no error at all fails the test. */
export function configErrorLines(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  throw new Error("expected a ConfigError");
}
