/**
 * The worker-thread launcher: groups pulled from one queue by at most `jobs` workers,
 * every run started and recorded once with its slot, progress forwarded for the run a
 * worker is on, the same files as in this thread, and a worker that fails rejects the
 * launch. The workers run the built script (dist/sweep/worker.js: `npm run build`);
 * the queue and the events under test are this module's own.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import { awaitDraftRoom, draftLanded, EarlyWorker, launchInProcess, launchOnWorkers } from "../../src/sweep/launch.js";
import { inspectRun, runDir } from "../../src/output/results.js";
import { Worker } from "node:worker_threads";
import { planRuns, type PlannedRun, type SweepPlan } from "../../src/sweep/plan.js";
import { groupByTraining, runSweep } from "../../src/sweep/run-sweep.js";

const BUILT = new URL("../../dist/sweep/worker.js", import.meta.url);
const built = existsSync(BUILT);
const folder = () => mkdtempSync(join(tmpdir(), "prune-sense-workers-"));
const SMALL = { problem: { kind: "population", d: 4, r: 1 }, model: { k: 2 }, train: { steps: 10 }, finetune: { steps: 5 }, log: { every: 5 } };

describe.skipIf(!built)("launching on worker threads (skipped without dist/: run npm run build)", () => {
  // planned in each test (not while the file loads), so mutation testing sees which tests reach it
  let plan: SweepPlan;
  let groups: PlannedRun[][];
  beforeEach(() => {
    plan = planRuns({ ...SMALL, sweep: { seed: [1, 2, 3], "prune.threshold": [0.01, 0.02] } });
    groups = groupByTraining(plan.runs);
  });

  it("starts and records every run once, on slots below the worker count, with progress for the run on each slot", async () => {
    const events: Array<[string, number, number]> = [];
    const progress: string[] = [];
    const records = await launchOnWorkers(groups, folder(), 2, {
      onStart: (run, slot) => events.push(["start", run.index, slot]),
      onProgress: (run, slot, phase, step, total) => progress.push(`${run.index} ${slot} ${phase} ${step}/${total}`),
      onDone: (record, slot) => events.push(["done", record.index, slot]),
    }, undefined, BUILT);
    expect(groups).toHaveLength(3);
    expect(records.map((r) => r.index).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(records.every((r) => r.status === "ok")).toBe(true);
    const started = events.filter((e) => e[0] === "start");
    expect(started.map((e) => e[1]).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(events.map((e) => e[2]))).toEqual(new Set([0, 1]));
    // each run's record lands on the slot it started on, after its start
    for (const [, index, slot] of started) {
      const done = events.findIndex((e) => e[0] === "done" && e[1] === index);
      expect(events[done][2]).toBe(slot);
      expect(done).toBeGreaterThan(events.findIndex((e) => e[0] === "start" && e[1] === index));
    }
    for (const r of plan.runs) {
      const slot = started.find((e) => e[1] === r.index)![2];
      expect(progress).toContain(`${r.index} ${slot} finetune 5/5`);
    }
  });

  it("writes the same files as running in this thread", async () => {
    const here = folder();
    const there = folder();
    await launchInProcess(groups, here);
    await launchOnWorkers(groups, there, 2, {}, undefined, BUILT);
    for (const run of plan.runs) {
      for (const f of ["trace.csv", "columns.csv", "config.json"]) {
        expect(readFileSync(join(there, "runs", run.id, f), "utf8"), `${run.index} ${f}`).toBe(readFileSync(join(here, "runs", run.id, f), "utf8"));
      }
    }
  });

  it("reports a run done (its claim released) only once its files are all in place, none left under a temp name", async () => {
    const out = folder();
    const seen: string[] = [];
    await launchOnWorkers(groups, out, 2, {
      onDone: (record) => {
        const names = readdirSync(runDir(out, record.run_id)).sort();
        seen.push(`${inspectRun(out, record.run_id).state} ${names.join(",")}`);
      },
    }, undefined, BUILT);
    expect(seen).toEqual(Array(6).fill("complete columns.csv,config.json,result.json,trace.csv"));
  });

  it("starts no more workers than groups, and at least one", async () => {
    const slots = new Set<number>();
    await launchOnWorkers(groups.slice(0, 1), folder(), 8, { onStart: (_r, slot) => slots.add(slot) }, undefined, BUILT);
    expect([...slots]).toEqual([0]);
    const records = await launchOnWorkers(groups.slice(0, 2), folder(), 0, { onDone: (_r, slot) => slots.add(slot) }, undefined, BUILT);
    expect(records).toHaveLength(4);
    expect([...slots]).toEqual([0]);
  });

  it("returns at once for no groups", async () => {
    expect(await launchOnWorkers([], folder(), 2, {}, undefined, BUILT)).toEqual([]);
  });
});

describe("a worker that fails", () => {
  let groups: PlannedRun[][];
  beforeEach(() => {
    groups = groupByTraining(planRuns(SMALL).runs);
  });
  const script = (text: string): URL => {
    const path = join(folder(), "worker.mjs");
    writeFileSync(path, text);
    return pathToFileURL(path);
  };

  it("rejects the launch with the worker's error", async () => {
    await expect(launchOnWorkers(groups, folder(), 1, {}, undefined, script('throw new Error("worker broke");\n'))).rejects.toThrow("worker broke");
  });

  it("rejects the launch when a worker exits with a nonzero code", async () => {
    await expect(launchOnWorkers(groups, folder(), 1, {}, undefined, script("process.exit(3);\n"))).rejects.toThrow("worker 0 exited with code 3");
  });

  it("rejects the launch with the error of a worker started early that failed before it was taken", async () => {
    const early = new EarlyWorker(script('throw new Error("broke while loading");\n'));
    await new Promise((r) => early.worker.once("exit", r));
    await expect(launchOnWorkers(groups, folder(), 1, {}, undefined, BUILT, [early])).rejects.toThrow("broke while loading");
  });
});

describe.skipIf(!built)("workers started early (skipped without dist/: run npm run build)", () => {
  it("are taken first by a launch; one no launch took is ended by runSweep", async () => {
    const plan = planRuns({ ...SMALL, sweep: { seed: [1, 2] } });
    const early = [new EarlyWorker(BUILT), new EarlyWorker(BUILT)];
    const records = await launchOnWorkers(groupByTraining(plan.runs).slice(0, 1), folder(), 2, {}, undefined, BUILT, early);
    expect(records.map((r) => r.status)).toEqual(["ok"]);
    expect(early.map((w) => w.taken)).toEqual([true, false]);
    const ended = new Promise((r) => early[1].worker.once("exit", r));
    await runSweep(plan, folder(), { jobs: 1, force: false, shard: null, inProcess: true, workers: [early[1]] });
    await ended;
  });
});

describe("drafts waiting to land (a worker's bound, so it never runs far ahead of the disk)", () => {
  it("lets a worker count drafts up to the bound at once, then waits until one lands", () => {
    const inFlight = new Int32Array(new SharedArrayBuffer(4));
    awaitDraftRoom(inFlight, 2);
    awaitDraftRoom(inFlight, 2);
    expect(Atomics.load(inFlight, 0)).toBe(2);
    // another thread lands one draft 150 ms from now; until then this thread waits
    const lander = new Worker(
      "const { workerData } = require('node:worker_threads'); const a = new Int32Array(workerData); " +
      "setTimeout(() => { Atomics.sub(a, 0, 1); Atomics.notify(a, 0); }, 150);",
      { eval: true, workerData: inFlight.buffer },
    );
    const t0 = performance.now();
    awaitDraftRoom(inFlight, 2);
    expect(performance.now() - t0).toBeGreaterThan(100);
    expect(Atomics.load(inFlight, 0)).toBe(2);
    draftLanded(inFlight);
    expect(Atomics.load(inFlight, 0)).toBe(1);
    void lander.terminate();
  });
});

