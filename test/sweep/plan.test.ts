/**
 * Planning a sweep: every error of every run collected before anything runs (each
 * line once, naming the runs it applies to when not all), warnings once, duplicate
 * runs once, the sweep's name and swept keys, and the per-run limits.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configErrorLines } from "../helpers.js";
import { parseOverrides } from "../../src/sweep/expand.js";
import { describeSwept, planRuns, planRunsFromFile } from "../../src/sweep/plan.js";

const LIMITS = { maxMemory: 8 * 1024 ** 3, maxRuns: 1000 };

const linesOf = configErrorLines;

describe("planning a sweep", () => {
  it("describes a run by its swept values", () => {
    expect(describeSwept({ "model.k": 10, seed: 2, "problem.kind": "population" })).toBe("model.k=10, seed=2, problem.kind=population");
    expect(describeSwept({})).toBe("");
  });

  it("plans one run per point of the sweep, in order, with ids, swept values and resolved configs", () => {
    const plan = planRuns({ name: "grid", train: { steps: 5 }, sweep: { "model.k": [3, 4], seed: [1, 2] } }, [], LIMITS);
    expect(plan.name).toBe("grid");
    expect(plan.sweptKeys).toEqual(["model.k", "seed"]);
    expect(plan.runs.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(plan.runs.map((r) => [r.config.model.k, r.config.seed])).toEqual([[3, 1], [3, 2], [4, 1], [4, 2]]);
    expect(plan.runs[3].swept).toEqual({ "model.k": 4, seed: 2 });
    expect(new Set(plan.runs.map((r) => r.id)).size).toBe(4);
    expect(plan.warnings).toEqual([]);
  });

  it("names an unnamed sweep after the config's default name", () => {
    expect(planRuns({ train: { steps: 5 } }, [], LIMITS).name).toBe(planRuns({}, [], LIMITS).runs[0].config.name);
  });

  it("applies --set overrides", () => {
    const plan = planRuns({ train: { steps: 5 } }, parseOverrides(["seed=4,5"]), LIMITS);
    expect(plan.runs.map((r) => r.config.seed)).toEqual([4, 5]);
  });

  it("reports an error of every run once, without naming runs", () => {
    expect(linesOf(() => planRuns({ train: { steps: "k / 3" }, sweep: { seed: [1, 2, 3] } }, [], LIMITS))).toEqual([
      'train.steps: must be an integer, got 13.333333333333334 (from formula "k / 3")',
    ]);
  });

  it("names the first run an error applies to and counts the others", () => {
    expect(linesOf(() => planRuns({ train: { steps: "k / 4" }, sweep: { "model.k": [40, 41, 42, 43] } }, [], LIMITS))).toEqual([
      'train.steps: must be an integer, got 10.25 (from formula "k / 4") (in run model.k=41)',
      'train.steps: must be an integer, got 10.5 (from formula "k / 4") (in run model.k=42)',
      'train.steps: must be an integer, got 10.75 (from formula "k / 4") (in run model.k=43)',
    ]);
    expect(linesOf(() => planRuns({ train: { steps: "k / 2" }, sweep: { "model.k": [40, 41, 42, 43] } }, [], LIMITS))).toEqual([
      'train.steps: must be an integer, got 20.5 (from formula "k / 2") (in run model.k=41)',
      'train.steps: must be an integer, got 21.5 (from formula "k / 2") (in run model.k=43)',
    ]);
    expect(linesOf(() => planRuns({ model: { k: 41 }, train: { steps: "k / 2" }, sweep: { seed: [1, 2, 3] } }, [], LIMITS))).toEqual([
      'train.steps: must be an integer, got 20.5 (from formula "k / 2")',
    ]);
    expect(linesOf(() => planRuns({ train: { steps: 5 }, sweep: { "train.lambda": [0.1, -1, -2, -3] } }, [], LIMITS))).toEqual([
      "train.lambda: must be ≥ 0, got -1 (in run train.lambda=-1)",
      "train.lambda: must be ≥ 0, got -2 (in run train.lambda=-2)",
      "train.lambda: must be ≥ 0, got -3 (in run train.lambda=-3)",
    ]);
  });

  it("counts the other runs that share an error line", () => {
    // a line of its own per run when the text differs
    const lines = linesOf(() => planRuns({ train: { steps: 5 }, sweep: { "train.steps": [5, 2e8, 2e8 + 1, 3e8] } }, [], LIMITS));
    expect(lines).toEqual([
      "train.steps: 200000000 steps is over the limit of 100000000 steps per phase (in run train.steps=200000000)",
      "train.steps: 200000001 steps is over the limit of 100000000 steps per phase (in run train.steps=200000001)",
      "train.steps: 300000000 steps is over the limit of 100000000 steps per phase (in run train.steps=300000000)",
    ]);
    // one line, the first run named and the others counted, when the text is the same
    const memory = linesOf(() => planRuns({ train: { steps: 5 }, sweep: { seed: [1, 2, 3], "model.k": [4, 9e7] } }, [], LIMITS));
    expect(memory).toHaveLength(1);
    expect(memory[0]).toMatch(/over the memory limit of 8\.00 GB \(--max-memory\) \(in run seed=1, model\.k=90000000 and 2 more\)$/);
  });

  it("reports shape errors with the base config's formula errors, each once", () => {
    expect(linesOf(() => planRuns({ seed: -1, train: { lambda: "1 +" }, sweep: { seed: [1, 2] } }, [], LIMITS))).toEqual([
      "seed: must be ≥ 0, got -1",
      'train.lambda: formula "1 +" does not parse: Unexpected end of expression (char 4)',
    ]);
  });

  it("reports each warning once for the whole sweep", () => {
    const plan = planRuns({ model: { k: 1 }, problem: { r: 2 }, train: { steps: 5 }, sweep: { seed: [1, 2, 3] } }, [], LIMITS);
    expect(plan.warnings).toEqual(["model.k: 1 < problem.r (2): the model cannot fit the ground truth exactly"]);
  });

  it("runs identical settings once, warning for each repeat", () => {
    const plan = planRuns({ train: { steps: 5 }, sweep: { "train.lambda": [0.1, 0.2, 0.1, 0.1] } }, [], LIMITS);
    expect(plan.runs.map((r) => r.index)).toEqual([0, 1]);
    expect(plan.warnings).toEqual([
      `runs 0 and 2 have identical settings (run ${plan.runs[0].id}); it runs once`,
      `runs 0 and 3 have identical settings (run ${plan.runs[0].id}); it runs once`,
    ]);
  });

  it("applies the run limits it is given", () => {
    expect(linesOf(() => planRuns({ train: { steps: 5 } }, [], { maxMemory: 1024, maxRuns: 10 }))[0]).toMatch(/over the memory limit of 1\.00 kB \(--max-memory\)$/);
    expect(linesOf(() => planRuns({ sweep: { seed: [1, 2, 3] } }, [], { ...LIMITS, maxRuns: 2 }))).toEqual([
      "sweep: 3 runs (seed: 3) is over the limit of 2 runs (--max-runs)",
    ]);
  });

  it("plans from a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "prune-sense-plan-"));
    const path = join(dir, "c.yaml");
    writeFileSync(path, "name: from-file\ntrain:\n  steps: 5\nsweep:\n  seed: [1, 2]\n");
    const plan = planRunsFromFile(path, parseOverrides(["model.k=3"]), LIMITS);
    expect(plan.name).toBe("from-file");
    expect(plan.runs.map((r) => [r.config.seed, r.config.model.k])).toEqual([[1, 3], [2, 3]]);
    expect(planRunsFromFile(path).runs).toHaveLength(2);
  });
});
