/**
 * Batches (src/sweep/batches.ts): training groups on the same data joined for one
 * worker, at most `width` and a `jobs`-th of the data set's groups each; and a run's
 * files byte-identical whether it ran alone, in a batch, or on two workers.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { problemKey } from "../../src/pipeline/seeds.js";
import { trainingKey } from "../../src/pipeline/run.js";
import { batchGroups, takeByGroup } from "../../src/sweep/batches.js";
import { launchInProcess, launchOnWorkers } from "../../src/sweep/launch.js";
import { planRuns, type PlannedRun } from "../../src/sweep/plan.js";
import { groupByTraining } from "../../src/sweep/run-sweep.js";

const BUILT = new URL("../../dist/sweep/worker.js", import.meta.url);
const folder = () => mkdtempSync(join(tmpdir(), "prune-sense-batches-"));

// odd sizes; λ (a training each), ε (shared trainings), a second data set, and runs the
// fused step does not cover (sgd, the exact group Lasso) in the same batches
const SWEEP = {
  problem: { kind: "matrix-sensing", d: 5, r: 1, n: 60, n_test: 15, noise: 0.01 },
  model: { k: 3 },
  train: { steps: 90, step_size: 0.03, optimizer: { batch_size: 20 } },
  finetune: { steps: 31 },
  log: { every: 20 },
  sweep: {
    seed: [1, 2],
    "train.lambda": [0, 0.03, 0.1],
    "prune.threshold": [0.05, 0.2],
    "train.optimizer.kind": ["gd", "sgd"],
  },
};

describe("batchGroups", () => {
  const plan = planRuns(SWEEP);
  const groups = groupByTraining(plan.runs);
  const dataOf = (runs: readonly PlannedRun[]) => new Set(runs.map((r) => problemKey(r.config)));
  const trainingsOf = (runs: readonly PlannedRun[]) => new Set(runs.map((r) => trainingKey(r.config)));

  it("keeps every run once, each batch on one data set, a training never split", () => {
    const batches = batchGroups(groups, 1, 4);
    expect(batches.flat().map((r) => r.index).sort((a, b) => a - b)).toEqual(plan.runs.map((r) => r.index));
    for (const b of batches) expect(dataOf(b).size).toBe(1);
    for (const g of groups) expect(batches.filter((b) => b.includes(g[0])).every((b) => g.every((r) => b.includes(r)))).toBe(true);
  });

  it("holds at most `width` trainings, and at most a jobs-th of a data set's", () => {
    // 2 seeds × 3 λ × 2 optimizers = 12 trainings, 6 per data set
    expect(groups).toHaveLength(12);
    expect(batchGroups(groups, 1, 4).map((b) => trainingsOf(b).size).sort()).toEqual([2, 2, 4, 4]);
    expect(batchGroups(groups, 1, 16).map((b) => trainingsOf(b).size)).toEqual([6, 6]);
    expect(batchGroups(groups, 2, 16).map((b) => trainingsOf(b).size)).toEqual([3, 3, 3, 3]);
    expect(batchGroups(groups, 1, 1)).toHaveLength(12);
  });

  it("takes (claims) a batch group by group", () => {
    const batch = batchGroups(groups, 1, 16)[0];
    const seen: string[][] = [];
    const taken = takeByGroup((g) => {
      seen.push(g.map((r) => r.id));
      return g.slice(1);
    })(batch);
    expect(seen).toHaveLength(6);
    for (const ids of seen) expect(trainingsOf(batch.filter((r) => ids.includes(r.id))).size).toBe(1);
    expect(taken).toHaveLength(batch.length - 6);
  });
});

describe("a run's files", () => {
  it("are byte-identical alone, in batches of any width, and on two workers", async () => {
    const plan = planRuns(SWEEP);
    const groups = groupByTraining(plan.runs);
    const alone = folder();
    await launchInProcess(plan.runs.map((r) => [r]), alone);
    const others = [folder(), folder()];
    await launchInProcess(batchGroups(groups, 1, 16), others[0]);
    await launchInProcess(batchGroups(groups, 1, 3), others[1]);
    if (existsSync(BUILT)) {
      others.push(folder());
      await launchOnWorkers(batchGroups(groups, 2, 16), others[2], 2, {}, undefined, BUILT);
    }
    for (const run of plan.runs) {
      const result = JSON.parse(readFileSync(join(alone, "runs", run.id, "result.json"), "utf8"));
      expect(result.status).toBe("ok");
      for (const other of others) {
        for (const f of ["trace.csv", "columns.csv", "config.json"]) {
          expect(readFileSync(join(other, "runs", run.id, f), "utf8"), `${run.index} ${f}`).toBe(readFileSync(join(alone, "runs", run.id, f), "utf8"));
        }
        const again = JSON.parse(readFileSync(join(other, "runs", run.id, "result.json"), "utf8"));
        expect(again.metrics).toEqual(result.metrics);
      }
    }
  });
});
