/** The pruning rules' own behaviour, and the mask applied to U. */
import { describe, expect, it } from "vitest";
import { activeRule, prune } from "../../src/pipeline/prune.js";
import { findPruneRule } from "../../src/methods/prune/registry.js";

const select = (key: string, norms: number[], p: number) => findPruneRule(key)!.select(norms, p);

describe("pruning rules", () => {
  it("threshold keeps norms ≥ ε, relative_threshold norms ≥ f × the largest", () => {
    expect(select("threshold", [0.5, 0.1, 0.09, 2], 0.1).kept).toEqual([0, 1, 3]);
    expect(select("relative_threshold", [0.5, 0.1, 0.09, 2], 0.25).kept).toEqual([0, 3]);
    expect(select("relative_threshold", [0.5, 0.1, 0.09, 2], 0.25).cut).toBe(0.5);
  });

  it("keep takes exactly the N largest, all of them when N ≥ k, ties by index", () => {
    expect(select("keep", [0.5, 0.1, 0.09, 2], 2)).toEqual({ kept: [0, 3], cut: 0.5 });
    expect(select("keep", [0.5, 0.1, 0.09, 2], 9).kept).toEqual([0, 1, 2, 3]);
    expect(select("keep", [0, 0, 1, 0], 2).kept).toEqual([0, 2]);
  });

  it("gap cuts at the largest ratio of consecutive sorted norms when it exceeds the minimum", () => {
    // sorted 2, 0.5, 0.1, 0.09: ratios 4, 5, 1.11 → the cut is after 0.5
    expect(select("gap", [0.5, 0.1, 0.09, 2], 4.9).kept).toEqual([0, 3]);
    expect(select("gap", [0.5, 0.1, 0.09, 2], 5).kept).toEqual([0, 1, 2, 3]);
    expect(select("gap", [1, 0, 0.8, 0], 10).kept).toEqual([0, 2]);
    expect(select("gap", [0, 0, 0], 10).kept).toEqual([0, 1, 2]);
    expect(select("gap", [3], 10).kept).toEqual([0]);
  });

  it("applies the config's one rule to U, keeping the columns' order", () => {
    // U is 2×4 row-major; column norms 1, 3, 0.001, 2
    const U = Float64Array.from([1, 0, 0.001, 2, 0, 3, 0, 0]);
    const out = prune(U, 2, 4, [1, 3, 0.001, 2], { threshold: null, relative_threshold: null, keep: 2 });
    expect(out.kept).toEqual([1, 3]);
    expect(Array.from(out.U)).toEqual([0, 2, 3, 0]);
    expect(activeRule({ threshold: null, relative_threshold: null, gap: 10 }).rule.key).toBe("gap");
    expect(activeRule({ threshold: 0.1, relative_threshold: null }).parameter).toBe(0.1);
  });
});
