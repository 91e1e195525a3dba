/**
 * The claim checks say FAIL when the behaviour is absent: each is fed records
 * that show the paper's behaviour, then records that do not.
 */
import { describe, expect, it } from "vitest";
import { CLAIMS, slope } from "../../src/reproduce/claims.js";
import { DEFAULTS, type ResolvedConfig } from "../../src/config/resolved.js";
import { emptyMetrics, type RunMetrics } from "../../src/pipeline/run.js";
import type { RunRecord } from "../../src/output/results.js";

let nextId = 0;
function record(over: { lambda?: number; k?: number; n?: number; kind?: string }, metrics: Partial<RunMetrics>): RunRecord {
  const config: ResolvedConfig = {
    ...DEFAULTS,
    problem: { ...DEFAULTS.problem, kind: over.kind ?? "matrix-sensing", n: over.n ?? 2000 },
    model: { ...DEFAULTS.model, k: over.k ?? 40 },
    train: { ...DEFAULTS.train, lambda: over.lambda ?? 0.1 },
    prune: { threshold: 0.1, relative_threshold: null },
    formulas: {},
  };
  return {
    run_id: `r${nextId++}`, index: nextId, swept: {}, status: "ok", error: "", diverged_phase: "", diverged_step: null,
    metrics: { ...emptyMetrics(), ...metrics }, seconds: 0, config,
  };
}
const claim = (id: string) => CLAIMS.find((c) => c.id === id)!;
const noNorms = () => [];

