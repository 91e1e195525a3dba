/**
 * A run whose files cannot be written: an environment error (full disk) leaves it
 * unsaved (resume runs it again) and the sweep ends as a user error after the other
 * runs; an output that cannot be produced is saved as `failed` with the reason, and if
 * even that cannot be written, both reasons are given.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UserError } from "../../src/errors.js";
import type { RunRecord } from "../../src/output/results.js";
import { createRunCaches, executeRun } from "../../src/sweep/execute.js";
import { planRuns } from "../../src/sweep/plan.js";
import { runSweep } from "../../src/sweep/run-sweep.js";

/** What the next writes of run files do: "ok", "enospc" or "bug", one entry per call (then "ok"). */
const plan: { writes: string[]; seen: RunRecord[] } = { writes: [], seen: [] };

vi.mock("../../src/output/results.js", async (original) => {
  const real = await original<typeof import("../../src/output/results.js")>();
  return {
    ...real,
    writeRunFiles: (outDir: string, record: RunRecord, result: Parameters<typeof real.writeRunFiles>[2]) => {
      plan.seen.push(record);
      const what = plan.writes.shift() ?? "ok";
      if (what === "enospc") {
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write", path: join(outDir, "runs", record.run_id, "trace.csv") });
      }
      if (what === "bug") throw new RangeError("Invalid string length");
      if (what === "other") throw Object.assign(new Error("EEXIST: file already exists"), { code: "EEXIST" });
      return real.writeRunFiles(outDir, record, result);
    },
  };
});

afterEach(() => {
  plan.writes = [];
  plan.seen = [];
});

const SMALL = { problem: { kind: "population", d: 4, r: 1 }, model: { k: 2 }, train: { steps: 10 }, finetune: { steps: 5 }, log: { every: 5 } };
const folder = () => mkdtempSync(join(tmpdir(), "prune-sense-unsaved-"));

describe("a run that cannot be saved", () => {
  it("is failed and unsaved, with the file and the reason", () => {
    const [run] = planRuns(SMALL).runs;
    const out = folder();
    plan.writes = ["enospc"];
    const record = executeRun(run, out, createRunCaches());
    const line = `${join(out, "runs", run.id, "trace.csv")}: cannot write (ENOSPC: no space left on device)`;
    expect(record).toMatchObject({ status: "failed", error: line, unsaved: line });
  });

  it("ends the sweep as a user error after every other run, naming how many and the first reason", async () => {
    const sweep = planRuns({ ...SMALL, sweep: { seed: [1, 2, 3] } });
    const out = folder();
    plan.writes = ["ok", "enospc", "enospc"];
    const error = await runSweep(sweep, out, { jobs: 1, force: false, shard: null, inProcess: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      `2 runs could not be saved (${join(out, "runs", sweep.runs[1].id, "trace.csv")}: cannot write (ENOSPC: no space left on device)); ` +
        "make room or fix the folder, then run the same command again to resume",
    );
    expect(plan.seen.map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it("says 1 run in the singular", async () => {
    const sweep = planRuns(SMALL);
    plan.writes = ["enospc"];
    await expect(runSweep(sweep, folder(), { jobs: 1, force: false, shard: null, inProcess: true })).rejects.toThrow(/^1 run could not be saved \(/);
  });
});

describe("a run whose outputs cannot be produced", () => {
  it("is saved as failed with the reason, without its trace and columns", () => {
    const [run] = planRuns(SMALL).runs;
    plan.writes = ["bug"];
    const record = executeRun(run, folder(), createRunCaches());
    expect(record).toMatchObject({ status: "failed", error: "outputs could not be produced: Invalid string length", diverged_phase: "", diverged_step: null });
    expect(record.unsaved).toBeUndefined();
    expect(plan.seen).toHaveLength(2);
    expect(plan.seen[1].status).toBe("failed");
  });

  it("gives both reasons when the failed record cannot be written either", () => {
    const [run] = planRuns(SMALL).runs;
    const out = folder();
    plan.writes = ["bug", "enospc"];
    const record = executeRun(run, out, createRunCaches());
    const line = `${join(out, "runs", run.id, "trace.csv")}: cannot write (ENOSPC: no space left on device)`;
    expect(record).toMatchObject({ status: "failed", error: `outputs could not be produced: Invalid string length; ${line}`, unsaved: line });
  });

  it("lets an unexpected error of the second write through (a bug, not the environment)", () => {
    const [run] = planRuns(SMALL).runs;
    plan.writes = ["bug", "other"];
    expect(() => executeRun(run, folder(), createRunCaches())).toThrow("EEXIST: file already exists");
  });
});

describe("a run that diverges", () => {
  it("keeps its phase and step in the saved record", () => {
    const [run] = planRuns({ problem: { kind: "population", d: 4, r: 1 }, model: { k: 2, init_scale: 1 }, train: { step_size: 0.6, steps: 200 }, log: { every: 50 } }).runs;
    const record = executeRun(run, folder(), createRunCaches());
    expect(record.status).toBe("diverged");
    expect(record.diverged_phase).toBe("train");
    expect(record.diverged_step).toBeGreaterThan(0);
    expect(record.error).toMatch(/^train diverged at step \d+/);
    expect(record).toMatchObject({ run_id: run.id, index: run.index, swept: run.swept });
    expect(record.seconds).toBeGreaterThanOrEqual(0);
  });
});
