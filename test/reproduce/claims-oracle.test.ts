/**
 * oracle-ratio and dense-grows-with-k on hand-made records: the pruned model's
 * error over the oracle's (model.init: oracle, same n and seed) run by run, and
 * the unpruned λ = 0 model's ratio per n and k. Each must FAIL when its property goes.
 */
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/output/results.js";
import { check, overSeeds, record } from "./fake-records.js";

/** At each n and seed: oracle error e, the pruned model's e·pruned, λ = 0 at k = 10 and 40 e·dense10, e·dense40. */
function runs(o: { pruned?: number; dense10?: number; dense40?: number; ns?: number[] } = {}): RunRecord[] {
  return overSeeds((seed) => (o.ns ?? [500, 8000]).flatMap((n) => {
    const e = 0.1 / Math.sqrt(n / 500) * (1 + 0.05 * seed);
    return [
      record({ n, seed, noise: 0.5, lambda: 0, init: "oracle" }, { recovery_error: e, kept_columns: 2 }),
      record({ n, seed, noise: 0.1 }, { recovery_error: e * (o.pruned ?? 1.001), kept_columns: 2 }),
      record({ n, seed, noise: 0.5, lambda: 0, k: 10 }, { recovery_error_trained: e * (o.dense10 ?? 1.5) }),
      record({ n, seed, noise: 0.5, lambda: 0, k: 40 }, { recovery_error_trained: e * (o.dense40 ?? 1.8) }),
    ];
  }));
}

describe("oracle-ratio", () => {
  it("PASSES when every pruned run is within [0.98, 1.02] of the oracle on its data and λ = 0 is above 1", () => {
    const v = check("oracle-ratio", runs());
    expect(v.holds).toBe(true);
    expect(v.measured).toBe("matrix-sensing: pruned/oracle 1.001–1.001 in 6 runs inside the exact-r condition; λ = 0/oracle at n = 500, 8000: k = 10 1.50, 1.50; k = 40 1.80, 1.80");
  });

  it("FAILS when one pruned run is 5% worse than the oracle on its data", () => {
    const recs = runs();
    const one = recs.find((r) => r.config.train.lambda > 0)!;
    one.metrics.recovery_error *= 1.05;
    expect(check("oracle-ratio", recs).holds).toBe(false);
    expect(check("oracle-ratio", runs({ pruned: 0.95 })).holds).toBe(false);
  });

  it("FAILS when the unpruned model is no worse than the oracle, or no oracle run is there", () => {
    expect(check("oracle-ratio", runs({ dense10: 1 })).holds).toBe(false);
    expect(check("oracle-ratio", runs().filter((r) => r.config.model.init !== "oracle")).holds).toBe(false);
  });

  it("lists pruned runs outside the exact-r condition by id instead of judging them", () => {
    // quadratic net, d = 20, σ = 0.5, n = 500: ν = 0.4 ≥ λ/√β, outside
    const recs = runs().map((r) => {
      const c = { ...r, config: { ...r.config, problem: { ...r.config.problem, d: 20, noise: 0.5, kind: "quadratic-net" } } };
      if (c.config.train.lambda > 0 && c.config.problem.n === 500) c.metrics = { ...c.metrics, recovery_error: c.metrics.recovery_error * 1.3 };
      return c;
    });
    const v = check("oracle-ratio", recs);
    expect(v.holds).toBe(true);
    expect(v.measured).toMatch(/in 3 runs inside the exact-r condition; .*; outside: \?\/h\d+ \(n = 500, ratio 1\.30\d\)/);
  });
});

describe("dense-grows-with-k", () => {
  it("PASSES when the λ = 0 ratio is larger at k = 40 than at k = 10 at every n", () => {
    expect(check("dense-grows-with-k", runs())).toEqual({
      measured: "matrix-sensing: λ = 0/oracle at n = 500, 8000: k = 10 1.5000, 1.5000; k = 40 1.8000, 1.8000", holds: true,
    });
  });

  it("FAILS when k does not matter, or matters the other way at one n", () => {
    expect(check("dense-grows-with-k", runs({ dense40: 1.5 })).holds).toBe(false);
    const recs = runs();
    for (const r of recs) if (r.config.model.k === 40 && r.config.train.lambda === 0 && r.config.problem.n === 8000) r.metrics.recovery_error_trained *= 0.8;
    expect(check("dense-grows-with-k", recs).holds).toBe(false);
  });
});
