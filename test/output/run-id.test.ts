import { describe, expect, it } from "vitest";
import { runId, runIdForms } from "../../src/output/run-id.js";
import { planRuns } from "../../src/sweep/plan.js";

describe("run ids", () => {
  const ids = planRuns({ sweep: { seed: Array.from({ length: 300 }, (_, i) => i), "train.lambda": [0, 0.1] } }).runs.map((r) => r.id);

  it("are r and 10 hex digits, so no reader parses one as a number", () => {
    for (const id of ids) {
      expect(id).toMatch(/^r[0-9a-f]{10}$/);
      expect(Number.isNaN(Number(id))).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keep the older bare hex form as the second form a folder may have", () => {
    const planned = planRuns({}).runs[0];
    expect(runId(planned.config)).toBe(planned.id);
    expect(runIdForms(planned.id)).toEqual([planned.id, planned.id.slice(1)]);
    expect(runIdForms("98918944e8")).toEqual(["98918944e8"]);
  });
});
