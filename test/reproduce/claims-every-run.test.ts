/**
 * A claim speaks for every run of its config: one failed run, or one run past a
 * bound among runs within it, fails the claim, and the measured text spans the
 * worst and the best run. Records are made by hand (fake-records.ts).
 */
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/output/results.js";
import { check, overSeeds, record } from "./fake-records.js";

const failed: RunRecord["status"] = "failed";

describe("one run is enough to fail a claim", () => {
  it("spread: a failed λ = 0 run among spread ones", () => {
    const spread = () => Array.from({ length: 40 }, (_, i) => 1 - i / 80);
    const good = () => record({ lambda: 0 }, { kept_columns: 30 });
    expect(check("spread", [good(), good()], spread).holds).toBe(true);
    expect(check("spread", [good(), record({ lambda: 0, status: failed }, { kept_columns: 30 })], spread).holds).toBe(false);
  });

  it("linear-rate: a failed run, and the largest rate and error of all runs", () => {
    const at = (rate: number, error: number, status?: RunRecord["status"]) => record({ status }, { finetune_rate: rate, recovery_error: error });
    expect(check("linear-rate", [at(0.5, 1e-13), at(0.9, 1e-12)])).toEqual({ measured: "matrix-sensing: rate 0.500–0.900, error ≤ 1.0e-12", holds: true });
    expect(check("linear-rate", [at(0.5, 1e-13), at(0.9, 1e-12, failed)]).holds).toBe(false);
    expect(check("linear-rate", [at(0.5, 1e-13), at(1.01, 1e-12)]).holds).toBe(false);
  });

  it("sosp: the largest gradient norm of all runs", () => {
    const at = (grad: number) => record({}, { grad_norm_trained: grad, hessian_min_eig_trained: 0 });
    expect(check("sosp", [at(1e-9), at(1e-8)]).holds).toBe(true);
    expect(check("sosp", [at(1e-9), at(1)]).holds).toBe(false);
    expect(check("sosp", [at(1), at(1e-9)]).measured).toBe("matrix-sensing: ‖∇f‖ ≤ 1.000, λ_min ≥ 0.0e+0");
  });

  it("top-r-baseline: a failed run, the smallest cut error, the largest ratio, and the range of both halves", () => {
    const peaked = [1, 0.9, 1e-8, 1e-9];
    const unreg = (cut: number, status?: RunRecord["status"]) => record({ lambda: 0, status }, { kept_columns: 2, recovery_error_pruned: cut, recovery_error_trained: 0.01 });
    const reg = (cut: number, trained: number) => record({}, { kept_columns: 2, recovery_error_pruned: cut, recovery_error_trained: trained });
    const good = [unreg(0.75), unreg(0.9), reg(0.0303, 0.03), reg(0.02, 0.02)];
    expect(check("top-r-baseline", good, () => peaked)).toEqual({
      measured: "matrix-sensing: after the cut λ = 0 0.750–0.900, λ > 0 0.020–0.030 (trained × 1.010 at most)", holds: true,
    });
    expect(check("top-r-baseline", [...good.slice(1), unreg(0.75, failed)], () => peaked).holds).toBe(false);
    // one λ = 0 run whose cut leaves a small error: the smallest decides
    expect(check("top-r-baseline", [...good, unreg(1e-3)], () => peaked).holds).toBe(false);
    // one λ > 0 run that loses accuracy at the cut: the largest ratio decides
    expect(check("top-r-baseline", [...good, reg(0.05, 0.02)], () => peaked).holds).toBe(false);
    // every λ > 0 run's (r+1)-th norm must be negligible, not just one
    const norms = (id: string) => (id === good[3].run_id ? [1, 0.9, 0.5] : peaked);
    expect(check("top-r-baseline", good, norms).holds).toBe(false);
  });

  it("error-vs-noise: a failed run among runs with the right slope; σ sorted whatever the run order", () => {
    const at = (noise: number, e: number, status?: RunRecord["status"]) => overSeeds((seed) => [record({ noise, status, seed }, { kept_columns: 2, recovery_error: e })]);
    expect(check("error-vs-noise", [...at(0.4, 0.04), ...at(0.1, 0.01)])).toEqual({
      measured: "matrix-sensing: slope 2.00 [2.00, 2.00] (95%, 3 seeds) over σ = 0.1…0.4 at n = 2000", holds: true,
    });
    expect(check("error-vs-noise", [...at(0.1, 0.01), ...at(0.4, 0.04), at(0.4, 0.04, failed)[0]]).holds).toBe(false);
  });

  it("exact-zeros reads the group-Lasso runs only", () => {
    const gl = record({ penalty: "group-lasso", k: 4 }, { kept_columns: 2 });
    const smooth = record({ k: 4 }, { kept_columns: 3 });
    const norms: Record<string, number[]> = { [gl.run_id]: [1, 1, 0, 0], [smooth.run_id]: [1, 1, 1e-3, 0] };
    expect(check("exact-zeros", [gl, smooth], (id) => norms[id])).toEqual({
      measured: "matrix-sensing: 2–2 columns exactly 0 of k = 4; kept = r with k − r exact zeros in 1/1 runs", holds: true,
    });
  });
});
