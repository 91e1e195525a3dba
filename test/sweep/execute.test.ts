/** A run that throws becomes a `failed` record with its error text; it never takes the sweep down. */
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRunCaches, executeRun } from "../../src/sweep/execute.js";
import { planRuns } from "../../src/sweep/plan.js";
import { readCsv } from "../e2e/cli.js";
import { runSweep } from "../../src/sweep/run-sweep.js";

describe("executeRun", () => {
  it("records an exception as status failed, with the error, and writes the run's files", () => {
    const [run] = planRuns({ train: { steps: 5 }, finetune: { steps: 5 } }).runs;
    const broken = { ...run, config: { ...run.config, problem: { ...run.config.problem, kind: "no-such-model" } } };
    const out = mkdtempSync(join(tmpdir(), "prune-sense-failed-"));
    const record = executeRun(broken, out, createRunCaches());
    expect(record.status).toBe("failed");
    expect(record.error).toBe("Error: no solver registered for problem.kind no-such-model");
    expect(existsSync(join(out, "runs", run.id, "result.json"))).toBe(true);
  });

  it("keeps running the other runs of a sweep after one fails, and lists it in summary.csv", async () => {
    const plan = planRuns({ train: { steps: 5 }, finetune: { steps: 5 }, log: { every: 5 }, sweep: { seed: [1, 2] } });
    plan.runs[0] = { ...plan.runs[0], config: { ...plan.runs[0].config, problem: { ...plan.runs[0].config.problem, kind: "no-such-model" } } };
    const out = mkdtempSync(join(tmpdir(), "prune-sense-failed-sweep-"));
    const outcome = await runSweep(plan, out, { jobs: 1, force: false, shard: null, inProcess: true });
    expect(outcome.records.map((r) => r.status)).toEqual(["failed", "ok"]);
    const rows = readCsv(join(out, "summary.csv"));
    expect(rows.map((r) => r.status)).toEqual(["failed", "ok"]);
    expect(rows[0].error).toBe("Error: no solver registered for problem.kind no-such-model");
  });
});
