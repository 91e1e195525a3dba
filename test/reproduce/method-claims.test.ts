/**
 * The method claims say FAIL when the behaviour is absent: each is fed records
 * that show it, then records that do not.
 */
import { describe, expect, it } from "vitest";
import { check, record } from "./fake-records.js";

describe("method claims", () => {
  it("weight-decay-dense needs many kept columns and a trained UUᵀ close to M*", () => {
    const wd = (kept: number, fit: number) => record({ penalty: "weight-decay" }, { kept_columns: kept, recovery_error_trained: fit });
    expect(check("weight-decay-dense", [wd(18, 0.05), wd(20, 0.06)]).holds).toBe(true);
    expect(check("weight-decay-dense", [wd(18, 0.05), wd(2, 0.06)]).holds).toBe(false);
    expect(check("weight-decay-dense", [wd(18, 0.5)]).holds).toBe(false);
    // runs of other penalties are not evidence
    expect(check("weight-decay-dense", [record({}, { kept_columns: 20, recovery_error_trained: 0.01 })]).holds).toBe(false);
  });

  it("exact-zeros needs k − r columns exactly 0, not merely small", () => {
    const gl = record({ penalty: "group-lasso" }, { kept_columns: 2 });
    const exact = () => [1, 1, ...Array.from({ length: 18 }, () => 0)];
    const tiny = () => [1, 1, ...Array.from({ length: 18 }, () => 1e-30)];
    expect(check("exact-zeros", [gl], exact).holds).toBe(true);
    expect(check("exact-zeros", [gl], tiny).holds).toBe(false);
    expect(check("exact-zeros", [record({ penalty: "group-lasso" }, { kept_columns: 3 })], exact).holds).toBe(false);
  });

  it("sgd-exact-r needs SGD runs keeping r with the penalty, ≥ 3r without, and a small final error", () => {
    const reg = (kept: number, err = 1e-12) => record({ optimizer: "sgd" }, { kept_columns: kept, recovery_error: err });
    const unreg = (kept: number) => record({ optimizer: "sgd", lambda: 0 }, { kept_columns: kept });
    expect(check("sgd-exact-r", [reg(2), unreg(18)]).holds).toBe(true);
    expect(check("sgd-exact-r", [reg(3), unreg(18)]).holds).toBe(false);
    expect(check("sgd-exact-r", [reg(2), unreg(4)]).holds).toBe(false);
    expect(check("sgd-exact-r", [reg(2, 1e-3), unreg(18)]).holds).toBe(false);
    // gradient-descent runs are not evidence about SGD
    expect(check("sgd-exact-r", [record({}, { kept_columns: 2, recovery_error: 1e-12 }), record({ lambda: 0 }, { kept_columns: 18 })]).holds).toBe(false);
  });

  it("asymmetric claims need r kept pairs, the λ = 0 spread, and a linear fine-tuning", () => {
    const kind = "asymmetric-sensing";
    const good = [record({ kind }, { kept_columns: 2, finetune_rate: 0.93, recovery_error: 1e-15 }), record({ kind, lambda: 0 }, { kept_columns: 19 })];
    expect(check("asymmetric-exact-r", good).holds).toBe(true);
    expect(check("asymmetric-linear-rate", good).holds).toBe(true);
    expect(check("asymmetric-exact-r", [record({ kind }, { kept_columns: 5 }), good[1]]).holds).toBe(false);
    expect(check("asymmetric-linear-rate", [record({ kind }, { kept_columns: 2, finetune_rate: 1, recovery_error: 1e-15 })]).holds).toBe(false);
  });
});
