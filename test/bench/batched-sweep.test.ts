/**
 * The batched workload of `prune-sense bench`: the same 32-run λ sweep as
 * numpy_sufficient_stats.py --batch 32, timed as a whole process, in runs per second.
 */
import { describe, expect, it } from "vitest";
import { BATCHED_RUNS, BATCHED_SWEEP, formatBatchedSweep, measureBatchedSweep } from "../../src/bench/batched-sweep.js";
import { problemKey } from "../../src/pipeline/seeds.js";
import { planRuns } from "../../src/sweep/plan.js";

describe("the batched sweep", () => {
  it("is the yardstick's --batch 32: 32 runs on one data set, λ as numpy's linspace(0, 0.1, 32)", () => {
    const plan = planRuns(BATCHED_SWEEP);
    expect(plan.runs).toHaveLength(BATCHED_RUNS);
    expect(new Set(plan.runs.map((r) => problemKey(r.config))).size).toBe(1);
    plan.runs.forEach((r, i) => expect(r.config.train.lambda).toBeCloseTo((0.1 * i) / 31, 12));
  });

  it("is timed as a whole process and reported in runs per second, numpy skipped without its yardstick", () => {
    const r = measureBatchedSweep({ yardstick: null, repeats: 1 });
    expect(r.yardstick).toMatchObject({ state: "skipped", reason: "disabled" });
    expect(r.ours_s).toBeGreaterThan(0);
    expect(r.ours_runs_per_s).toBeCloseTo(32 / r.ours_s, 10);
    expect(r.numpy_s).toBeNaN();
    const text = formatBatchedSweep(r);
    expect(text).toContain(`prune-sense run --jobs 2`);
    expect(text).toContain(r.ours_runs_per_s.toFixed(2));
    expect(text).toContain("numpy skipped: disabled");
  });
});
