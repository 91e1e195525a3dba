/**
 * Shared work in a sweep: runs that differ only in prune.* / finetune.* train
 * once (and give the same files as if each trained alone), runs with identical
 * settings run once, and shards split the runs disjointly.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planRuns, type SweepPlan } from "../../src/sweep/plan.js";
import { groupByTraining, parseShard, runSweep, shardRuns, summaryFileName } from "../../src/sweep/run-sweep.js";
import { runPipeline, TrainingCache, trainingKey } from "../../src/pipeline/run.js";
import { buildProblem } from "../../src/pipeline/seeds.js";
import { UsageError } from "../../src/errors.js";

const EPS_SWEEP = {
  problem: { kind: "population", d: 6, r: 2 }, model: { k: 6 }, train: { steps: 60 }, finetune: { steps: 20 }, log: { every: 20 },
  sweep: { "prune.threshold": [0.05, 0.1, 0.2], seed: [1, 2] },
};

describe("an ε sweep", () => {
  // planned in each test (not while the file loads), so mutation testing sees which tests reach it
  let plan: SweepPlan;
  beforeEach(() => {
    plan = planRuns(EPS_SWEEP);
  });

  it("groups the runs that train identically: one group per seed, in the costliest-first order", () => {
    const groups = groupByTraining(plan.runs);
    expect(groups.map((g) => g.map((r) => r.index))).toEqual([[0, 2, 4], [1, 3, 5]]);
    expect(new Set(plan.runs.map((r) => trainingKey(r.config))).size).toBe(2);
  });

  it("reuses a cached training and gives the same result as training afresh", () => {
    const [a, b] = [plan.runs[0], plan.runs[2]]; // seed 1, ε = 0.05 and 0.1
    const cache = new TrainingCache();
    const problem = buildProblem(a.config);
    const first = runPipeline(a.config, problem, undefined, cache);
    let trainProgress: number[] = [];
    const cached = runPipeline(b.config, problem, (phase, step) => phase === "train" && trainProgress.push(step), cache);
    expect(trainProgress).toEqual([60]); // no training steps: one progress report of the whole, cached phase
    trainProgress = [];
    const fresh = runPipeline(b.config, buildProblem(b.config), (phase, step) => phase === "train" && trainProgress.push(step));
    expect(trainProgress.length).toBeGreaterThan(1);
    expect(cached).toEqual(fresh);
    expect(cached.trace.filter((r) => r.phase === "train")).toEqual(first.trace.filter((r) => r.phase === "train"));
  });

  it("keeps at most `capacity` trainings, dropping the oldest", () => {
    const cache = new TrainingCache(1);
    const state = { U: new Float64Array(0), outcome: {} as never, trace: [], hessianMinEig: 0 };
    cache.set("a", state);
    cache.set("b", state);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toBe(state);
  });

  it("writes the same files in one process as run by run", async () => {
    const together = mkdtempSync(join(tmpdir(), "prune-sense-eps-"));
    const outcome = await runSweep(plan, together, { jobs: 1, force: false, shard: null, inProcess: true });
    expect(outcome).toMatchObject({ ran: 6, skipped: 0 });
    for (const run of plan.runs) {
      const alone = mkdtempSync(join(tmpdir(), "prune-sense-eps-alone-"));
      await runSweep({ ...plan, runs: [run] }, alone, { jobs: 1, force: false, shard: null, inProcess: true });
      const read = (dir: string, f: string) => readFileSync(join(dir, "runs", run.id, f), "utf8");
      for (const f of ["trace.csv", "columns.csv", "config.json"]) expect(read(together, f), `${run.index} ${f}`).toBe(read(alone, f));
    }
    const again = await runSweep(plan, together, { jobs: 1, force: false, shard: null, inProcess: true });
    expect(again).toMatchObject({ ran: 0, skipped: 6 });
    const forced = await runSweep(plan, together, { jobs: 1, force: true, shard: null, inProcess: true });
    expect(forced).toMatchObject({ ran: 6, skipped: 0 });
  });
});

describe("duplicate runs", () => {
  it("run once, with a warning naming both positions", () => {
    const plan = planRuns({ train: { steps: 5 }, sweep: { "train.lambda": [0.1, 0.1, 0.2] } });
    expect(plan.runs.map((r) => r.index)).toEqual([0, 2]);
    expect(plan.warnings).toEqual([`runs 0 and 1 have identical settings (run ${plan.runs[0].id}); it runs once`]);
  });
});

describe("shards", () => {
  let plan: SweepPlan;
  beforeEach(() => {
    plan = planRuns({ train: { steps: 5 }, sweep: { seed: [1, 2, 3, 4, 5, 6, 7] } });
  });

  it("split the runs into disjoint slices by position that cover them all", () => {
    const slices = [1, 2, 3].map((i) => shardRuns(plan.runs, { index: i, count: 3 }).map((r) => r.index));
    expect(slices).toEqual([[0, 3, 6], [1, 4], [2, 5]]);
    expect(shardRuns(plan.runs, null)).toHaveLength(7);
  });

  it("parse I/N with 1 ≤ I ≤ N and name their summary file", () => {
    expect(parseShard(" 2/3 ")).toEqual({ index: 2, count: 3 });
    expect(parseShard("1/1")).toEqual({ index: 1, count: 1 });
    // Slurm arrays go past 9: several digits on both sides
    expect(parseShard("12/128")).toEqual({ index: 12, count: 128 });
    for (const bad of ["0/2", "3/2", "1/0", "a/b", "1-2", "1/2/3"]) {
      expect(() => parseShard(bad)).toThrow(new UsageError(`--shard ${bad}: expected I/N with 1 ≤ I ≤ N, e.g. --shard 1/4`));
    }
    expect(summaryFileName({ index: 2, count: 3 })).toBe("summary-shard-2-of-3.csv");
    expect(summaryFileName(null)).toBe("summary.csv");
  });
});
