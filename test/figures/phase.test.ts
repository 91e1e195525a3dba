/**
 * The phase diagram: cells over (λ, ε) per (κ, k) with the mean kept, the share
 * keeping exactly r and the median recovery error; drawn as one row of panels
 * per κ, legible, and only for folders that vary λ, ε and κ or k.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliP, tempDir } from "../e2e/cli.js";
import { phaseCells } from "../../src/figures/data.js";
import { renderSvg } from "../../src/figures/render.js";
import type { SummaryRow } from "../../src/figures/results.js";
import { logTicks, phaseErrorSpec, phaseKeptSpec } from "../../src/figures/specs.js";
import { defects } from "./legibility.js";

const row = (kappa: number, k: number, lambda: number, threshold: number, kept: number, error: number, status = "ok"): SummaryRow =>
  ({ run_id: `r${kappa}${k}${lambda}${threshold}${kept}`, status, kind: "matrix-sensing", lambda, threshold, k, kept_columns: kept, recovery_error: error, r: 2,
    fields: { "problem.kappa": String(kappa) } }) as unknown as SummaryRow;
const kappaOf = (r: SummaryRow) => Number(r.fields!["problem.kappa"]);

describe("phaseCells", () => {
  it("groups seeds per (κ, k, λ, ε): mean kept, share of exactly r, median error of finished runs", () => {
    const cells = phaseCells([
      row(1, 4, 0.1, 0.1, 2, 1e-15), row(1, 4, 0.1, 0.1, 2, 3e-15), row(1, 4, 0.1, 0.1, 3, 1e-6),
      row(2, 4, 0.1, 0.1, 1, 0.5, "diverged"), row(1, 8, 0.1, 0.1, 2, 2e-15),
      // diverged in training: never pruned
      row(4, 4, 0.1, 0.1, NaN, NaN, "diverged"), row(4, 4, 0.1, 0.1, 2, 1e-15),
    ], "threshold", kappaOf, 2);
    expect(cells).toEqual([
      { kappa: 1, k: 4, lambda: 0.1, threshold: 0.1, runs: 3, kept: 7 / 3, exact: 2 / 3, error: 3e-15 },
      { kappa: 1, k: 8, lambda: 0.1, threshold: 0.1, runs: 1, kept: 2, exact: 1, error: 2e-15 },
      { kappa: 2, k: 4, lambda: 0.1, threshold: 0.1, runs: 1, kept: 1, exact: 0, error: null },
      { kappa: 4, k: 4, lambda: 0.1, threshold: 0.1, runs: 2, kept: 2, exact: 0.5, error: 1e-15 },
    ]);
    expect(phaseCells([row(1, 4, 0.1, 0.1, NaN, NaN, "diverged")], "threshold", kappaOf, 2))
      .toEqual([{ kappa: 1, k: 4, lambda: 0.1, threshold: 0.1, runs: 1, kept: null, exact: 0, error: null }]);
  });
});

describe("the phase figures", () => {
  const lambdas = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];
  const eps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5];
  const rows = [1, 4].flatMap((kappa) => [4, 32].flatMap((k) => lambdas.flatMap((l) => eps.map((e) => {
    const [lambda, threshold] = [l / kappa ** 3, e / kappa];
    const kept = l > 2 ? 0 : e > 0.8 ? 0 : l < 0.1 && e < 0.1 ? k : 2;
    return row(kappa, k, lambda, threshold, kept, kept === 2 ? 1e-15 : kept === 0 ? 1 : 1e-5, l === 10 && e === 1.5 ? "diverged" : "ok");
  }))));
  const cells = phaseCells(rows, "threshold", kappaOf, 2);

  it.each([["kept", phaseKeptSpec], ["error", phaseErrorSpec]] as const)("%s: one row of panels per κ, every panel labelled, nothing overlapping", async (_n, spec) => {
    const svg = await renderSvg(spec({ kind: "matrix-sensing", cells, r: 2, relative: false }));
    expect(defects(svg)).toEqual({ text: [], data: [], floats: [], decades: [] });
    for (const label of ["κ = 1", "κ = 4", "k = 4", "k = 32", "0.01", "1.56e-4"]) expect(svg).toContain(`>${label}<`);
  });

  it("says where no run finished (error) and outlines the cells that kept exactly r", () => {
    const error = JSON.stringify(phaseErrorSpec({ kind: "matrix-sensing", cells, r: 2, relative: false }));
    expect(error).toContain("grey: no run of the cell finished");
    const never = cells.map((c, i) => (i === 0 ? { ...c, kept: null } : c));
    expect(JSON.stringify(phaseKeptSpec({ kind: "matrix-sensing", cells: never, r: 2, relative: false }))).toContain("grey: no run of the cell got to pruning");
    expect(JSON.stringify(phaseKeptSpec({ kind: "matrix-sensing", cells, r: 2, relative: false }))).toContain("outlined in red: every run kept exactly r = 2");
  });
});

describe("plot of a folder that varies λ, ε and κ", () => {
  it("draws the two phase figures instead of the one kept heatmap (which would average over κ)", async () => {
    const dir = tempDir("phase");
    const config = join(dir, "phase.yaml");
    writeFileSync(config, "name: phase\nproblem: { kind: population, d: 4, r: 1 }\nmodel: { k: 4 }\ntrain: { steps: 100 }\nfinetune: { steps: 20 }\nlog: { every: 50 }\n" +
      "sweep:\n  problem.kappa: [1, 2]\n  train.lambda: [0.05, 0.1]\n  prune.threshold: [0.05, 0.1]\n");
    const made = await cliP(["run", config, "--out", join(dir, "out")]);
    expect(made.code, made.stderr).toBe(0);
    const r = await cliP(["plot", join(dir, "out"), "--no-png"]);
    expect(r.code, r.stderr).toBe(0);
    const names = readdirSync(join(dir, "out", "figures")).filter((f) => f.endsWith(".svg"));
    expect(names).toEqual(expect.arrayContaining(["phase-kept-population.svg", "phase-error-population.svg"]));
    expect(names).not.toContain("kept-heatmap-population.svg");
  });
});

describe("a phase diagram without values", () => {
  it("logTicks of an empty range is empty (it looped forever on Infinity, hanging `plot` of a folder of failed runs)", () => {
    expect(logTicks(Infinity, Infinity)).toEqual([]);
    expect(logTicks(0, 1)).toEqual([]);
    expect(logTicks(NaN, 1)).toEqual([]);
  });
});
