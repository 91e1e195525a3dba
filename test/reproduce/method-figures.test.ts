import { describe, expect, it } from "vitest";
import { compile } from "vega-lite";
import { normsByPenaltySpec, plotMethodComparison } from "../../src/reproduce/method-figures.js";
import { DEFAULTS, type ResolvedConfig } from "../../src/config/resolved.js";
import { emptyMetrics } from "../../src/pipeline/run.js";
import type { RunRecord } from "../../src/output/results.js";

describe("method comparison figure", () => {
  it("is one panel per penalty, in the given order, with ε as a rule", () => {
    const points = ["a", "b"].flatMap((series) => [1, 2].map((rank) => ({ series, rank, norm: 1 / rank, clamped: false })));
    const spec = normsByPenaltySpec("matrix-sensing", points, 0.1, ["b", "a"]) as unknown as Record<string, any>;
    expect(spec.facet.column.sort).toEqual(["b", "a"]);
    expect(spec.spec.layer).toHaveLength(2);
    expect(spec.data.values.every((v: { eps: number }) => v.eps === 0.1)).toBe(true);
    expect(() => compile(spec as never)).not.toThrow();
  });

  it("is not drawn for runs of a single penalty", async () => {
    const config: ResolvedConfig = { ...DEFAULTS, prune: { threshold: 0.1, relative_threshold: null }, formulas: {} };
    const rec: RunRecord = {
      run_id: "x", index: 0, swept: {}, status: "ok", error: "", diverged_phase: "", diverged_step: null,
      metrics: emptyMetrics(), seconds: 0, config,
    };
    expect(await plotMethodComparison("/nonexistent", [rec, { ...rec, run_id: "y" }], "/nonexistent/figures")).toEqual([]);
  });
});
