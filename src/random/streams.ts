/**
 * Seeded random streams. Every draw in prune-sense comes from seedrandom (the
 * alea generator: fast, 2^116 period, stable across platforms); nothing calls
 * Math.random. Streams are keyed by purpose so that, e.g., the data depend only
 * on `seed` and `problem.*` and the initialization only on `seed`, `problem.d`
 * and `model.*`: changing λ never changes the data or U₀.
 */
import seedrandom from "seedrandom";

/** A source of uniform draws in [0, 1) and standard normal draws. */
export interface Rng {
  uniform(): number;
  normal(): number;
  /** Fill out[0..len) with iid N(0, 1)·scale. */
  fillNormal(out: Float64Array, scale?: number, len?: number): Float64Array;
}

/**
 * A stream for one purpose. `key` is any string (e.g. `data:1:{...}`); equal keys
 * give equal streams.
 * @example const rng = createStream("init:1:20:{\"k\":40}"); rng.normal();
 */
export function createStream(key: string): Rng {
  const prng = seedrandom.alea(`prune-sense/${key}`);
  let spare = NaN;
  // Box–Muller, both outputs used: one log, one sqrt and one sin/cos per pair.
  const normal = (): number => {
    if (!Number.isNaN(spare)) {
      const v = spare;
      spare = NaN;
      return v;
    }
    let u = prng();
    while (u <= 0) u = prng();
    const v = prng();
    const rad = Math.sqrt(-2 * Math.log(u));
    const th = 2 * Math.PI * v;
    spare = rad * Math.sin(th);
    return rad * Math.cos(th);
  };
  return {
    uniform: () => prng(),
    normal,
    fillNormal(out, scale = 1, len = out.length) {
      for (let i = 0; i < len; i++) out[i] = scale * normal();
      return out;
    },
  };
}

/** Deterministic JSON with sorted keys: the canonical text of a value for keys and hashes. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(",")}}`;
}
