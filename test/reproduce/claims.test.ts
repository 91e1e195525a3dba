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
function record(
  over: { lambda?: number; beta?: number; k?: number; n?: number; kind?: string; kappa?: number; noise?: number; scaled?: boolean; seed?: number; init?: "oracle" },
  metrics: Partial<RunMetrics>,
): RunRecord {
  const config: ResolvedConfig = {
    ...DEFAULTS,
    seed: over.seed ?? DEFAULTS.seed,
    problem: { ...DEFAULTS.problem, kind: over.kind ?? "matrix-sensing", n: over.n ?? 2000, kappa: over.kappa ?? 1, noise: over.noise ?? 0 },
    model: { ...DEFAULTS.model, k: over.k ?? 40, ...(over.init ? { init: over.init } : {}) },
    train: { ...DEFAULTS.train, lambda: over.lambda ?? 0.1, beta: over.beta ?? 0.1 },
    prune: { threshold: 0.1, relative_threshold: null },
    formulas: over.scaled ? { "train.lambda": "sigma_r^3", "train.beta": "sigma_r^2" } : {},
  };
  return {
    run_id: `r${nextId++}`, index: nextId, swept: {}, status: "ok", error: "", diverged_phase: "", diverged_step: null,
    metrics: { ...emptyMetrics(), ...metrics }, seconds: 0, config,
  };
}
const claim = (id: string) => CLAIMS.find((c) => c.id === id)!;
/** The same records over seeds 1..count: slope claims need an interval over seeds. */
const overSeeds = (make: (seed: number) => RunRecord[], count = 3) => Array.from({ length: count }, (_, i) => make(i + 1)).flat();
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

  it("error-rate fits the log–log slope of the squared error, with its bootstrap interval over seeds", () => {
    // each seed a constant factor off: the slope is the same for every resample
    const at = (n: number, e: number, seed: number) => record({ n, seed }, { recovery_error: e * (1 + 0.1 * seed) });
    const oneOverN = overSeeds((s) => [at(500, 0.1, s), at(2000, 0.05, s), at(8000, 0.025, s)]);
    expect(claim("error-rate").check({ records: oneOverN, trainedNorms: noNorms })).toEqual({
      measured: "matrix-sensing: slope -1.00 [-1.00, -1.00] (95%, 3 seeds) over n = 500…8000", holds: true,
    });
    const flat = overSeeds((s) => [at(500, 0.1, s), at(2000, 0.09, s), at(8000, 0.085, s)]);
    expect(claim("error-rate").check({ records: flat, trainedNorms: noNorms }).holds).toBe(false);
    // the right mean slope from seeds that disagree (slopes −0.5 and −1.5): the interval leaves the band, FAIL
    const split = overSeeds((s) => [at(500, 0.1, 0), at(8000, 0.1 * 16 ** (s % 2 ? -0.25 : -0.75), 0)].map((r) => ({ ...r, config: { ...r.config, seed: s } })), 4);
    const v = claim("error-rate").check({ records: split, trainedNorms: noNorms });
    expect(v.measured).toMatch(/^matrix-sensing: slope -0\.\d\d \[-1\.50, -0\.50\] \(95%, 4 seeds\)/);
    expect(v.holds).toBe(false);
    // one seed: no interval, FAIL whatever the slope
    expect(claim("error-rate").check({ records: [at(500, 0.1, 1), at(2000, 0.05, 1)], trainedNorms: noNorms }).holds).toBe(false);
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
      "error-rate": () => overSeeds((seed) => [record({ n: 500, seed }, { recovery_error: 0.1 }), record({ n: 2000, seed }, { recovery_error: 0.05 })]),
      "pruned-beats-dense": () => [record({}, { recovery_error: 0.1 }), record({ lambda: 0 }, { recovery_error_trained: 0.2 })],
    };
    for (const [id, make] of Object.entries(good)) {
      expect(claim(id).check({ records: make(), trainedNorms: noNorms }).holds, id).toBe(true);
      // one diverged run among good ones is enough to fail
      const bad = [...make(), ...make()];
      bad[bad.length - 1].status = "diverged";
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
    const at = (n: number, e: number) => overSeeds((seed) => [record({ n, seed }, { recovery_error: e })]);
    // squared error ∝ n^-2 (too fast to be the noise rate): slope −2
    expect(claim("error-rate").check({ records: [...at(500, 0.1), ...at(5000, 0.01)], trainedNorms: noNorms }).holds).toBe(false);
    expect(claim("error-rate").check({ records: [...at(500, 0.1), ...at(5000, 0.1 / Math.sqrt(10))], trainedNorms: noNorms }).holds).toBe(true);
    // one n only: no slope
    expect(claim("error-rate").check({ records: at(500, 0.1), trainedNorms: noNorms }).holds).toBe(false);
  });

  it("fits slopes by least squares", () => {
    expect(slope([0, 1, 2], [1, 3, 5])).toBeCloseTo(2, 12);
  });

  it("conditioning wants r at every κ when scaled, and the fixed-λ losses exactly where the bound predicts", () => {
    const scaled = (kappa: number, kept: number) => record({ kappa, scaled: true, lambda: kappa ** -3, beta: kappa ** -2 }, { kept_columns: kept });
    const fixed = (kappa: number, kept: number) => record({ kappa }, { kept_columns: kept });
    // the bound: λ = β = 0.1 erases the weakest sensing column at κ = 5, not at κ = 1
    const good = [scaled(1, 3), scaled(5, 3), fixed(1, 3), fixed(5, 2)];
    expect(claim("conditioning").check({ records: good, trainedNorms: noNorms }).holds).toBe(true);
    for (const bad of [
      [scaled(1, 3), scaled(5, 2), fixed(1, 3), fixed(5, 2)], // the scaled config lost a column
      [scaled(1, 3), scaled(5, 3), fixed(1, 3), fixed(5, 3)], // the bound said erased, but it was kept
      [scaled(1, 3), scaled(5, 3), fixed(1, 3)], // vacuous: no fixed run the bound says loses a column
    ]) expect(claim("conditioning").check({ records: bad, trainedNorms: noNorms }).holds).toBe(false);
  });

  it("top-r-baseline needs a large error after cutting λ = 0 and the trained error kept with λ > 0", () => {
    const peaked = () => [1, 0.9, 0.8, 1e-8, 1e-9];
    const spread = () => [1, 0.9, 0.8, 0.5, 0.4];
    const recs = (cut: number, kept: number) => [
      record({ lambda: 0 }, { kept_columns: 3, recovery_error_pruned: cut, recovery_error_trained: 0.01 }),
      record({}, { kept_columns: 3, recovery_error_pruned: kept, recovery_error_trained: 0.03 }),
    ];
    const byId = (norms: () => number[], unregId: string) => (id: string) => (id === unregId ? spread() : norms());
    const good = recs(0.75, 0.03);
    expect(claim("top-r-baseline").check({ records: good, trainedNorms: byId(peaked, good[0].run_id) }).holds).toBe(true);
    const smallCut = recs(0.3, 0.03);
    expect(claim("top-r-baseline").check({ records: smallCut, trainedNorms: byId(peaked, smallCut[0].run_id) }).holds).toBe(false);
    const hurt = recs(0.75, 0.2);
    expect(claim("top-r-baseline").check({ records: hurt, trainedNorms: byId(peaked, hurt[0].run_id) }).holds).toBe(false);
    expect(claim("top-r-baseline").check({ records: good, trainedNorms: byId(spread, good[0].run_id) }).holds).toBe(false);
  });

  it("error-vs-noise fits the log–log slope of the squared error against σ", () => {
    const at = (noise: number, e: number, seed: number) => record({ noise, seed }, { kept_columns: 3, recovery_error: e });
    expect(claim("error-vs-noise").check({ records: overSeeds((s) => [at(0.1, 0.01, s), at(0.2, 0.02, s), at(0.4, 0.04, s)]), trainedNorms: noNorms })).toEqual({
      measured: "matrix-sensing: slope 2.00 [2.00, 2.00] (95%, 3 seeds) over σ = 0.1…0.4 at n = 2000", holds: true,
    });
    expect(claim("error-vs-noise").check({ records: overSeeds((s) => [at(0.1, 0.01, s), at(0.2, 0.014, s), at(0.4, 0.02, s)]), trainedNorms: noNorms }).holds).toBe(false);
  });

  it("gap-rule wants r with the penalty and anything else without it", () => {
    const recs = [record({}, { kept_columns: 3 }), record({ lambda: 0 }, { kept_columns: 40 })];
    expect(claim("gap-rule").check({ records: recs, trainedNorms: noNorms }).holds).toBe(true);
    recs[1].metrics.kept_columns = 3;
    expect(claim("gap-rule").check({ records: recs, trainedNorms: noNorms }).holds).toBe(false);
    recs[1].metrics.kept_columns = 40;
    recs[0].metrics.kept_columns = 4;
    expect(claim("gap-rule").check({ records: recs, trainedNorms: noNorms }).holds).toBe(false);
  });
});

