import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { plotResults, type FigureFile } from "../../src/figures/index.js";
import { count, groups, isWellFormedSvg, legendLabels, texts } from "./svg.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/figures");
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "prune-sense-figures-"));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** A private copy of a fixture folder (plotting writes into it by default). */
function copyFixture(name: string): string {
  const dir = join(scratch, `${name}-${Math.random().toString(36).slice(2)}`);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

const svgOf = (files: FigureFile[], name: string) => readFileSync(files.find((f) => f.name === name)!.svg, "utf8");

/** Every figure written is a well-formed SVG, a PNG and a spec with its data inlined. */
function expectValidFiles(files: FigureFile[]): void {
  for (const file of files) {
    const svg = readFileSync(file.svg, "utf8");
    expect(isWellFormedSvg(svg), file.svg).toBe(true);
    expect(readFileSync(file.png).subarray(0, 8).equals(PNG_SIGNATURE), file.png).toBe(true);
    const spec = JSON.parse(readFileSync(file.spec, "utf8"));
    expect(spec.$schema).toMatch(/vega-lite/);
    expect(JSON.stringify(spec)).toContain('"values":[{');
  }
}

describe("plotResults on a single run", () => {
  let dir: string;
  let files: FigureFile[];
  beforeAll(async () => {
    dir = copyFixture("single");
    files = await plotResults(dir);
  });

  it("writes the column norms and the run's own trace into <dir>/figures", () => {
    const runId = readdirSync(join(dir, "runs"))[0];
    expect(files.map((f) => f.name)).toEqual(["column-norms-matrix-sensing", `trace-matrix-sensing-${runId}`]);
    for (const f of files) expect(f.svg).toBe(join(dir, "figures", `${f.name}.svg`));
    expect(readdirSync(join(dir, "figures")).sort()).toEqual(
      [...files.flatMap((f) => [`${f.name}.png`, `${f.name}.svg`, `${f.name}.vl.json`]), "plot-files.json"].sort(),
    );
  });

  it("writes well-formed SVG, PNG and spec files and leaves no temp files", () => {
    expectValidFiles(files);
    expect(readdirSync(join(dir, "figures")).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });

  it("draws one norm series and the ε rule, labelled at its end, with the columns under the clipped axis counted", () => {
    const svg = svgOf(files, "column-norms-matrix-sensing");
    expect(groups(svg, "norms_marks")).toHaveLength(1);
    expect(legendLabels(svg)).toEqual(["regularized (λ=0.1)"]);
    expect(count(groups(svg, "threshold_marks")[0], "line")).toBe(1);
    expect(groups(svg, "threshold_label_marks").flatMap(texts)).toEqual(["ε = 0.1"]);
    // the fixture has a column of norm exactly 0, and 1.03e-8 the smallest positive: both under the axis's 1e-4
    expect(groups(svg, "role-title-subtitle").flatMap(texts).join(" ")).toMatch(/▼ on the bottom edge: \d+ columns below 1e-4 \(down to 1\.03e-8\), 1 exactly 0/);
  });

  it("draws three trace series, the prune rule, the phase names and the rate", () => {
    const svg = svgOf(files, files[1].name);
    expect(groups(svg, "trace_marks")).toHaveLength(3);
    expect(legendLabels(svg)).toEqual(["train loss", "test loss", "recovery error"]);
    expect(count(groups(svg, "prune_rule_marks")[0], "line")).toBe(1);
    expect(["phase_center_marks", "phase_right_marks", "phase_left_marks"].flatMap((c) => groups(svg, c).flatMap(texts)))
      .toEqual(["prune", "◀ train", "fine-tune ▶"]);
    expect(groups(svg, "role-title-text").flatMap(texts)[0]).toContain("fine-tune contracts ×0.858/step");
  });
});

describe("plotResults on a sweep of three problem kinds", () => {
  let files: FigureFile[];
  let outDir: string;
  beforeAll(async () => {
    outDir = join(scratch, "sweep-out");
    files = await plotResults(join(FIXTURES, "sweep"), { outDir });
  });

  it("makes each figure the data supports, per kind", () => {
    expect(files.map((f) => f.name)).toEqual([
      "column-norms-matrix-sensing", "trace-matrix-sensing", "kept-heatmap-matrix-sensing",
      "column-norms-population", "trace-population", "kept-vs-k-population",
      "column-norms-quadratic-net", "trace-quadratic-net", "error-vs-n-quadratic-net",
    ]);
    expect(existsSync(join(FIXTURES, "sweep", "figures"))).toBe(false); // outDir was honoured
    expectValidFiles(files);
  });

  it("contrasts a regularized and an unregularized representative run", () => {
    for (const kind of ["matrix-sensing", "population", "quadratic-net"]) {
      const svg = svgOf(files, `column-norms-${kind}`);
      expect(groups(svg, "norms_marks")).toHaveLength(2);
      expect(legendLabels(svg)).toEqual(["regularized (λ=0.1)", "unregularized (λ=0)"]);
    }
  });

  it("draws one ε rule per group when a relative threshold cut them at different norms", () => {
    const svg = svgOf(files, "column-norms-population");
    expect(count(groups(svg, "threshold_marks")[0], "line")).toBe(2);
    expect(groups(svg, "role-title-subtitle").flatMap(texts).join(" ")).toContain("ε = 0.05 × max: 0.05 (regularized), 0.04 (unregularized)");
  });

  it("fills the λ × ε heatmap with the mean kept columns over seeds", () => {
    const svg = svgOf(files, "kept-heatmap-matrix-sensing");
    expect(count(groups(svg, "cells_marks")[0], "path")).toBe(4);
    expect(groups(svg, "cell_labels_marks").flatMap(texts).sort()).toEqual(["2", "2.5 2–3", "5.5 5–6", "7.5 7–8"]);
  });

  it("plots kept columns against k for both groups with the true rank", () => {
    const svg = svgOf(files, "kept-vs-k-population");
    expect(groups(svg, "kept_marks")).toHaveLength(2);
    expect(groups(svg, "true_rank_label_marks").flatMap(texts)).toEqual(["true rank r = 2"]);
  });

  it("compares pruned and unpruned error against n with the rate and the noise floor", () => {
    const svg = svgOf(files, "error-vs-n-quadratic-net");
    expect(groups(svg, "error_data_marks")).toHaveLength(2);
    expect(groups(svg, "error_reference_marks")).toHaveLength(1);
    expect(groups(svg, "test_data_marks")).toHaveLength(2);
    expect(legendLabels(svg)).toEqual(["pruned + fine-tuned", "unpruned (after training)", "∝ √(σ²dr/n) (r-column rate)"]);
    expect(groups(svg, "test_level_label_marks").flatMap(texts)).toEqual(["noise floor σ²"]);
  });
});

describe("plotResults options and missing data", () => {
  it("skips PNGs with png: false", async () => {
    const outDir = join(scratch, "no-png");
    const files = await plotResults(join(FIXTURES, "single"), { outDir, png: false });
    expect(files.every((f) => f.png === "")).toBe(true);
    expect(readdirSync(outDir).filter((n) => n.endsWith(".png"))).toEqual([]);
  });

  it("still plots what summary.csv alone supports when the run folders are gone", async () => {
    const dir = copyFixture("sweep");
    rmSync(join(dir, "runs"), { recursive: true });
    const files = await plotResults(dir, { png: false });
    expect(files.map((f) => f.name)).toEqual(["kept-heatmap-matrix-sensing", "kept-vs-k-population", "error-vs-n-quadratic-net"]);
  });

  it("throws a one-line UserError naming a missing folder", async () => {
    const missing = join(scratch, "nope");
    await expect(plotResults(missing)).rejects.toThrow(new UserError(`${missing}: no such folder`));
    await expect(plotResults(missing)).rejects.toBeInstanceOf(UserError);
  });

  it("throws when a folder has no summary.csv or no runs in it", async () => {
    const empty = join(scratch, "empty");
    mkdirSync(empty);
    await expect(plotResults(empty)).rejects.toThrow(`no runs found in ${empty}: ${join(empty, "summary.csv")} does not exist`);
    writeFileSync(join(empty, "summary.csv"), "run_id,status,problem\n");
    await expect(plotResults(empty)).rejects.toThrow(`no runs found in ${join(empty, "summary.csv")}`);
  });
});
