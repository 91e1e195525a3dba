/**
 * Each claim's exact measured text, and every part of each multi-part check
 * failing on its own: records that meet all parts but one must fail.
 */
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/output/results.js";
import { check, overSeeds, record } from "./fake-records.js";

describe("asymmetric-exact-r", () => {
  const kind = "asymmetric-sensing";
  const reg = (kept = 2) => record({ kind }, { kept_columns: kept });
  const unreg = (kept = 9, status?: RunRecord["status"]) => record({ kind, lambda: 0, status }, { kept_columns: kept });

  it("reads both halves and says so", () => {
    expect(check("asymmetric-exact-r", [reg(), reg(), unreg(9), unreg(12)])).toEqual({
      measured: "asymmetric-sensing: kept = r in 2/2 runs with λ > 0; λ = 0 keeps 9–12 (r = 2)", holds: true,
    });
  });

  it("fails when λ = 0 keeps fewer than 3r, when a λ = 0 run failed, or when either half has no runs", () => {
    expect(check("asymmetric-exact-r", [reg(), unreg(5)]).holds).toBe(false);
    expect(check("asymmetric-exact-r", [reg(), unreg(6)]).holds).toBe(true);
    expect(check("asymmetric-exact-r", [reg(), unreg(9), unreg(9, "diverged")]).holds).toBe(false);
    expect(check("asymmetric-exact-r", [reg()]).holds).toBe(false);
    expect(check("asymmetric-exact-r", [unreg()]).holds).toBe(false);
  });

  it("linear rate: reads the regularized runs only", () => {
    const runs = [record({ kind }, { finetune_rate: 0.5, recovery_error: 1e-14 }), record({ kind, lambda: 0 }, { finetune_rate: 2, recovery_error: 1 })];
    expect(check("asymmetric-linear-rate", runs)).toEqual({ measured: "asymmetric-sensing: rate 0.500–0.500, error ≤ 1.0e-14", holds: true });
  });
});

describe("sgd-exact-r", () => {
  const reg = (kept = 2, err = 1e-12) => record({ optimizer: "sgd" }, { kept_columns: kept, recovery_error: err });
  const unreg = (kept = 8, status?: RunRecord["status"]) => record({ optimizer: "sgd", lambda: 0, status }, { kept_columns: kept });

  it("measures the SGD runs only, and needs every part", () => {
    expect(check("sgd-exact-r", [reg(), reg(2, 3e-9), unreg(), unreg(6), record({ lambda: 0 }, { kept_columns: 1 })])).toEqual({
      measured: "matrix-sensing: kept = r in 2/2 runs with λ > 0, ≥ 3r in 2/2 with λ = 0; error ≤ 3.0e-9", holds: true,
    });
    expect(check("sgd-exact-r", [reg(), unreg(8, "diverged")]).holds).toBe(false);
    expect(check("sgd-exact-r", [reg()]).holds).toBe(false);
    expect(check("sgd-exact-r", [unreg()]).holds).toBe(false);
  });
});

