import { describe, expect, it } from "vitest";
import { compile } from "vega-lite";
import { normsByPenaltySpec, plotMethodComparison } from "../../src/reproduce/method-figures.js";
import { sortedNorms } from "../../src/figures/data.js";
import { renderSvg } from "../../src/figures/render.js";
import { defects } from "../figures/legibility.js";
import { DEFAULTS, type ResolvedConfig } from "../../src/config/resolved.js";
import { emptyMetrics } from "../../src/pipeline/run.js";
import type { RunRecord } from "../../src/output/results.js";

describe("method comparison figure", () => {
  it("is one panel per penalty, in the given order, with ε as a rule", () => {
    const points = ["a", "b"].flatMap((series) => [1, 2].map((rank) => ({ series, rank, norm: 1 / rank, clamped: false })));
    const spec = normsByPenaltySpec("matrix-sensing", points, 0.1, ["b", "a"]) as unknown as Record<string, any>;
    expect(spec.facet.column.sort).toEqual(["b", "a"]);
    // the line, its points (▼ under the axis floor) and the ε rule
    expect(spec.spec.layer).toHaveLength(3);
    expect(spec.data.values.every((v: { eps: number }) => v.eps === 0.1)).toBe(true);
    expect(() => compile(spec as never)).not.toThrow();
  });

  it("stops its log axis 3 decades under ε, drawing the norms a penalty drove to 1e-35 or 0 on the bottom edge, counted", async () => {
    const points = [
      ...sortedNorms([1, 0.9, 1e-35, 3e-36].map((norm, column) => ({ stage: "trained", column, norm, kept: norm >= 0.1 })), "smooth"),
      ...sortedNorms([1, 0.9, 0, 0].map((norm, column) => ({ stage: "trained", column, norm, kept: norm >= 0.1 })), "exact", 3e-37),
    ];
    const spec = normsByPenaltySpec("matrix-sensing", points, 0.1, ["smooth", "exact"], 3e-37) as unknown as Record<string, any>;
    expect(spec.spec.layer[0].encoding.y.scale.domain[0]).toBe(1e-4);
    expect(spec.title.subtitle).toContain("▼ on the bottom edge: 4 columns below 1e-4 (down to 3e-36), 2 exactly 0");
    const svg = await renderSvg(spec as never);
    expect(defects(svg)).toEqual({ text: [], data: [], floats: [], decades: [] });
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
