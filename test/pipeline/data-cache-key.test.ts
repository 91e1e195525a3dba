/**
 * The key a data set is cached under: everything the data depend on (seed, problem,
 * data stream, build fingerprint, kernels), not n_test (the test set is drawn anew) nor the training
 * settings. Kept apart from data-cache.test.ts, whose runs are slow, so mutation testing
 * of src/pipeline can run it (test/stryker/pipeline.vitest.ts).
 */
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.js";
import { dataCacheKey } from "../../src/pipeline/data-cache.js";
import { DATA_STREAM, LEGACY_DATA_STREAM } from "../../src/random/streams.js";


for (const [kind, size] of Object.entries({ "matrix-sensing": { d: 24, n: 1200 }, "quadratic-net": { d: 24, n: 1500 } })) {
  const written = {
    seed: 5, problem: { kind, d: size.d, r: 2, n: size.n, n_test: 50, noise: 0.1 }, model: { k: 6 },
    train: { steps: 40, step_size: 0.01 }, finetune: { steps: 10, step_size: 0.01 }, log: { every: 10 },
  };
  const cfg = resolveConfig(written).config;

  describe(`the data cache key of ${kind}`, () => {
    it("files data under everything they depend on, and not under n_test", () => {
      const other = (patch: object) => dataCacheKey(resolveConfig({ ...written, ...patch }).config);
      const key = dataCacheKey(cfg);
      expect(other({ seed: 6 })).not.toBe(key);
      expect(other({ problem: { ...written.problem, n: size.n + 1 } })).not.toBe(key);
      expect(other({ problem: { ...written.problem, noise: 0.2 } })).not.toBe(key);
      expect(other({ problem: { ...written.problem, kappa: 2 } })).not.toBe(key);
      expect(other({ problem: { ...written.problem, n_test: 51 } })).toBe(key);
      expect(other({ train: { ...written.train, lambda: 0.5 } })).toBe(key);
      expect(key).toMatch(/"kernels":"(ts|wasm:[0-9a-f]{16})"/);
    });

    it("names the data stream, so no build reads data another sampler drew", () => {
      expect(JSON.parse(dataCacheKey(cfg)).stream).toBe(DATA_STREAM);
      expect(DATA_STREAM).not.toBe(LEGACY_DATA_STREAM);
    });

    it("names the build, so a changed program never reads data another build drew", () => {
      expect(JSON.parse(dataCacheKey(cfg, "a".repeat(64))).build).toBe("a".repeat(64));
      expect(dataCacheKey(cfg, "a".repeat(64))).not.toBe(dataCacheKey(cfg, "b".repeat(64)));
      expect(JSON.parse(dataCacheKey(cfg)).problem.n_test).toBeUndefined();
    });
  });
}
