/**
 * The claim figures that the per-folder figures do not draw: columns kept vs κ,
 * recovery error through the top-r cut, squared error vs σ. Their data are the
 * means over seeds of finished runs, with dashed guides where the claim has a
 * reference line; writeClaimFigures draws them for the configs that have them.
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorVsNoiseSpec, keptVsKappaSpec, topRCutSpec, writeClaimFigures } from "../../src/reproduce/claim-figures.js";
import { DEFAULTS, type ResolvedConfig } from "../../src/config/resolved.js";
import { emptyMetrics, type RunMetrics } from "../../src/pipeline/run.js";
import type { RunRecord } from "../../src/output/results.js";

let nextId = 0;
function record(
  over: { lambda?: number; kind?: string; kappa?: number; noise?: number; scaled?: boolean; r?: number; status?: RunRecord["status"] },
  metrics: Partial<RunMetrics>,
): RunRecord {
  const config: ResolvedConfig = {
    ...DEFAULTS,
    problem: { ...DEFAULTS.problem, kind: over.kind ?? "matrix-sensing", kappa: over.kappa ?? 1, noise: over.noise ?? 0, r: over.r ?? 3 },
    train: { ...DEFAULTS.train, lambda: over.lambda ?? 0.1 },
    prune: { threshold: 0.1, relative_threshold: null },
    formulas: over.scaled ? { "train.lambda": "sigma_r^3" } : {},
  };
  return {
    run_id: `f${nextId++}`, index: nextId, swept: {}, status: over.status ?? "ok", error: "", diverged_phase: "", diverged_step: null,
    metrics: { ...emptyMetrics(), ...metrics }, seconds: 0, config,
  };
}

interface Layer { name: string; data: { values: Array<{ x: number | string; y: number; series: string }> }; encoding: Record<string, Record<string, unknown>> }
const layers = (spec: unknown) => (spec as { layer: Layer[] }).layer;
const values = (spec: unknown, name: string) => layers(spec).find((l) => l.name === name)!.data.values;

describe("columns kept vs κ", () => {
  const recs = [
    record({ kappa: 1, scaled: true }, { kept_columns: 3 }), record({ kappa: 1, scaled: true }, { kept_columns: 3 }),
    record({ kappa: 5, scaled: true }, { kept_columns: 3 }), record({ kappa: 5, scaled: true }, { kept_columns: 2 }),
    record({ kappa: 1 }, { kept_columns: 3 }), record({ kappa: 5 }, { kept_columns: 2 }),
    record({ kappa: 5, status: "diverged" }, { kept_columns: 40 }),
    record({ kappa: 9, kind: "quadratic-net" }, { kept_columns: 1 }),
  ];

  it("plots the mean kept per κ for the scaled and the fixed runs of one kind, failed runs left out", () => {
    const spec = keptVsKappaSpec(recs, "matrix-sensing");
    expect(values(spec, "data")).toEqual([
      { x: 1, y: 3, series: "λ = σ_r³, β = σ_r² (scaled)" },
      { x: 5, y: 2.5, series: "λ = σ_r³, β = σ_r² (scaled)" },
      { x: 1, y: 3, series: "λ = β = 0.1 (fixed)" },
      { x: 5, y: 2, series: "λ = β = 0.1 (fixed)" },
    ]);
    // dashed: r across the κ range
    expect(values(spec, "guides")).toEqual([{ x: 1, y: 3, series: "r" }, { x: 5, y: 3, series: "r" }]);
  });

  it("titles the kind, ticks each κ on a log axis and counts from 0 to r + 1", () => {
    const spec = keptVsKappaSpec(recs, "matrix-sensing") as unknown as { title: { text: string; subtitle: string } };
    expect(spec.title).toEqual({ text: "Columns kept vs condition number κ (matrix-sensing)", subtitle: "mean over seeds; dashed: the true rank r = 3" });
    const enc = layers(spec)[1].encoding;
    expect(enc.x).toMatchObject({ title: "κ = σ_1/σ_r", type: "quantitative", axis: { values: [1, 5] }, scale: { type: "log" } });
    expect(enc.y).toMatchObject({ title: "columns kept after pruning", axis: { values: [0, 1, 2, 3, 4] }, scale: { zero: true, domain: [0, 4] } });
  });
});

describe("recovery error through the top-r cut", () => {
  it("plots trained, right after the cut and fine-tuned, per kind and λ, in stage order", () => {
    const recs = [
      record({ lambda: 0 }, { recovery_error_trained: 0.01, recovery_error_pruned: 0.8, recovery_error: 0.001 }),
      record({ lambda: 0 }, { recovery_error_trained: 0.03, recovery_error_pruned: 0.6, recovery_error: 0.003 }),
      record({ lambda: 0.1 }, { recovery_error_trained: 0.02, recovery_error_pruned: 0.02, recovery_error: 1e-9 }),
      record({ lambda: 0.1, status: "failed" }, { recovery_error_trained: 5, recovery_error_pruned: 5, recovery_error: 5 }),
    ];
    const spec = topRCutSpec(recs);
    const data = values(spec, "data");
    expect(data.map((p) => [p.x, p.series])).toEqual([
      ["trained", "matrix-sensing, λ = 0"], ["trained", "matrix-sensing, λ = 0.1"],
      ["right after the cut", "matrix-sensing, λ = 0"], ["right after the cut", "matrix-sensing, λ = 0.1"],
      ["fine-tuned", "matrix-sensing, λ = 0"], ["fine-tuned", "matrix-sensing, λ = 0.1"],
    ]);
    expect(data.map((p) => p.y)).toEqual([0.02, 0.02, 0.7, 0.02, 0.002, 1e-9].map((y) => expect.closeTo(y, 15)));
    const enc = layers(spec)[1].encoding;
    expect(enc.x).toMatchObject({ type: "ordinal", sort: ["trained", "right after the cut", "fine-tuned"], title: "stage" });
    expect(enc.y).toMatchObject({ title: "relative recovery error", scale: { type: "log" } });
    expect(values(spec, "guides")).toEqual([]);
  });
});

describe("squared error vs σ", () => {
  it("plots the mean squared error per σ and kind, with a slope-2 guide from the smallest σ", () => {
    const recs = [
      record({ noise: 0.2 }, { recovery_error: 0.02 }), record({ noise: 0.1 }, { recovery_error: 0.01 }),
      record({ noise: 0.4 }, { recovery_error: 0.03 }), record({ noise: 0.4 }, { recovery_error: 0.05 }),
      record({ noise: 0.1, kind: "quadratic-net" }, { recovery_error: 0.1 }),
    ];
    const spec = errorVsNoiseSpec(recs);
    expect(values(spec, "data")).toEqual([
      { x: 0.2, y: expect.closeTo(4e-4, 15), series: "matrix-sensing" },
      { x: 0.1, y: expect.closeTo(1e-4, 15), series: "matrix-sensing" },
      { x: 0.4, y: expect.closeTo((9e-4 + 25e-4) / 2, 15), series: "matrix-sensing" },
      { x: 0.1, y: expect.closeTo(0.01, 15), series: "quadratic-net" },
    ]);
    expect(values(spec, "guides")).toEqual([
      { x: 0.1, y: expect.closeTo(1e-4, 15), series: "∝ σ² (matrix-sensing)" },
      { x: 0.4, y: expect.closeTo(16e-4, 15), series: "∝ σ² (matrix-sensing)" },
      { x: 0.1, y: expect.closeTo(0.01, 15), series: "∝ σ² (quadratic-net)" },
      { x: 0.1, y: expect.closeTo(0.01, 15), series: "∝ σ² (quadratic-net)" },
    ]);
    const enc = layers(spec)[1].encoding;
    expect(enc.x).toMatchObject({ title: "σ (noise level)", axis: { values: [0.2, 0.1, 0.4] }, scale: { type: "log", nice: false } });
    expect(enc.y).toMatchObject({ title: "squared relative recovery error", scale: { type: "log" } });
  });
});

describe("writeClaimFigures", () => {
  const out = mkdtempSync(join(tmpdir(), "prune-sense-claim-figures-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("draws one kept-vs-κ figure per kind for conditioning, one for top-r and noise, none for other configs", async () => {
    const recs = [record({ kappa: 1 }, { kept_columns: 3 }), record({ kappa: 2, kind: "population" }, { kept_columns: 3 })];
    const figs = await writeClaimFigures("conditioning", recs, join(out, "c"), false);
    expect(figs.map((f) => f.name)).toEqual(["kept-vs-kappa-matrix-sensing", "kept-vs-kappa-population"]);
    for (const f of figs) expect(existsSync(f.svg)).toBe(true);
    expect((await writeClaimFigures("top-r", recs, join(out, "t"), false)).map((f) => f.name)).toEqual(["top-r-cut"]);
    expect((await writeClaimFigures("noise", [record({ noise: 0.1 }, { recovery_error: 0.1 })], join(out, "n"), false)).map((f) => f.name)).toEqual(["error-vs-noise"]);
    expect(await writeClaimFigures("pruning", recs, join(out, "p"), false)).toEqual([]);
  });

  it("draws nothing when every run failed", async () => {
    expect(await writeClaimFigures("top-r", [record({ status: "failed" }, {})], join(out, "f"), false)).toEqual([]);
    expect(existsSync(join(out, "f"))).toBe(false);
  });
});

describe("what every claim figure looks like", () => {
  const recs = [
    record({ kappa: 5, scaled: true, noise: 0.4 }, { kept_columns: 3, recovery_error: 0.04, recovery_error_pruned: 0.2, recovery_error_trained: 0.1 }),
    record({ kappa: 1, scaled: true, noise: 0.1 }, { kept_columns: 3, recovery_error: 0.01, recovery_error_pruned: 0.2, recovery_error_trained: 0.1 }),
  ];
  const specs = {
    kept: keptVsKappaSpec(recs, "matrix-sensing"),
    cut: topRCutSpec(recs),
    noise: errorVsNoiseSpec(recs),
  } as Record<string, { $schema: string; title: { text: string; subtitle: string }; layer: Array<Layer & { mark: Record<string, unknown> }> }>;

  it("is a Vega-Lite v6 spec with a title and subtitle saying what is drawn", () => {
    for (const spec of Object.values(specs)) expect(spec.$schema).toBe("https://vega.github.io/schema/vega-lite/v6.json");
    expect(specs.cut.title).toEqual({ text: "Cutting to the r largest columns", subtitle: "relative recovery error ‖UUᵀ − M*‖_F/‖M*‖_F, mean over seeds" });
    expect(specs.noise.title).toEqual({ text: "Squared recovery error vs noise level σ", subtitle: "pruned + fine-tuned, mean over seeds; dashed: slope 2 (∝ σ²)" });
  });

  it("draws guides dashed and grey, one line per series, and data as lines with points coloured by series", () => {
    for (const spec of Object.values(specs)) {
      const [guides, data] = spec.layer;
      expect(guides.mark).toEqual({ type: "line", strokeDash: [6, 4], color: "#666" });
      expect(guides.encoding.detail).toEqual({ field: "series" });
      expect(data.mark).toEqual({ type: "line", point: true, strokeWidth: 2 });
      expect(data.encoding.color).toEqual({ field: "series", type: "nominal", title: null });
      expect(data.encoding.x).toBe(guides.encoding.x);
    }
  });

  it("orders the stages on an unrotated ordinal axis, and ticks κ in increasing order whatever the run order", () => {
    expect(specs.cut.layer[1].encoding.x).toEqual({ field: "x", type: "ordinal", title: "stage", sort: ["trained", "right after the cut", "fine-tuned"], axis: { labelAngle: 0 } });
    expect(specs.kept.layer[1].encoding.x.axis).toEqual({ values: [1, 5] });
    expect(specs.kept.layer[0].data.values.map((p) => p.x)).toEqual([1, 5]);
  });
});
