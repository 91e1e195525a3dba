/**
 * The method-comparison figure drawn from real runs (a tiny sweep over penalties,
 * run in-process): one figure per problem kind, one panel per penalty labelled
 * with its λ, the run of the smallest seed, its trained column norms sorted,
 * exact zeros drawn at a floor below the smallest positive norm, ε dashed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfigText } from "../../src/config/load.js";
import { planRuns } from "../../src/sweep/plan.js";
import { runSweep } from "../../src/sweep/run-sweep.js";
import { plotMethodComparison } from "../../src/reproduce/method-figures.js";
import { loadColumns } from "../../src/figures/results.js";
import type { RunRecord } from "../../src/output/results.js";
import type { FigureFile } from "../../src/figures/render.js";

const CONFIG = `name: tiny-penalties
problem: { kind: population, d: 4, r: 1 }
model: { k: 5 }
train: { steps: 300, lambda: 0.1 }
finetune: { steps: 50 }
prune: { threshold: 0.05 }
log: { every: 100 }
sweep:
  train.penalty.kind: [smooth-group-lasso, group-lasso]
  seed: [2, 1]
`;

let dir: string;
let records: RunRecord[];
let files: FigureFile[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "prune-sense-method-figures-"));
  const plan = planRuns(parseConfigText(CONFIG, "c.yaml"));
  records = (await runSweep(plan, join(dir, "runs"), { jobs: 1, force: false, shard: null, inProcess: true })).records;
  files = await plotMethodComparison(join(dir, "runs"), records, join(dir, "figures"));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the method-comparison figure of a sweep over penalties", () => {
  it("is written once per problem kind, as SVG, PNG and spec", () => {
    expect(records.every((r) => r.status === "ok")).toBe(true);
    expect(files.map((f) => f.name)).toEqual(["column-norms-by-penalty-population"]);
    for (const path of [files[0].svg, files[0].png, files[0].spec]) expect(existsSync(path), path).toBe(true);
  });

  it("has one panel per penalty in sweep order, from the smallest seed's run, with ε", () => {
    const spec = JSON.parse(readFileSync(files[0].spec, "utf8"));
    expect(spec.facet.column.sort).toEqual(["smooth-group-lasso (λ=0.1)", "group-lasso (λ=0.1)"]);
    const rows = spec.data.values as Array<{ series: string; rank: number; norm: number; eps: number }>;
    expect(rows.every((r) => r.eps === 0.05)).toBe(true);
    for (const penalty of ["smooth-group-lasso", "group-lasso"]) {
      const seed1 = records.find((r) => r.config.seed === 1 && r.config.train.penalty.kind === penalty)!;
      const trained = (loadColumns(join(dir, "runs"), seed1.run_id) ?? []).filter((c) => c.stage === "trained").map((c) => c.norm);
      const mine = rows.filter((r) => r.series === `${penalty} (λ=0.1)`);
      // k = 5 columns, sorted largest first, ranks 1…k
      expect(mine.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
      const positive = [...trained].sort((a, b) => b - a).filter((x) => x > 0);
      expect(mine.slice(0, positive.length).map((r) => r.norm)).toEqual(positive);
    }
    // the exact group Lasso's zeros sit at one floor, below every positive norm drawn
    const zeros = rows.filter((r) => r.series.startsWith("group-lasso") && r.norm < Math.min(...rows.filter((x) => x.series.startsWith("smooth")).map((x) => x.norm)));
    expect(zeros.length).toBeGreaterThan(0);
    expect(new Set(zeros.map((r) => r.norm)).size).toBe(1);
  });

  it("is not drawn when the runs of all but one penalty failed", async () => {
    const oneLeft = records.map((r) => (r.config.train.penalty.kind === "group-lasso" ? { ...r, status: "failed" as const } : r));
    expect(await plotMethodComparison(join(dir, "runs"), oneLeft, join(dir, "figures-2"))).toEqual([]);
  });
});
