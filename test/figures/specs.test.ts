import { join } from "node:path";
import { compile, type TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import { keptGrid } from "../../src/figures/data.js";
import { loadSummary } from "../../src/figures/results.js";
import {
  columnNormsSpec, errorVsNSpec, keptHeatmapSpec, keptVsKSpec, logTicks, normAxisFloor, phaseLabels, roundLogDomain, traceSpec,
} from "../../src/figures/specs.js";

const SWEEP = join(import.meta.dirname, "../fixtures/figures/sweep");

/** The inline data of the layer (or top level) named `name`. */
function layerValues(spec: TopLevelSpec, name?: string): unknown[] {
  const s = spec as { data?: { values: unknown[] }; layer?: { name?: string; data?: { values: unknown[] } }[] };
  if (name === undefined) return s.data?.values ?? [];
  return s.layer?.find((l) => l.name === name)?.data?.values ?? [];
}

describe("keptHeatmapSpec", () => {
  const rows = loadSummary(SWEEP).filter((r) => r.kind === "matrix-sensing");
  const spec = keptHeatmapSpec({ kind: "matrix-sensing", cells: keptGrid(rows, "threshold"), relative: false, r: 2 });

  it("holds one cell per (λ, ε) with the mean of kept columns over the seeds", () => {
    // The fixture's seeds 1 and 2 keep 2 and 3 columns at λ = 0.1, ε = 0.05.
    expect(layerValues(spec)).toContainEqual({ lambda: 0.1, threshold: 0.05, kept: 2.5, runs: 2, min: 2, max: 3, label: ["2.5", "2–3"] });
    expect(layerValues(spec)).toHaveLength(4);
  });

  it("turns the cell text white above the middle of the colour range", () => {
    expect(JSON.stringify(spec)).toContain("datum.kept > 4.75"); // (2 + 7.5) / 2
  });
});

describe("spec builders", () => {
  const norms = {
    kind: "population",
    points: [
      { series: "regularized (λ=0.1)", rank: 1, norm: 1, clamped: false },
      { series: "regularized (λ=0.1)", rank: 2, norm: 1e-12, clamped: true },
    ],
    thresholds: [{ value: 0.1, series: "regularized (λ=0.1)" }],
    caption: "ε = 0.1",
  };

  it("are pure: same input, same spec, input untouched", () => {
    const before = structuredClone(norms);
    expect(columnNormsSpec(norms)).toEqual(columnNormsSpec(norms));
    expect(norms).toEqual(before);
  });

  it("stop the log axis 3 decades under ε and count the columns below it, exact zeros named; without ε, say where 0 is drawn", () => {
    const subtitle = (n: typeof norms) => (columnNormsSpec(n).title as { subtitle: string | string[] }).subtitle;
    const spec = columnNormsSpec(norms);
    expect(subtitle(norms)).toContain("▼ on the bottom edge: 1 column below 1e-4, 1 exactly 0");
    const fallen = { ...norms, points: [...norms.points, { series: "regularized (λ=0.1)", rank: 3, norm: 3e-31, clamped: false }] };
    expect(subtitle(fallen)).toContain("▼ on the bottom edge: 2 columns below 1e-4 (down to 3e-31), 1 exactly 0");
    expect(JSON.stringify(spec)).not.toContain("drawn at");
    expect(JSON.stringify(spec)).toContain('"domain":[0.0001,2]');
    const noEpsilon = { ...norms, thresholds: [], caption: "" };
    expect(JSON.stringify(columnNormsSpec(noEpsilon))).toContain("0 drawn at 1e-12");
    expect(JSON.stringify(columnNormsSpec(noEpsilon))).not.toContain("bottom edge");
  });

  it("place the axis floor a power of ten at least 3 decades under the smallest ε, only when a norm is lower", () => {
    expect(normAxisFloor([1, 0.5, 1e-30], [0.1])).toBe(1e-4);
    expect(normAxisFloor([1, 1e-30], [0.05, 0.2])).toBe(1e-5);
    expect(normAxisFloor([1, 0.5], [0.1])).toBeNull();
    expect(normAxisFloor([1, 1e-30], [])).toBeNull();
  });

  it("round a log axis spanning half a decade or more to 1, 2, 5 × 10^e at both ends, so both carry labels", () => {
    expect(roundLogDomain(0.025, 0.19)).toEqual([0.02, 0.2]);
    expect(roundLogDomain(1e-16, 3e-3)).toEqual([1e-16, 5e-3]);
    expect(roundLogDomain(0.25, 0.35)).toBeNull();
  });

  it("mark r between ranks r and r + 1, kept columns filled and pruned ones hollow", () => {
    const spec = columnNormsSpec({ ...norms, r: 1 });
    expect(layerValues(spec, "true_rank")).toEqual([{ rank: 1.5, norm: 1e-4, label: "r = 1" }]);
    expect(JSON.stringify(spec)).toContain('"test":"datum.norm >= 0.1"');
    expect(layerValues(columnNormsSpec(norms), "true_rank")).toEqual([]);
  });

  it("name ε at the right end of its rule and colour the rules by group only when the groups' ε differ", () => {
    const one = columnNormsSpec(norms);
    expect(layerValues(one, "threshold_label")).toEqual([{ value: 0.1, label: "ε = 0.1" }]);
    expect(layerValues(one, "threshold")).toEqual([{ value: 0.1 }]);
    const two = { ...norms, thresholds: [...norms.thresholds, { value: 0.08, series: "unregularized (λ=0)" }], caption: "ε: two" };
    expect([(columnNormsSpec(two).title as { subtitle: string | string[] }).subtitle].flat().join(" ")).toContain("ε: two");
    expect(layerValues(columnNormsSpec(two), "threshold")).toEqual(two.thresholds);
  });

  it("all compile with Vega-Lite", () => {
    const specs: TopLevelSpec[] = [
      columnNormsSpec(norms),
      traceSpec({
        kind: "population", caption: "λ=0.1", rate: 0.9,
        values: [{ step: 0, metric: "train loss", value: 1 }, { step: 10, metric: "train loss", value: 0.1 }],
        spans: { prune: 10, train: [0, 10], finetune: [10, 20] },
      }),
      keptVsKSpec({ kind: "population", r: 2, points: [{ k: 4, series: "regularized (λ>0)", kept: 2, runs: 1 }, { k: 8, series: "regularized (λ>0)", kept: 2, runs: 1 }] }),
      errorVsNSpec({
        kind: "quadratic-net", noise: 0.1, d: 6, r: 2, reference: [{ n: 100, value: 0.2 }, { n: 400, value: 0.1 }],
        points: [{ n: 100, series: "pruned + fine-tuned", metric: "recovery error", value: 0.2, runs: 1 }],
      }),
    ];
    for (const spec of specs) expect(() => compile(spec)).not.toThrow();
  });
});

describe("traceSpec", () => {
  it("puts the fitted fine-tune rate in the title", () => {
    const spec = traceSpec({ kind: "matrix-sensing", caption: "", rate: 0.8579, values: [], spans: { prune: null, train: null, finetune: null } });
    expect((spec.title as { text: string }).text).toContain("fine-tune contracts ×0.858/step");
  });

  it("names only the phases a trace has", () => {
    expect(phaseLabels({ prune: 100, train: [0, 100], finetune: [100, 200] }).map((l) => l.label)).toEqual(["prune", "◀ train", "fine-tune ▶"]);
    // A run that diverged in training has neither a prune row nor fine-tuning.
    expect(phaseLabels({ prune: null, train: [0, 50], finetune: null }).map((l) => l.label)).toEqual(["◀ train"]);
  });
});

describe("logTicks", () => {
  it("picks at most 8 evenly spaced decades over a wide range", () => {
    expect(logTicks(1e-12, 1)).toEqual([1, 1e-2, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12]);
    expect(logTicks(1e-30, 10)).toEqual([1, 1e-4, 1e-8, 1e-12, 1e-16, 1e-20, 1e-24, 1e-28]);
    expect(logTicks(0.01, 1)).toEqual([1, 0.1, 0.01]);
  });

  it("picks 1-2-5 ticks, or every mantissa inside a short range", () => {
    expect(logTicks(0.035, 0.2)).toEqual([0.05, 0.1, 0.2]);
    expect(logTicks(0.1 ** 2, 0.097)).toEqual([0.01, 0.02, 0.05]);
    expect(logTicks(0.035, 0.09)).toEqual([0.04, 0.05, 0.06, 0.07, 0.08, 0.09]);
    expect(logTicks(0.01, 0.0127)).toEqual([0.01, 0.011, 0.012]);
  });
});
