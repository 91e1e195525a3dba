/** The relative recovery error, and the run's view of the data cache when it is off. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openArrayStore } from "../../src/cache/store.js";
import { dataStoreFor } from "../../src/pipeline/data-cache.js";
import { recoveryError } from "../../src/pipeline/metrics.js";
import type { GroundTruth } from "../../src/solvers/types.js";
import { planRuns } from "../../src/sweep/plan.js";

describe("recovery error ‖UUᵀ − M*‖_F / ‖M*‖_F", () => {
  // M* = u*u*ᵀ with u* = (1, 2): ‖M*‖_F = 5
  const truth: GroundTruth = { d: 2, r: 1, Ustar: Float64Array.of(1, 2), Mstar: Float64Array.of(1, 2, 2, 4), singularValues: [Math.sqrt(5)], MstarNorm: 5 };
  const X = new Float64Array(4);

  it("is 0 at the planted factor, up to sign and extra zero columns, and 1 at U = 0", () => {
    expect(recoveryError(Float64Array.of(1, 2), 1, truth, X)).toBe(0);
    expect(recoveryError(Float64Array.of(-1, 0, -2, 0), 2, truth, X)).toBe(0);
    expect(recoveryError(new Float64Array(2), 1, truth, X)).toBe(1);
  });

  it("divides the Frobenius distance by ‖M*‖_F", () => {
    // U = (2, 0): UUᵀ − M* = [[3, −2], [−2, −4]], norm √33
    expect(recoveryError(Float64Array.of(2, 0), 1, truth, X)).toBeCloseTo(Math.sqrt(33) / 5, 15);
  });
});

describe("the data cache switched off", () => {
  afterEach(() => vi.unstubAllEnvs());
  const [run] = planRuns({ train: { steps: 5 } }).runs;

  it("gives a run no store with PRUNE_SENSE_CACHE=off, and the store it is handed regardless", () => {
    vi.stubEnv("PRUNE_SENSE_CACHE", "off");
    expect(dataStoreFor(run.config)).toBeUndefined();
    const store = openArrayStore(mkdtempSync(join(tmpdir(), "prune-sense-cache-off-")));
    // (its writes go on in the background, so this reads only)
    const view = dataStoreFor(run.config, store)!;
    expect(view).toBeDefined();
    expect(view.get()).toBeNull();
  });

  it("gives a run the shared store otherwise", () => {
    vi.stubEnv("PRUNE_SENSE_CACHE", "");
    expect(dataStoreFor(run.config)).toBeDefined();
  });
});
