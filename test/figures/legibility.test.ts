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
import { textWidth } from "../../src/figures/text-metrics.js";
import { sortedNorms } from "../../src/figures/data.js";
import { crosses, groups, markPoints, overlaps, texts, textBoxes, type TextBox } from "./svg.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/figures");

/** Text pairs that overlap (legend symbols and axis ticks are not text). */
function textClashes(boxes: TextBox[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      // a guide label and its white halo are the same text drawn twice
      if (boxes[i].text === boxes[j].text && Math.abs(boxes[i].x0 - boxes[j].x0) < 0.01 && Math.abs(boxes[i].y0 - boxes[j].y0) < 0.01) continue;
      if (overlaps(boxes[i], boxes[j])) out.push(`"${boxes[i].text}" × "${boxes[j].text}"`);
    }
  }
  return out;
}

/** Guides (rules, the reference rate, "kept = k") may run under a label; data may not. */
const GUIDE_MARK = /threshold|true_rank|nothing_pruned|_reference|_level|prune_rule|diverged/;

/** Texts drawn over a data point or through a data line. */
function dataClashes(svg: string, boxes: TextBox[]): string[] {
  const data = markPoints(svg).filter((m) => !GUIDE_MARK.test(m.group));
  const out: string[] = [];
  for (const box of boxes) {
    // the heatmap's numbers are written on their cells by design
    if (/cell_labels/.test(box.group)) continue;
    for (const mark of data) {
      const hit = mark.points.some(([x, y]) => x > box.x0 && x < box.x1 && y > box.y0 && y < box.y1) ||
        mark.segments.some(([p, q]) => crosses(box, p, q));
      if (hit) out.push(`"${box.text}" over ${mark.group.split(" ").pop()}`);
    }
  }
  return [...new Set(out)];
}

/** Printed numbers longer than 9 characters of digits and points: a raw float. */
function rawFloats(boxes: TextBox[]): string[] {
  return boxes.filter((b) => /\d[\d.]{9,}/.test(b.text)).map((b) => b.text);
}

/** Log axes whose labels skip a decade (or k decades past 8) or stop short of an end. */
function decadeGaps(svg: string): string[] {
  const out: string[] = [];
  const axis = /<g class="mark-group role-axis" role="graphics-symbol" aria-roledescription="axis" aria-label="([^"]*) for a log scale with values from ([-\d.e]+) to ([-\d.e]+)">/g;
  for (const m of svg.matchAll(axis)) {
    const [lo, hi] = [Number(m[2]), Number(m[3])];
    const start = m.index! + m[0].length;
    const labels = texts(groups(svg.slice(start), "role-axis-label")[0] ?? "").map((l) => Number(l.replace(/,/g, ""))).filter((v) => v > 0);
    const logs = [Math.log10(lo), ...labels.map(Math.log10).sort((a, b) => a - b), Math.log10(hi)];
    const span = Math.log10(hi) - Math.log10(lo);
    const allowed = Math.max(1, Math.ceil(span / 8));
    const widest = Math.max(...logs.slice(1).map((v, i) => v - logs[i]));
    if (labels.length < 2 || widest > allowed + 1e-9) out.push(`${m[1]}: labels ${labels.join(", ")} over ${lo}…${hi}`);
  }
  return out;
}

function legibility(svg: string) {
  const boxes = textBoxes(svg, textWidth);
  return { boxes, text: textClashes(boxes), data: dataClashes(svg, boxes), floats: rawFloats(boxes), decades: decadeGaps(svg) };
}

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
