/**
 * What a sweep prints when it ends: one aggregate table (seeds aggregated,
 * grouped by the other swept keys, sorted by them), at most 80 columns and 30
 * lines even for a 108-run sweep, then the folder and the next commands. One
 * run keeps the one-run table. Aggregates checked against a hand computation.
 */
import { beforeAll, describe, expect, it } from "vitest";
import chalk from "chalk";
import { compareScalars, groupRuns, MAX_GROUPS, shownKeys, summaryLines, sweepEndLines } from "../../src/cli/report.js";
import { planRuns } from "../../src/sweep/plan.js";
import type { RunRecord } from "../../src/output/results.js";
import { cliP, tempDir, type CliResult } from "../e2e/cli.js";

chalk.level = 0;

/** A sweep's records with hand-chosen metrics: kept = k·λ-dependent, errors and rates from the seed. */
function sweep(spec: Record<string, unknown[]>, metrics: (swept: RunRecord["swept"], i: number) => Partial<RunRecord["metrics"]>): { recs: RunRecord[]; keys: string[] } {
  const plan = planRuns({ problem: { r: 2 }, sweep: spec as Record<string, number[]> });
  const recs = plan.runs.map((run, i): RunRecord => ({
    run_id: run.id, index: run.index, swept: run.swept, status: "ok", error: "", diverged_phase: "", diverged_step: null, seconds: 1, config: run.config,
    metrics: {
      kept_columns: 2, prune_cut: 0, train_steps: 3000, kicks: 0, grad_norm_trained: 0, hessian_min_eig_trained: 0,
      train_loss_trained: 0, test_loss_trained: 0, recovery_error_trained: 0, recovery_error_pruned: 0,
      finetune_steps: 2000, train_loss: 0, test_loss: 0, recovery_error: 1e-15, finetune_rate: 0.87, ...metrics(run.swept, i),
    },
  }));
  return { recs, keys: plan.sweptKeys };
}

