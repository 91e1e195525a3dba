/** The accumulation rule of a results folder, as a pure function; the default output folder. */
import { describe, expect, it } from "vitest";
import { composeSummary, defaultOutDir, type PlanFile } from "../../src/output/folder.js";
import type { RunRecord } from "../../src/output/results.js";
import { planRuns } from "../../src/sweep/plan.js";

/** Records of the runs of a written config, as result.json would hold them. */
function recordsOf(written: unknown): Map<string, RunRecord> {
  const plan = planRuns(written);
  return new Map(
    plan.runs.map((r) => [r.id, { run_id: r.id, index: r.index, swept: r.swept, status: "ok", error: "", diverged_phase: "", diverged_step: null, metrics: {} as RunRecord["metrics"], seconds: 0, config: r.config }]),
  );
}

function planOf(written: unknown): PlanFile {
  const p = planRuns(written);
  return { name: p.name, sweptKeys: p.sweptKeys, runs: p.runs.map((r) => ({ index: r.index, id: r.id, swept: r.swept })) };
}

describe("composeSummary", () => {
  const a = { sweep: { "train.lambda": [0, 0.1] } };
  const b = { sweep: { "model.k": [10, 20], "train.lambda": [0.1] } };
  const runs = new Map([...recordsOf(a), ...recordsOf(b)]);

  it("lists each run once, in plan order, with the union of swept columns filled from each run's config", () => {
    const { records, sweptKeys } = composeSummary([planOf(a), planOf(b)], runs);
    expect(sweptKeys).toEqual(["train.lambda", "model.k"]);
    expect(records.map((r) => r.swept)).toEqual([
      { "train.lambda": 0, "model.k": 40 },
      { "train.lambda": 0.1, "model.k": 40 },
      { "train.lambda": 0.1, "model.k": 10 },
      { "train.lambda": 0.1, "model.k": 20 },
    ]);
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });

  it("lists complete runs that no plan names after the planned ones, by id", () => {
    const { records } = composeSummary([planOf(b)], runs);
    const unplanned = [...recordsOf(a).keys()].filter((id) => !planOf(b).runs.some((r) => r.id === id)).sort();
    expect(records.slice(2).map((r) => r.run_id)).toEqual(unplanned);
  });

  it("does not list a planned run that is not complete", () => {
    const { records } = composeSummary([planOf(a), planOf(b)], recordsOf(a));
    expect(records).toHaveLength(2);
  });
});

describe("defaultOutDir", () => {
  it("is results/<name> for a name inside results/", () => {
    expect(defaultOutDir("default")).toBe("results/default");
    expect(defaultOutDir("paper/pruning")).toBe("results/paper/pruning");
  });

  it.each(["..", ".", "../x", "a/../..", "/etc"])("refuses %j", (name) => {
    expect(() => defaultOutDir(name)).toThrow(`name: ${JSON.stringify(name)} is not a folder name under results/`);
  });
});
