import { describe, expect, it } from "vitest";
import { captionFromSpec, columnNormsCaption, errorVsNCaption, keptHeatmapCaption, keptVsKCaption, logLogSlope, traceCaption } from "../../src/figures/captions.js";
import { PRUNED_SERIES, UNPRUNED_SERIES, type KeptCell } from "../../src/figures/data.js";

describe("captions from a figure's values", () => {
  it("counts the norms at or above ε per series, zeros as 0", () => {
    const points = [
      { series: "a", rank: 1, norm: 1, clamped: false }, { series: "a", rank: 2, norm: 0.2, clamped: false },
      { series: "a", rank: 3, norm: 1e-36, clamped: true },
    ];
    expect(columnNormsCaption(points, [{ value: 0.1, series: "a" }])).toBe("a: 2 of 3 norms ≥ ε = 0.1, largest 1, smallest 0.");
  });

  it("follows the recovery error through the phases and names the rate, or where the run diverged", () => {
    const values = [
      { step: 0, metric: "recovery error", value: 1 }, { step: 100, metric: "recovery error", value: 0.01 },
      { step: 150, metric: "recovery error", value: 1e-15 },
    ];
    const spans = { prune: 100, train: [0, 100] as [number, number], finetune: [100, 150] as [number, number] };
    expect(traceCaption(values, spans, 0.99996, null)).toBe(
      "recovery error 1 at step 0, 0.01 at pruning (step 100), 1e-15 at step 150; fine-tuning contracts ×0.99996 per step.",
    );
    expect(traceCaption(values.slice(0, 1), { prune: null, train: [0, 0], finetune: null }, null, { step: 4, phase: "train" })).toBe(
      "recovery error 1 at step 0; diverged at step 4 in train.",
    );
  });

  it("gives the kept range for λ > 0 and λ = 0 apart", () => {
    const cell = (lambda: number, min: number, max: number): KeptCell => ({ lambda, threshold: 0.1, kept: (min + max) / 2, runs: 2, min, max, label: [] });
    expect(keptHeatmapCaption([cell(0.1, 2, 2), cell(0, 5, 8)], 2)).toBe(
      "λ > 0: every run of its 1 cell keeps 2; λ = 0: runs keep 5–8 across its 1 cell (true rank r = 2).",
    );
  });

  it("gives kept columns at the smallest and largest k", () => {
    const points = [
      { k: 4, series: "s", kept: 4, runs: 2, min: 4, max: 4 }, { k: 32, series: "s", kept: 23.5, runs: 2, min: 20, max: 27 },
    ];
    expect(keptVsKCaption(points, 2)).toBe("s: 4 kept at k = 4, 23.5 at k = 32 (runs range 4–27); true rank r = 2.");
  });

  it("fits the log–log slope of the error against n", () => {
    expect(logLogSlope([{ n: 100, value: 1 }, { n: 10000, value: 0.1 }])).toBeCloseTo(-0.5, 12);
    const p = (n: number, series: string, metric: "recovery error" | "test loss", value: number) => ({ n, series, metric, value, runs: 1, min: value, max: value });
    expect(errorVsNCaption([p(100, PRUNED_SERIES, "recovery error", 1), p(10000, PRUNED_SERIES, "recovery error", 0.1), p(100, UNPRUNED_SERIES, "recovery error", 2), p(10000, PRUNED_SERIES, "test loss", 0.26)], 0.5))
      .toBe(`${PRUNED_SERIES}: recovery error 1 at n = 100, 0.1 at n = 10000 (log–log slope −0.50; the r-column rate's is −0.5); ${UNPRUNED_SERIES}: recovery error 2 at n = 100; its test loss at n = 10000 is 0.26, noise floor σ² = 0.25.`);
  });

  it("captions a figure without a caption of its own by its title and subtitle", () => {
    expect(captionFromSpec({ title: { text: "T", subtitle: ["a", "b"] }, mark: "point" } as never)).toBe("T: a b");
  });
});