describe("the end-of-sweep table", () => {
  // λ ∈ {0, 0.1} (listed out of order) × 3 seeds; λ = 0 keeps 5, 7, 9 columns with errors 1e-4, 3e-4, 2e-4
  const { recs, keys } = sweep({ "train.lambda": [0.1, 0], seed: [1, 2, 3] }, (s) =>
    s["train.lambda"] === 0
      ? { kept_columns: 3 + 2 * Number(s.seed), recovery_error: [1e-4, 3e-4, 2e-4][Number(s.seed) - 1], finetune_rate: [0.9999, 0.9997, 0.9998][Number(s.seed) - 1] }
      : { kept_columns: 2, recovery_error: Number(s.seed) * 1e-15, finetune_rate: 0.86 + Number(s.seed) / 100 });
  const lines = sweepEndLines(recs, keys, "results/s", "summary.csv", 3.2);
  const cells = (line: string) => line.trim().split(/\s{2,}/);

  it("has one row per setting of the swept keys but seed, sorted by them, with the aggregates of its seeds", () => {
    expect(cells(lines[0])).toEqual(["lambda", "runs", "r", "kept", "min–max", "err med", "err max", "rate med"]);
    expect(cells(lines[1])).toEqual(["0", "3", "2", "7", "5–9", "2.0e-4", "3.0e-4", "0.9998"]);
    expect(cells(lines[2])).toEqual(["0.1", "3", "2", "2", "2", "2.0e-15", "3.0e-15", "0.880"]);
    expect(lines[3]).toBe("rows over seed; err: recovery error; rate: contraction per step");
  });

  it("ends with the folder and the next commands", () => {
    expect(lines.slice(-4)).toEqual([
      "6 ok · results in results/s · total 3.20 s",
      "next: prune-sense summarize results/s",
      "      prune-sense plot results/s",
      "      prune-sense status results/s",
    ]);
  });

  it("keeps the one-run table for one run", () => {
    expect(sweepEndLines(recs.slice(0, 1), keys, "results/s", "summary.csv", 1)).toEqual(summaryLines(recs.slice(0, 1), keys, "results/s", "summary.csv", 1));
  });

  it("fits a 108-run k × λ × ε sweep in 80 columns and 30 lines, aggregating k away and saying so", () => {
    const big = sweep({ "model.k": [4, 8, 16, 32], "train.lambda": [0, 0.03, 0.1], "prune.threshold": [0.05, 0.1, 0.2], seed: [1, 2, 3] }, (s) => ({
      kept_columns: s["train.lambda"] === 0 ? Number(s["model.k"]) : 2,
    }));
    const out = sweepEndLines(big.recs, big.keys, "results/sweep-k-lambda-eps", "summary.csv", 14);
    expect(out.length).toBeLessThanOrEqual(30);
    for (const l of out) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(cells(out[0]).slice(0, 2)).toEqual(["lambda", "threshold"]);
    expect(out.filter((l) => /^0 /.test(l))).toHaveLength(3);
    // λ = 0: k = 4, 8, 16, 32 over 3 seeds each → mean 15, min–max 4–32
    expect(cells(out[1])).toEqual(["0", "0.05", "12", "2", "15", "4–32", "1.0e-15", "1.0e-15", "0.870"]);
    expect(out).toContain("rows over seed and k; err: recovery error; rate: contraction per step");
    expect(out).toContain("next: prune-sense summarize results/sweep-k-lambda-eps --by k,lambda,threshold");
  });

  it("cuts at MAX_GROUPS rows, saying how many more, when one key alone has too many values", () => {
    const wide = sweep({ "model.k": Array.from({ length: 30 }, (_, i) => i + 3), seed: [1, 2] }, () => ({}));
    const out = sweepEndLines(wide.recs, wide.keys, "out", "summary.csv");
    expect(out.length).toBeLessThanOrEqual(30);
    expect(out.filter((l) => /^\d+ {2}/.test(l))).toHaveLength(MAX_GROUPS);
    expect(out).toContain(`… ${30 - MAX_GROUPS} more groups (sorted by model.k) in summary.csv`);
  });

  it("counts runs that are not ok in their own column and leaves them out of the aggregates", () => {
    const bad = recs.map((r, i) => (i === 0 ? { ...r, status: "diverged" as const, metrics: { ...r.metrics, kept_columns: 40 } } : r));
    const out = sweepEndLines(bad, keys, "results/s", "summary.csv");
    expect(cells(out[0])).toContain("not ok");
    const row = cells(out.find((l) => l.startsWith("0.1 "))!);
    expect(row.slice(0, 6)).toEqual(["0.1", "3", "1", "2", "2", "2"]);
  });

  it("sorts numbers numerically, then text", () => {
    expect([10, 2, "b", "a", 1].sort(compareScalars)).toEqual([1, 2, 10, "a", "b"]);
    expect(groupRuns(recs, ["train.lambda"]).map((g) => g.key[0])).toEqual([0, 0.1]);
    expect(shownKeys(recs, keys)).toEqual(["train.lambda"]);
  });
});

describe("a sweep through the binary", () => {
  let r: CliResult;
  beforeAll(async () => {
    r = await cliP(["run", "configs/default.yaml", "--out", tempDir("sweep-end"), "--set", "problem.d=6", "--set", "problem.r=2", "--set", "model.k=4,8",
      "--set", "problem.n=200", "--set", "train.steps=30", "--set", "finetune.steps=10", "--set", "seed=1,2", "--jobs", "1"]);
  });

  it("ends with the aggregate table, the folder and the next commands", () => {
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^k +runs +r +kept +min–max +err med +err max +rate med$/);
    expect(lines[1]).toMatch(/^4 +2 +2 /);
    expect(lines[2]).toMatch(/^8 +2 +2 /);
    expect(lines.at(-3)).toMatch(/^next: prune-sense summarize /);
    expect(lines.length).toBeLessThanOrEqual(30);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80 + 60); // the temp folder's path is long
  });
});