describe("weight-decay-dense and exact-zeros", () => {
  it("weight decay: the range kept and the trained error, and a failed run fails it", () => {
    const wd = (kept: number, fit: number, status?: RunRecord["status"]) => record({ penalty: "weight-decay", status }, { kept_columns: kept, recovery_error_trained: fit });
    expect(check("weight-decay-dense", [wd(6, 0.05), wd(20, 0.1)])).toEqual({
      measured: "matrix-sensing: 6–20 of k = 20 kept (r = 2), trained error 0.050–0.100", holds: true,
    });
    expect(check("weight-decay-dense", [wd(6, 0.05), wd(5, 0.05)]).holds).toBe(false);
    expect(check("weight-decay-dense", [wd(6, 0.05), wd(6, 0.05, "failed")]).holds).toBe(false);
  });

  it("exact zeros: counts zeros per run and needs kept = r with k − r zeros in every run", () => {
    const gl = (kept = 2, status?: RunRecord["status"]) => record({ penalty: "group-lasso", k: 4, status }, { kept_columns: kept });
    const a = gl();
    const b = gl();
    const norms: Record<string, number[]> = { [a.run_id]: [1, 1, 0, 0], [b.run_id]: [1, 0.5, 0, 0] };
    expect(check("exact-zeros", [a, b], (id) => norms[id])).toEqual({
      measured: "matrix-sensing: 2–2 columns exactly 0 of k = 4; kept = r with k − r exact zeros in 2/2 runs", holds: true,
    });
    norms[b.run_id] = [1, 0.5, 0.1, 0];
    expect(check("exact-zeros", [a, b], (id) => norms[id])).toMatchObject({ measured: "matrix-sensing: 1–2 columns exactly 0 of k = 4; kept = r with k − r exact zeros in 1/2 runs", holds: false });
    const failed = gl(2, "failed");
    norms[failed.run_id] = [1, 1, 0, 0];
    expect(check("exact-zeros", [a, failed], (id) => norms[id]).holds).toBe(false);
  });
});

describe("top-r-baseline", () => {
  const peaked = [1, 0.9, 1e-8, 1e-9];
  const recs = (keptReg = 2) => [
    record({ lambda: 0 }, { kept_columns: 2, recovery_error_pruned: 0.75, recovery_error_trained: 0.01 }),
    record({ lambda: 0 }, { kept_columns: 2, recovery_error_pruned: 0.9, recovery_error_trained: 0.01 }),
    record({}, { kept_columns: keptReg, recovery_error_pruned: 0.0303, recovery_error_trained: 0.03 }),
  ];

  it("measures the cut errors of both halves and the worst ratio to the trained error", () => {
    expect(check("top-r-baseline", recs(), () => peaked)).toEqual({
      measured: "matrix-sensing: after the cut λ = 0 0.750–0.900, λ > 0 0.030–0.030 (trained × 1.010 at most)", holds: true,
    });
  });

  it("fails when a run keeps another count than r, when a half is missing, and when the r-th norm is not negligible", () => {
    expect(check("top-r-baseline", recs(3), () => peaked).holds).toBe(false);
    expect(check("top-r-baseline", recs().slice(0, 2), () => peaked).holds).toBe(false);
    expect(check("top-r-baseline", recs().slice(2), () => peaked).holds).toBe(false);
    // the (r+1)-th largest at exactly 1e-3 of the largest is not below it
    expect(check("top-r-baseline", recs(), () => [1, 0.9, 1e-3]).holds).toBe(false);
    expect(check("top-r-baseline", recs(), () => [1, 0.9, 0.99e-3]).holds).toBe(true);
    // as many norms as r: nothing beyond the r-th to be negligible
    expect(check("top-r-baseline", recs(), () => [1, 0.9]).holds).toBe(false);
  });
});