describe("claims", () => {
  it("exact-r holds only when every regularized run keeps r", () => {
    const good = [record({}, { kept_columns: 3 }), record({}, { kept_columns: 3 })];
    expect(claim("exact-r").check({ records: good, trainedNorms: noNorms }).holds).toBe(true);
    const bad = [...good, record({}, { kept_columns: 4 })];
    const out = claim("exact-r").check({ records: bad, trainedNorms: noNorms });
    expect(out).toEqual({ measured: "matrix-sensing: kept = r in 2/3 runs", holds: false });
  });

  it("spread needs many comparable norms without the penalty", () => {
    const rec = record({ lambda: 0 }, { kept_columns: 30 });
    const spread = () => Array.from({ length: 40 }, (_, i) => 1 - i / 80);
    const peaked = () => [1, 1, 1, ...Array.from({ length: 37 }, () => 0.01)];
    expect(claim("spread").check({ records: [rec], trainedNorms: spread }).holds).toBe(true);
    expect(claim("spread").check({ records: [rec], trainedNorms: peaked }).holds).toBe(false);
  });

  it("linear-rate needs a rate below 1 and a small final error", () => {
    expect(claim("linear-rate").check({ records: [record({}, { finetune_rate: 0.9, recovery_error: 1e-12 })], trainedNorms: noNorms }).holds).toBe(true);
    expect(claim("linear-rate").check({ records: [record({}, { finetune_rate: 1, recovery_error: 1e-12 })], trainedNorms: noNorms }).holds).toBe(false);
    expect(claim("linear-rate").check({ records: [record({}, { finetune_rate: 0.9, recovery_error: 1e-3 })], trainedNorms: noNorms }).holds).toBe(false);
  });

  it("sosp fails on a strongly negative Hessian eigenvalue", () => {
    expect(claim("sosp").check({ records: [record({}, { grad_norm_trained: 1e-8, hessian_min_eig_trained: -1e-9 })], trainedNorms: noNorms }).holds).toBe(true);
    expect(claim("sosp").check({ records: [record({}, { grad_norm_trained: 1e-8, hessian_min_eig_trained: -0.1 })], trainedNorms: noNorms }).holds).toBe(false);
  });

  it("error-rate fits the log–log slope of the squared error", () => {
    const at = (n: number, e: number) => record({ n }, { recovery_error: e });
    const oneOverN = [at(500, 0.1), at(2000, 0.05), at(8000, 0.025)];
    expect(claim("error-rate").check({ records: oneOverN, trainedNorms: noNorms })).toEqual({
      measured: "matrix-sensing: slope -1.00 over n = 500…8000", holds: true,
    });
    const flat = [at(500, 0.1), at(2000, 0.09), at(8000, 0.085)];
    expect(claim("error-rate").check({ records: flat, trainedNorms: noNorms }).holds).toBe(false);
  });

  it("pruned-beats-dense compares the pruned model with the unregularized unpruned one at each n", () => {
    const recs = [record({ n: 500 }, { recovery_error: 0.1 }), record({ n: 500, lambda: 0 }, { recovery_error_trained: 0.2 })];
    expect(claim("pruned-beats-dense").check({ records: recs, trainedNorms: noNorms }).holds).toBe(true);
    recs.push(record({ n: 1000 }, { recovery_error: 0.1 }), record({ n: 1000, lambda: 0 }, { recovery_error_trained: 0.09 }));
    expect(claim("pruned-beats-dense").check({ records: recs, trainedNorms: noNorms }).holds).toBe(false);
  });

  it("kept-grid wants r everywhere with the penalty and growth with k without it", () => {
    const recs = [4, 8, 16].flatMap((k) => [record({ k }, { kept_columns: 3 }), record({ k, lambda: 0 }, { kept_columns: k })]);
    expect(claim("kept-grid").check({ records: recs, trainedNorms: noNorms }).holds).toBe(true);
    recs[0].metrics.kept_columns = 5;
    expect(claim("kept-grid").check({ records: recs, trainedNorms: noNorms }).holds).toBe(false);
  });

  // each two-part claim fails when either part fails
  it("kept-grid fails when λ > 0 keeps r everywhere but the λ = 0 count does not grow with k", () => {
    const flat = [4, 8, 16].flatMap((k) => [record({ k }, { kept_columns: 3 }), record({ k, lambda: 0 }, { kept_columns: 4 })]);
    expect(claim("kept-grid").check({ records: flat, trainedNorms: noNorms })).toEqual({
      measured: "matrix-sensing: λ > 0 keeps r in 3/3 runs; λ = 0 keeps 4.0 → 4.0 → 4.0 for k = 4, 8, 16", holds: false,
    });
    const single = [record({ k: 8 }, { kept_columns: 3 }), record({ k: 8, lambda: 0 }, { kept_columns: 8 })];
    expect(claim("kept-grid").check({ records: single, trainedNorms: noNorms }).holds).toBe(false);
  });

  it("sosp fails on a large gradient norm even with a positive Hessian eigenvalue", () => {
    const out = claim("sosp").check({ records: [record({}, { grad_norm_trained: 0.1, hessian_min_eig_trained: 1e-3 })], trainedNorms: noNorms });
    expect(out).toEqual({ measured: "matrix-sensing: ‖∇f‖ ≤ 0.100, λ_min ≥ 1.0e-3", holds: false });
    // the bounds are inclusive: ‖∇f‖ = 1e-3 and λ_min = −1e-3 are still approximately second-order stationary
    expect(claim("sosp").check({ records: [record({}, { grad_norm_trained: 1e-3, hessian_min_eig_trained: -1e-3 })], trainedNorms: noNorms }).holds).toBe(true);
  });

  it("spread fails when many norms are comparable but few columns are kept", () => {
    const rec = record({ lambda: 0 }, { kept_columns: 8 });
    const spread = () => Array.from({ length: 40 }, (_, i) => 1 - i / 80);
    expect(claim("spread").check({ records: [rec], trainedNorms: spread })).toEqual({
      measured: "matrix-sensing: 40–40 comparable columns, 8–8 kept (r = 3)", holds: false,
    });
  });

  it("every claim fails on a failed or diverged run, and on no runs", () => {
    const good: Record<string, () => RunRecord[]> = {
      "exact-r": () => [record({}, { kept_columns: 3 })],
      "linear-rate": () => [record({}, { finetune_rate: 0.9, recovery_error: 1e-12 })],
      sosp: () => [record({}, { grad_norm_trained: 1e-8, hessian_min_eig_trained: 0 })],
      "error-rate": () => [record({ n: 500 }, { recovery_error: 0.1 }), record({ n: 2000 }, { recovery_error: 0.05 })],
      "pruned-beats-dense": () => [record({}, { recovery_error: 0.1 }), record({ lambda: 0 }, { recovery_error_trained: 0.2 })],
    };
    for (const [id, make] of Object.entries(good)) {
      expect(claim(id).check({ records: make(), trainedNorms: noNorms }).holds, id).toBe(true);
      const bad = make();
      bad[0].status = "diverged";
      expect(claim(id).check({ records: bad, trainedNorms: noNorms }).holds, id).toBe(false);
      expect(claim(id).check({ records: [], trainedNorms: noNorms }), id).toEqual({ measured: "no runs", holds: false });
    }
  });

  it("judges each problem kind on its own: one failing kind fails the claim", () => {
    const recs = [record({}, { kept_columns: 3 }), record({ kind: "quadratic-net" }, { kept_columns: 5 })];
    expect(claim("exact-r").check({ records: recs, trainedNorms: noNorms })).toEqual({
      measured: "matrix-sensing: kept = r in 1/1 runs; quadratic-net: kept = r in 0/1 runs", holds: false,
    });
  });

  it("error-rate rejects slopes outside [-1.3, -0.7] on both sides", () => {
    const at = (n: number, e: number) => record({ n }, { recovery_error: e });
    // squared error ∝ n^-2 (too fast to be the noise rate): slope −2
    expect(claim("error-rate").check({ records: [at(500, 0.1), at(5000, 0.01)], trainedNorms: noNorms }).holds).toBe(false);
    expect(claim("error-rate").check({ records: [at(500, 0.1), at(5000, 0.1 / Math.sqrt(10))], trainedNorms: noNorms }).holds).toBe(true);
    // one n only: no slope
    expect(claim("error-rate").check({ records: [at(500, 0.1)], trainedNorms: noNorms }).holds).toBe(false);
  });

  it("fits slopes by least squares", () => {
    expect(slope([0, 1, 2], [1, 3, 5])).toBeCloseTo(2, 12);
  });
});
