/**
 * Every figure reads: no text over other text or over the data (line vertices
 * and segments, points), numbers printed with the digits they need (no raw
 * float such as 0.0333333333333326), and labels on the log axes at every
 * decade (every k-th when the axis spans more than 8), up to both ends. Measured
 * on the rendered SVGs, with the DejaVu Sans widths the layout uses.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plotResults } from "../../src/figures/index.js";
import { renderSvg } from "../../src/figures/render.js";
import { columnNormsSpec, errorVsNSpec, keptHeatmapSpec } from "../../src/figures/specs.js";
import { sortedNorms } from "../../src/figures/data.js";
import type { TopLevelSpec } from "vega-lite";
import { DEFAULTS } from "../../src/config/resolved.js";
import type { RunRecord } from "../../src/output/results.js";
import { emptyMetrics, type RunMetrics } from "../../src/pipeline/run.js";
import { errorVsNoiseSpec, keptVsKappaSpec, oracleRatioSpec, separationSpec, topRCutSpec } from "../../src/reproduce/claim-figures.js";
import { groups } from "./svg.js";
import { legibility } from "./legibility.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/figures");

describe("every plotted figure of the fixtures", () => {
  const scratch = mkdtempSync(join(tmpdir(), "prune-sense-legible-"));
  const svgs: Array<[string, string]> = [];
  beforeAll(async () => {
    for (const name of ["single", "sweep"]) {
      const dir = join(scratch, name);
      cpSync(join(FIXTURES, name), dir, { recursive: true });
      for (const f of await plotResults(dir, { png: false })) svgs.push([`${name}/${f.name}`, readFileSync(f.svg, "utf8")]);
    }
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("are several kinds of figure", () => {
    expect(svgs.map(([n]) => n.split("/")[1].replace(/-(matrix|quadratic|population).*/, ""))).toEqual(expect.arrayContaining(["column-norms", "trace", "kept-heatmap", "kept-vs-k"]));
  });

  it("have no text over text or over data, no raw float, a label on every log-axis decade", () => {
    for (const [name, svg] of svgs) {
      const l = legibility(svg);
      expect(l.boxes.length, name).toBeGreaterThan(10);
      expect({ name, text: l.text, data: l.data, floats: l.floats, decades: l.decades }).toEqual({ name, text: [], data: [], floats: [], decades: [] });
    }
  });
});

describe("the figures the issue named", () => {
  it("column norms down to 1e-31 keep the region around ε readable: the axis stops 3 decades under ε, every decade labelled", async () => {
    const columns = [1, 0.9, 0.8, ...Array.from({ length: 37 }, (_, i) => 10 ** (-28 - i / 12))].map((norm, column) => ({ stage: "trained", column, norm, kept: norm >= 0.1 }));
    const spread = Array.from({ length: 40 }, (_, column) => ({ stage: "trained", column, norm: 0.9 * 0.93 ** column, kept: true }));
    const points = [...sortedNorms(columns, "regularized (λ=0.1)"), ...sortedNorms(spread, "unregularized (λ=0)")];
    const svg = await renderSvg(columnNormsSpec({ kind: "matrix-sensing", points, thresholds: [{ value: 0.1, series: "regularized (λ=0.1)" }, { value: 0.1, series: "unregularized (λ=0)" }], caption: "ε = 0.1", r: 3 }));
    const l = legibility(svg);
    expect({ text: l.text, data: l.data, floats: l.floats, decades: l.decades }).toEqual({ text: [], data: [], floats: [], decades: [] });
    expect(svg.match(/aria-label="Y-axis[^"]*"/)?.[0]).toMatch(/Y-axis titled '[^']*' for a log scale with values from 0\.0001 to [\d.]+"/);
    expect(l.boxes.map((b) => b.text)).toEqual(expect.arrayContaining(["ε = 0.1", "r = 3"]));
    expect(l.boxes.map((b) => b.text).join("\n")).toContain("▼ on the bottom edge: 37 columns below 1e-4 (down to 1e-31)");
  });

  it("the kept heatmap of formula values prints them with 3 digits and says what a blank cell is", async () => {
    const cell = (lambda: number, threshold: number, kept: number) => ({ lambda, threshold, kept, runs: 2, min: kept, max: kept, label: [String(kept)] });
    const svg = await renderSvg(keptHeatmapSpec({ kind: "matrix-sensing", relative: false, r: 2,
      cells: [cell(0.0370370370370374, 0.0333333333333326, 2), cell(0.1, 0.0333333333333326, 1), cell(0.1, 0.1, 2), cell(1, 0.1, 2)] }));
    const l = legibility(svg);
    expect({ text: l.text, floats: l.floats }).toEqual({ text: [], floats: [] });
    expect(l.boxes.map((b) => b.text)).toEqual(expect.arrayContaining(["0.037", "0.0333"]));
    expect(l.boxes.map((b) => b.text).join("\n")).toContain("blank: no run has that λ and ε");
  });

  it("error vs n labels both ends of its axes, keeps the noise-floor label off the data, and draws solid legend swatches", async () => {
    const point = (metric: "recovery error" | "test loss", series: string, n: number, value: number) => ({ metric, series, n, value, min: value * 0.95, max: value * 1.05, runs: 3 });
    const points = [500, 2000, 8000].flatMap((n, i) => [
      point("recovery error", "pruned + fine-tuned", n, 0.1 / 2 ** i), point("recovery error", "unpruned (after training)", n, 0.17 / 2.2 ** i),
      point("test loss", "pruned + fine-tuned", n, 0.25 + 0.04 / 4 ** i), point("test loss", "unpruned (after training)", n, 0.25 + 0.1 / 4 ** i),
    ]);
    const svg = await renderSvg(errorVsNSpec({ kind: "matrix-sensing", points, reference: [{ n: 500, value: 0.1 }, { n: 8000, value: 0.025 }], noise: 0.5, d: 20, r: 3 }));
    const l = legibility(svg);
    expect({ text: l.text, data: l.data, floats: l.floats, decades: l.decades }).toEqual({ text: [], data: [], floats: [], decades: [] });
    expect(l.boxes.map((b) => b.text)).toEqual(expect.arrayContaining(["0.2", "0.1", "0.02", "noise floor σ²"]));
    // the legend's swatches are not the bands' pale fill
    expect(groups(svg, "role-legend-symbol").join("")).not.toMatch(/opacity="0\.18"/);
  });
});