/** Each claim on a mix of runs it must read and runs it must ignore, with its exact measured text. */
describe("claims, measured exactly", () => {
  const check = (id: string, records: RunRecord[], trainedNorms: (id: string) => number[] = noNorms) =>
    claim(id).check({ records, trainedNorms });

  it("exact-r reads the regularized runs only", () => {
    const recs = [record({}, { kept_columns: 3 }), record({ lambda: 0 }, { kept_columns: 40 })];
    expect(check("exact-r", recs)).toEqual({ measured: "matrix-sensing: kept = r in 1/1 runs", holds: true });
  });

  it("spread reads the λ = 0 runs, counts norms ≥ max/4 as comparable, and needs ≥ 3r of both", () => {
    // 9 = 3r norms at exactly max/4 or above; a regularized run with a peaked profile is ignored
    const norms: Record<string, number[]> = {};
    const a = record({ lambda: 0 }, { kept_columns: 9 });
    const b = record({ lambda: 0 }, { kept_columns: 12 });
    const reg = record({}, { kept_columns: 3 });
    norms[a.run_id] = [1, ...Array.from({ length: 8 }, () => 0.25), 0.1];
    norms[b.run_id] = Array.from({ length: 12 }, () => 2);
    norms[reg.run_id] = [1, 0, 0];
    expect(check("spread", [a, b, reg], (id) => norms[id])).toEqual({
      measured: "matrix-sensing: 9–12 comparable columns, 9–12 kept (r = 3)", holds: true,
    });
    norms[a.run_id] = [1, ...Array.from({ length: 8 }, () => 0.2499)];
    expect(check("spread", [a, b], (id) => norms[id]).holds).toBe(false);
    norms[a.run_id] = Array.from({ length: 12 }, () => 1);
    a.metrics.kept_columns = 8;
    expect(check("spread", [a, b], (id) => norms[id]).holds).toBe(false);
  });

  it("linear-rate reads the regularized runs, needs every rate < 1 and every error < 1e-6", () => {
    const recs = [
      record({}, { finetune_rate: 0.01, recovery_error: 1e-15 }),
      record({}, { finetune_rate: 0.86, recovery_error: 3e-15 }),
      record({ lambda: 0 }, { finetune_rate: 0.9999, recovery_error: 2e-4 }),
    ];
    expect(check("linear-rate", recs)).toEqual({ measured: "matrix-sensing: rate 0.010–0.860, error ≤ 3.0e-15", holds: true });
    expect(check("linear-rate", [recs[0], record({}, { finetune_rate: 1, recovery_error: 1e-15 })]).holds).toBe(false);
    expect(check("linear-rate", [recs[0], record({}, { finetune_rate: 0.5, recovery_error: 1e-6 })]).holds).toBe(false);
  });

  it("sosp reads the regularized runs and bounds the largest gradient and the smallest eigenvalue", () => {
    const recs = [
      record({}, { grad_norm_trained: 1e-8, hessian_min_eig_trained: -1e-9 }),
      record({}, { grad_norm_trained: 1e-4, hessian_min_eig_trained: 2e-9 }),
      record({ lambda: 0 }, { grad_norm_trained: 1000, hessian_min_eig_trained: -5 }),
    ];
    expect(check("sosp", recs)).toEqual({ measured: "matrix-sensing: ‖∇f‖ ≤ 1.0e-4, λ_min ≥ -1.0e-9", holds: true });
    expect(check("sosp", [recs[0], record({}, { grad_norm_trained: 1e-8, hessian_min_eig_trained: -0.5 })])).toEqual({
      measured: "matrix-sensing: ‖∇f‖ ≤ 1.0e-8, λ_min ≥ -0.500", holds: false,
    });
    expect(check("sosp", [record({}, { grad_norm_trained: 1000, hessian_min_eig_trained: 0 })]).measured).toBe(
      "matrix-sensing: ‖∇f‖ ≤ 1.0e+3, λ_min ≥ 0.0e+0",
    );
  });

  it("kept-grid counts k = r cells, sorts k, and accepts two widths", () => {
    const recs = [
      record({ k: 16, lambda: 0 }, { kept_columns: 14 }),
      record({ k: 3 }, { kept_columns: 3 }),
      record({ k: 4, lambda: 0 }, { kept_columns: 4 }),
      record({ k: 16 }, { kept_columns: 3 }),
    ];
    expect(check("kept-grid", recs)).toEqual({
      measured: "matrix-sensing: λ > 0 keeps r in 2/2 runs; λ = 0 keeps 4.0 → 14.0 for k = 4, 16", holds: true,
    });
  });

  it("error-rate reads the regularized runs, averages each n, and orders n", () => {
    const at = (n: number, e: number, lambda = 0.1) => overSeeds((seed) => [record({ n, lambda, seed }, { recovery_error: e })]);
    const recs = [at(8000, 0.025), at(500, 0.1), at(2000, 0.05), at(2000, 0.05), at(500, 5, 0), at(8000, 0.001, 0)].flat();
    expect(check("error-rate", recs)).toEqual({ measured: "matrix-sensing: slope -1.00 [-1.00, -1.00] (95%, 3 seeds) over n = 500…8000", holds: true });
    // the oracle baseline's runs (λ = 0 from U*) are not the pruned model's
    const oracle = overSeeds((seed) => [record({ n: 500, lambda: 0.1, seed, init: "oracle" }, { recovery_error: 100 })]);
    expect(check("error-rate", [...recs, ...oracle]).measured).toBe("matrix-sensing: slope -1.00 [-1.00, -1.00] (95%, 3 seeds) over n = 500…8000");
  });

  it("pruned-beats-dense lists the ratio at each n in order and needs each below 1", () => {
    const recs = [
      record({ n: 2000 }, { recovery_error: 0.09 }), record({ n: 2000, lambda: 0 }, { recovery_error_trained: 0.1 }),
      record({ n: 500 }, { recovery_error: 0.1 }), record({ n: 500, lambda: 0 }, { recovery_error_trained: 0.2 }),
    ];
    expect(check("pruned-beats-dense", recs)).toEqual({ measured: "matrix-sensing: pruned/unpruned error 0.50, 0.90", holds: true });
    recs[0].metrics.recovery_error = 0.1;
    expect(check("pruned-beats-dense", recs).holds).toBe(false);
  });
});
