/**
 * exact-r-all: every run with a group penalty in every config, against the
 * condition under which the theory promises exact r (src/reproduce/conditions.ts).
 * Runs inside that keep another count make it FAIL; runs outside are listed by
 * id and do not; nothing is averaged away.
 */
import { describe, expect, it } from "vitest";
import { CLAIMS } from "../../src/reproduce/claims.js";
import { exactRScope } from "../../src/reproduce/conditions.js";
import type { RunRecord } from "../../src/output/results.js";
import { record } from "./fake-records.js";

const claim = CLAIMS.find((c) => c.id === "exact-r-all")!;
const run = (records: RunRecord[]) => claim.check({ records, trainedNorms: () => [], configOf: (r) => (r.run_id.length % 2 ? "odd" : "even") });
const exact = (over: Parameters<typeof record>[0] = {}) => record(over, { kept_columns: over.r ?? 2 });

describe("the exact-r condition", () => {
  it("holds for a noiseless smooth-group-Lasso run with the default λ, β", () => {
    expect(exactRScope(exact())).toEqual({ inScope: true, inside: true, why: "" });
  });

  it("fails when the noise's pull at zero reaches λ/√β: quadratic net, d = 20, σ = 0.5, n = 500 (ν = 0.4 ≥ 0.316)", () => {
    const r = record({ kind: "quadratic-net", noise: 0.5, n: 500 }, {});
    r.config.problem.d = 20;
    expect(exactRScope(r)).toEqual({ inScope: true, inside: false, why: "noise ν = 0.4 ≥ λ/√β = 0.316" });
    // the same run with twice the samples is inside: ν = 0.283
    r.config.problem.n = 1000;
    expect(exactRScope(r)).toMatchObject({ inside: true });
    // matrix sensing at n = 500: ν = 2σ√(2d/n) = 0.283 < 0.316, inside
    const s = record({ noise: 0.5, n: 500 }, {});
    s.config.problem.d = 20;
    expect(exactRScope(s)).toMatchObject({ inside: true });
  });

  it("fails where the S8 bound erases the weakest column (κ = 10, fixed λ = β = 0.1 on the quadratic net)", () => {
    expect(exactRScope(record({ kind: "quadratic-net", kappa: 10 }, {}))).toEqual({ inScope: true, inside: false, why: "S8: the weakest column has no stationary point" });
  });

  it("fails for the exact group Lasso started inside its dead zone, α ≤ λ/(4σ₁²)", () => {
    const r = record({ penalty: "group-lasso" }, {});
    r.config.model.init_scale = 1e-3;
    expect(exactRScope(r)).toEqual({ inScope: true, inside: false, why: "U₀ in the prox's dead zone: α = 1.0e-3 ≤ λ/(4σ₁²) = 0.025" });
    r.config.model.init_scale = 0.05;
    expect(exactRScope(r)).toMatchObject({ inside: true });
  });

  it("leaves out runs S2 says nothing about: λ = 0, weight decay, prune.keep, k < r", () => {
    expect(exactRScope(record({ lambda: 0 }, {}))).toEqual({ inScope: false, why: "no group penalty" });
    expect(exactRScope(record({ penalty: "weight-decay" }, {}))).toEqual({ inScope: false, why: "no group penalty" });
    const keep = record({}, {});
    keep.config.prune = { threshold: null, relative_threshold: null, keep: 2 };
    expect(exactRScope(keep)).toEqual({ inScope: false, why: "prune.keep fixes the count" });
    expect(exactRScope(record({ k: 1 }, {}))).toEqual({ inScope: false, why: "k < r" });
  });
});

describe("exact-r-all", () => {
  it("PASSES when every run inside the condition keeps r, and lists the runs outside by config and id", () => {
    const outside = record({ kind: "quadratic-net", noise: 0.5, n: 500 }, { kept_columns: 4 });
    outside.config.problem.d = 20;
    const v = run([exact(), exact({ kind: "quadratic-net" }), outside, record({ lambda: 0 }, { kept_columns: 19 })]);
    expect(v.holds).toBe(true);
    expect(v.measured).toContain("inside the condition: kept = r in 2/2 runs");
    expect(v.measured).toContain(`outside (1): ${outside.run_id.length % 2 ? "odd" : "even"}/${outside.run_id} (quadratic-net, n = 500, σ = 0.5, seed 1: kept 4) [noise ν = 0.4 ≥ λ/√β = 0.316]`);
    expect(v.measured).toContain("not in scope: 1 (no group penalty)");
  });

  it("FAILS when one run inside the condition keeps more than r, naming it, however many others keep r", () => {
    const bad = record({ noise: 0.1 }, { kept_columns: 3 });
    const v = run([...Array.from({ length: 50 }, () => exact()), bad]);
    expect(v.holds).toBe(false);
    expect(v.measured).toContain("kept = r in 50/51 runs");
    expect(v.measured).toContain(`failing inside: `);
    expect(v.measured).toContain(`/${bad.run_id} (matrix-sensing, n = 2000, σ = 0.1, seed 1: kept 3)`);
  });

  it("FAILS when a run inside the condition did not finish, and when no run is inside it", () => {
    expect(run([exact(), record({ status: "diverged" }, { kept_columns: 2 })]).holds).toBe(false);
    expect(run([record({ lambda: 0 }, { kept_columns: 19 })]).holds).toBe(false);
    expect(run([]).holds).toBe(false);
  });
});