describe("the claim figures of reproduce, on values like the reference run's", () => {
  let next = 0;
  const record = (kind: string, over: { kappa?: number; noise?: number; lambda?: number; n?: number; k?: number; oracle?: boolean; scaled?: boolean; seed?: number },
    metrics: Partial<RunMetrics>): RunRecord => ({
    run_id: `r${next++}`, index: next, swept: {}, status: "ok", error: "", diverged_phase: "", diverged_step: null, seconds: 0,
    metrics: { ...emptyMetrics(), ...metrics },
    config: {
      ...DEFAULTS, seed: over.seed ?? 1,
      problem: { ...DEFAULTS.problem, kind, kappa: over.kappa ?? 1, noise: over.noise ?? 0, n: over.n ?? 2000 },
      model: { ...DEFAULTS.model, k: over.k ?? 40, init: over.oracle ? "oracle" : DEFAULTS.model.init },
      train: { ...DEFAULTS.train, lambda: over.lambda ?? 0.1 },
      prune: { threshold: 0.1, relative_threshold: null },
      formulas: over.scaled ? { "train.lambda": "sigma_r^3" } : {},
    },
  });
  const kinds = ["matrix-sensing", "quadratic-net"];
  const specs: Array<[string, TopLevelSpec]> = [
    ...kinds.map((kind): [string, TopLevelSpec] => [`kept-vs-kappa-${kind}`, keptVsKappaSpec([1, 2, 5, 10].flatMap((kappa) => [
      record(kind, { kappa, scaled: true }, { kept_columns: 3 }), record(kind, { kappa }, { kept_columns: kappa > 4 ? 2 : 3 })]), kind)]),
    ["top-r-cut", topRCutSpec(kinds.flatMap((kind) => [
      record(kind, { lambda: 0 }, { recovery_error_trained: 0.31, recovery_error_pruned: 0.93, recovery_error: 2e-15 }),
      record(kind, {}, { recovery_error_trained: 1.2e-3, recovery_error_pruned: 1.2e-3, recovery_error: 6e-16 })]))],
    ["error-vs-noise", errorVsNoiseSpec(kinds.flatMap((kind, i) => [0, 0.01, 0.03, 0.1, 0.3].map((noise) =>
      record(kind, { noise }, { recovery_error: noise === 0 ? 1e-15 : (0.4 + i) * noise }))))],
    ["separation-vs-lambda", separationSpec([0.02, 0.05, 0.1, 0.2].map((lambda) => record("matrix-sensing", { lambda }, { separation_step: Math.round(200 / lambda) })))],
    ["oracle-ratio", oracleRatioSpec(kinds.flatMap((kind) => [500, 1000, 2000, 4000].flatMap((n) => [
      record(kind, { n, oracle: true }, { recovery_error: 0.05 * Math.sqrt(500 / n) }),
      record(kind, { n }, { recovery_error: 0.05 * Math.sqrt(500 / n) }),
      record(kind, { n, lambda: 0 }, { recovery_error_trained: 0.3 * Math.sqrt(500 / n) })])))],
  ];

  it.each(specs.map(([name, spec]) => [name, spec]))("%s reads", async (_name, spec) => {
    const svg = await renderSvg(spec as TopLevelSpec);
    const l = legibility(svg);
    expect(l.boxes.length).toBeGreaterThan(10);
    expect({ text: l.text, data: l.data, floats: l.floats, decades: l.decades }).toEqual({ text: [], data: [], floats: [], decades: [] });
  });
});
