import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openArrayStore, type ArrayRecord, type ArrayStore } from "../../src/cache/store.js";
import { resolveConfig } from "../../src/config/resolve.js";
import { buildFingerprint, dataCacheKey, dataStoreFor } from "../../src/pipeline/data-cache.js";
import { runPipeline } from "../../src/pipeline/run.js";
import { buildProblem } from "../../src/pipeline/seeds.js";

const root = mkdtempSync(join(tmpdir(), "prune-sense-data-cache-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A store that counts its hits, misses and writes. */
function counting(store: ArrayStore) {
  const counts = { hits: 0, misses: 0, puts: 0 };
  const wrapped: ArrayStore = {
    ...store,
    get(key) {
      const r = store.get(key);
      if (r) counts.hits++;
      else counts.misses++;
      return r;
    },
    put(key, arrays: ArrayRecord) {
      counts.puts++;
      store.put(key, arrays);
    },
    // runs write their data in the background; written at once here, so the next line can count a hit
    putInBackground(key, arrays: ArrayRecord) {
      counts.puts++;
      store.put(key, arrays);
    },
  };
  return { store: wrapped, counts };
}

// big enough that the moments are worth caching (n·m² ≥ MIN_CACHED_WORK), small enough to be quick
const SIZES = {
  "matrix-sensing": { d: 24, n: 1200 },
  "quadratic-net": { d: 24, n: 1500 },
} as const;

for (const [kind, size] of Object.entries(SIZES)) {
  const written = {
    seed: 5, problem: { kind, d: size.d, r: 2, n: size.n, n_test: 50, noise: 0.1 }, model: { k: 6 },
    train: { steps: 40, step_size: 0.01 }, finetune: { steps: 10, step_size: 0.01 }, log: { every: 10 },
  };
  const cfg = resolveConfig(written).config;

  describe(`the data cache of ${kind}`, () => {
    it("misses and writes the data and moments once, then hits with the same bits and the same run", () => {
      const { store, counts } = counting(openArrayStore(join(root, kind)));
      const first = runPipeline(cfg, buildProblem(cfg, dataStoreFor(cfg, store)));
      expect(counts).toEqual({ hits: 0, misses: 1, puts: 1 });
      const second = runPipeline(cfg, buildProblem(cfg, dataStoreFor(cfg, store)));
      expect(counts).toEqual({ hits: 1, misses: 1, puts: 1 });
      const uncached = runPipeline(cfg, buildProblem(cfg));
      expect(second.trace).toEqual(first.trace);
      expect(second.columns).toEqual(first.columns);
      expect(uncached.trace).toEqual(first.trace);
      expect(uncached.metrics).toEqual(first.metrics);
    });

    it("uses what it reads: changed moments under the key change the run", async () => {
      const store = openArrayStore(join(root, `${kind}-tampered`));
      runPipeline(cfg, buildProblem(cfg, dataStoreFor(cfg, store)));
      await store.whenWritten();
      const key = dataCacheKey(cfg);
      const arrays = store.get(key)!;
      const b = arrays.b.slice();
      for (let i = 0; i < b.length; i++) b[i] *= 1.5;
      store.put(key, { ...arrays, b });
      const tampered = runPipeline(cfg, buildProblem(cfg, dataStoreFor(cfg, store)));
      const honest = runPipeline(cfg, buildProblem(cfg));
      expect(tampered.trace).not.toEqual(honest.trace);
    });
  });
}

describe("the data cache key", () => {
  const cfg = resolveConfig({ seed: 1, problem: { kind: "matrix-sensing", d: 6, r: 2, n: 100 } }).config;

  it("names the build that draws the data: two builds never share a key", () => {
    expect(buildFingerprint()).toMatch(/^[0-9a-f]{64}$/); // dist/bundle/build-fingerprint.txt, written by npm run build
    expect(dataCacheKey(cfg)).toBe(dataCacheKey(cfg, buildFingerprint()));
    expect(dataCacheKey(cfg, "a".repeat(64))).not.toBe(dataCacheKey(cfg, "b".repeat(64)));
    expect(dataCacheKey(cfg, "a".repeat(64))).toContain("a".repeat(64));
  });

  it("does not depend on n_test (the test set is drawn anew), and does on every other problem field and the seed", () => {
    const key = (over: object) => dataCacheKey(resolveConfig({ seed: 1, problem: { kind: "matrix-sensing", d: 6, r: 2, n: 100, ...over } }).config);
    expect(key({ n_test: 7 })).toBe(dataCacheKey(cfg));
    expect(key({ n: 101 })).not.toBe(dataCacheKey(cfg));
    expect(dataCacheKey({ ...cfg, seed: 2 })).not.toBe(dataCacheKey(cfg));
  });
});