describe("error-vs-noise", () => {
  const at = (noise: number, e: number, kept = 2) => overSeeds((seed) => [record({ noise, seed }, { kept_columns: kept, recovery_error: e })]);
  const runs = (...groups: RunRecord[][]) => groups.flat();

  it("rejects a slope above 2.3 and one below 1.7, needs two σ > 0, three seeds, and kept = r", () => {
    expect(check("error-vs-noise", runs(at(0.1, 0.01), at(0.4, 0.01 * 4 ** 1.6))).holds).toBe(false);
    expect(check("error-vs-noise", runs(at(0.1, 0.01), at(0.4, 0.01 * 4 ** 1.05))).holds).toBe(true);
    expect(check("error-vs-noise", runs(at(0.1, 0.01), at(0.4, 0.01 * 4 ** 0.8))).holds).toBe(false);
    // σ = 0 runs are not on a log axis: one σ > 0 left is no slope
    expect(check("error-vs-noise", runs(at(0, 1e-15), at(0.1, 0.01))).holds).toBe(false);
    expect(check("error-vs-noise", runs(at(0.1, 0.01), at(0.4, 0.04, 3))).holds).toBe(false);
    expect(check("error-vs-noise", runs(at(0, 1e-15), at(0.1, 0.01), at(0.4, 0.04)))).toEqual({
      measured: "matrix-sensing: slope 2.00 [2.00, 2.00] (95%, 3 seeds) over σ = 0.1…0.4 at n = 2000", holds: true,
    });
    // two seeds are too few for an interval
    expect(check("error-vs-noise", runs(at(0.1, 0.01), at(0.4, 0.04)).filter((r) => r.config.seed <= 2)).holds).toBe(false);
  });

  it("FAILS when the seeds disagree: slope 2 on average, but 1.4 and 2.6 seed by seed, so the interval leaves [1.7, 2.3]", () => {
    const seedSlope = (seed: number) => (seed % 2 ? 1.4 : 2.6);
    const recs = overSeeds((seed) => [record({ noise: 0.1, seed }, { kept_columns: 2, recovery_error: 0.1 }), record({ noise: 0.4, seed }, { kept_columns: 2, recovery_error: 0.1 * Math.sqrt(4 ** seedSlope(seed)) })], 6);
    const v = check("error-vs-noise", recs);
    expect(v.measured).toMatch(/slope 2\.\d\d \[1\.\d\d, 2\.\d\d\] \(95%, 6 seeds\)/);
    expect(v.holds).toBe(false);
  });
});

describe("gap-rule, pruned-beats-dense and conditioning", () => {
  it("gap-rule measures both halves and needs each to have runs", () => {
    const recs = [record({}, { kept_columns: 2 }), record({ lambda: 0 }, { kept_columns: 7 }), record({ lambda: 0 }, { kept_columns: 11 })];
    expect(check("gap-rule", recs)).toEqual({ measured: "matrix-sensing: λ > 0 keeps r in 1/1 runs; λ = 0 keeps 7–11 (r = 2)", holds: true });
    expect(check("gap-rule", recs.slice(0, 1)).holds).toBe(false);
    expect(check("gap-rule", recs.slice(1)).holds).toBe(false);
    expect(check("gap-rule", [...recs, record({ lambda: 0, status: "failed" }, { kept_columns: 9 })]).holds).toBe(false);
  });

  it("pruned-beats-dense needs a ratio strictly below 1", () => {
    const recs = [record({}, { recovery_error: 0.2 }), record({ lambda: 0 }, { recovery_error_trained: 0.2 })];
    expect(check("pruned-beats-dense", recs)).toEqual({ measured: "matrix-sensing: pruned/unpruned error 1.00", holds: false });
  });

  it("conditioning needs two κ, and scaled and fixed runs", () => {
    const scaled = (kappa: number) => {
      const r = record({ kappa, lambda: kappa ** -3, r: 3 }, { kept_columns: 3 });
      r.config.formulas = { "train.lambda": "sigma_r^3" };
      return r;
    };
    const fixed = (kappa: number, kept: number) => record({ kappa, r: 3 }, { kept_columns: kept });
    const good = [scaled(1), scaled(5), fixed(1, 3), fixed(5, 2)];
    expect(check("conditioning", good)).toEqual({
      measured: "matrix-sensing: kept at κ = 1, 5 (r = 3): scaled 3, 3, fixed λ 3, 2; bound predicted 2/2 fixed runs", holds: true,
    });
    expect(check("conditioning", [scaled(5), fixed(5, 2)]).holds).toBe(false);
    expect(check("conditioning", [fixed(1, 3), fixed(5, 2)]).holds).toBe(false);
    expect(check("conditioning", [scaled(1), scaled(5)]).holds).toBe(false);
    expect(check("conditioning", [...good, record({ kappa: 5, r: 3, status: "diverged" }, { kept_columns: 2 })]).holds).toBe(false);
  });
});
