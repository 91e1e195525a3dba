/**
 * Every run is its own failure domain: a run whose outputs cannot be produced
 * (the "Invalid string length" of a trace too long for one string) is saved as
 * `failed` with the reason, and the other runs of the sweep go on.
 */
import { describe, expect, it, vi } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planRuns } from "../../src/sweep/plan.js";
import { runSweep } from "../../src/sweep/run-sweep.js";
import { readRunRecord } from "../../src/output/results.js";
import { readCsv } from "../e2e/cli.js";

// a trace of more than 50 rows stands for one too long for a JavaScript string (what 5e6 logged steps give)
vi.mock("../../src/output/csv.js", async (original) => {
  const real = await original<typeof import("../../src/output/csv.js")>();
  return {
    ...real,
    toCsv: (columns: readonly string[], rows: readonly object[]) => {
      if (columns[0] === "phase" && rows.length > 50) throw new RangeError("Invalid string length");
      return real.toCsv(columns, rows as never);
    },
  };
});

describe("a run whose outputs cannot be produced", () => {
  it("is saved as failed with the reason, and the sweep goes on", async () => {
    const plan = planRuns({ train: { steps: 200 }, finetune: { steps: 20 }, sweep: { "log.every": [1, 50] } });
    const out = mkdtempSync(join(tmpdir(), "prune-sense-too-long-"));
    const outcome = await runSweep(plan, out, { jobs: 1, force: false, shard: null, inProcess: true });
    expect(outcome.records.map((r) => r.status)).toEqual(["failed", "ok"]);
    const rows = readCsv(join(out, "summary.csv"));
    expect(rows.map((r) => r.status)).toEqual(["failed", "ok"]);
    expect(rows[0].error).toBe("outputs could not be produced: trace.csv: RangeError: Invalid string length");
    // saved complete: resume does not retry a run that would fail the same way
    expect(readRunRecord(out, plan.runs[0].id)?.status).toBe("failed");
  });
});
