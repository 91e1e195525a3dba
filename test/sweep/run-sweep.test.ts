/**
 * Running a planned sweep into a folder, in-process: resume (complete runs skipped and
 * labelled as this sweep has them, absent and damaged ones run again with a note),
 * --force, shards and their summary files, the launcher's events, the order of
 * training groups, progress throttling and the saved plan.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UserError } from "../../src/errors.js";
import { launchInProcess, PROGRESS_INTERVAL_MS, throttledProgress } from "../../src/sweep/launch.js";
import { planRuns, type PlannedRun, type SweepPlan } from "../../src/sweep/plan.js";
import { groupByTraining, nextSummaryAt, planFile, runSweep, SUMMARY_COST_FACTOR, SUMMARY_INTERVAL_MS } from "../../src/sweep/run-sweep.js";
import { readCsv } from "../e2e/cli.js";

const SMALL = { problem: { kind: "population", d: 4, r: 1 }, model: { k: 2 }, train: { steps: 10 }, finetune: { steps: 5 }, log: { every: 5 } };
const folder = () => mkdtempSync(join(tmpdir(), "prune-sense-run-sweep-"));

describe("resume", () => {
  // planned in each test (not while the file loads), so mutation testing sees which tests reach it
  let plan: SweepPlan;
  beforeEach(() => {
    plan = planRuns({ ...SMALL, sweep: { seed: [1, 2, 3] } });
  });

  it("skips complete runs and runs absent and damaged ones again, with a note for each damaged one", async () => {
    const out = folder();
    const first = await runSweep(plan, out, { jobs: 1, force: false, shard: null, inProcess: true });
    expect(first).toMatchObject({ ran: 3, skipped: 0, folderRuns: 3 });
    const [a, b, c] = plan.runs.map((r) => r.id);
    rmSync(join(out, "runs", a, "result.json"));
    appendFileSync(join(out, "runs", b, "trace.csv"), "x\n");
    const notes: string[] = [];
    const skipped: number[] = [];
    const started: number[] = [];
    const again = await runSweep(plan, out, {
      jobs: 1, force: false, shard: null, inProcess: true, onNote: (l) => notes.push(l),
      events: { onSkip: (r) => skipped.push(r.index), onStart: (r) => started.push(r.index) },
    });
    expect(again).toMatchObject({ ran: 2, skipped: 1, folderRuns: 3 });
    expect(notes).toEqual([`run ${b}: trace.csv is damaged (checksum mismatch); running it again`]);
    expect(skipped).toEqual([2]);
    expect(started.sort()).toEqual([0, 1]);
    expect(again.records.map((r) => [r.index, r.run_id, r.status])).toEqual([[0, a, "ok"], [1, b, "ok"], [2, c, "ok"]]);
    expect(readCsv(join(out, "summary.csv")).map((r) => r.run_id)).toEqual([a, b, c]);
  });

  it("lists the complete runs in summary.csv as soon as it resumes, before running the rest", async () => {
    const out = folder();
    await runSweep(plan, out, { jobs: 1, force: false, shard: null, inProcess: true });
    rmSync(join(out, "runs", plan.runs[0].id, "result.json"));
    rmSync(join(out, "summary.csv"));
    let listed: string[] = [];
    await runSweep(plan, out, {
      jobs: 1, force: false, shard: null, inProcess: true,
      events: { onStart: () => (listed = readCsv(join(out, "summary.csv")).map((r) => r.run_id)) },
    });
    expect(listed).toEqual([plan.runs[1].id, plan.runs[2].id]);
  });

  it("runs everything again with --force", async () => {
    const out = folder();
    await runSweep(plan, out, { jobs: 1, force: false, shard: null, inProcess: true });
    const skipped: number[] = [];
    const forced = await runSweep(plan, out, { jobs: 1, force: true, shard: null, inProcess: true, events: { onSkip: (r) => skipped.push(r.index) } });
    expect(forced).toMatchObject({ ran: 3, skipped: 0 });
    expect(skipped).toEqual([]);
  });

  it("labels a run found complete from another sweep with this sweep's position and swept values", async () => {
    const out = folder();
    const alone = planRuns({ ...SMALL, seed: 3 });
    await runSweep(alone, out, { jobs: 1, force: false, shard: null, inProcess: true });
    expect(alone.runs[0].id).toBe(plan.runs[2].id);
    const outcome = await runSweep(plan, out, { jobs: 1, force: false, shard: null, inProcess: true });
    expect(outcome).toMatchObject({ ran: 2, skipped: 1, folderRuns: 3 });
    expect(outcome.records[2]).toMatchObject({ index: 2, swept: { seed: 3 }, run_id: plan.runs[2].id });
  });

  it("counts the other sweeps' runs in the folder's summary", async () => {
    const out = folder();
    await runSweep(planRuns({ ...SMALL, seed: 9 }), out, { jobs: 1, force: false, shard: null, inProcess: true });
    const outcome = await runSweep(plan, out, { jobs: 1, force: false, shard: null, inProcess: true });
    expect(outcome).toMatchObject({ ran: 3, folderRuns: 4 });
    expect(outcome.records).toHaveLength(3);
  });

  it("refuses a folder that cannot be written before writing anything", async () => {
    const parent = folder();
    writeFileSync(join(parent, "file"), "");
    await expect(runSweep(plan, join(parent, "file", "out"), { jobs: 1, force: false, shard: null, inProcess: true })).rejects.toThrow(UserError);
  });
});

describe("shards", () => {
  let plan: SweepPlan;
  beforeEach(() => {
    plan = planRuns({ ...SMALL, sweep: { seed: [1, 2, 3] } });
  });

  it("run only their slice and write it to their own summary file besides the folder's", async () => {
    const out = folder();
    const one = await runSweep(plan, out, { jobs: 1, force: false, shard: { index: 1, count: 2 }, inProcess: true });
    expect(one.records.map((r) => r.index)).toEqual([0, 2]);
    expect(one).toMatchObject({ ran: 2, skipped: 0, folderRuns: 2 });
    expect(readCsv(join(out, "summary-shard-1-of-2.csv")).map((r) => r.run_id)).toEqual([plan.runs[0].id, plan.runs[2].id]);
    const two = await runSweep(plan, out, { jobs: 1, force: false, shard: { index: 2, count: 2 }, inProcess: true });
    expect(two.records.map((r) => r.index)).toEqual([1]);
    expect(two.folderRuns).toBe(3);
    expect(readCsv(join(out, "summary-shard-2-of-2.csv")).map((r) => r.run_id)).toEqual([plan.runs[1].id]);
    expect(readCsv(join(out, "summary.csv"))).toHaveLength(3);
  });

  it("write no shard file for a whole sweep", async () => {
    const out = folder();
    await runSweep(plan, out, { jobs: 1, force: false, shard: null, inProcess: true });
    expect(existsSync(join(out, "summary-shard-1-of-1.csv"))).toBe(false);
    expect(existsSync(join(out, "summary.csv"))).toBe(true);
  });
});

describe("launching", () => {
  it("runs in this thread when no worker script is built (the TypeScript sources), even when workers are asked for", async () => {
    // the built program sends every run to workers; here (src/) there is no worker script to start
    const plan = planRuns({ ...SMALL, sweep: { "prune.threshold": [0.01, 0.02] } });
    expect(groupByTraining(plan.runs)).toHaveLength(1);
    const outcome = await runSweep(plan, folder(), { jobs: 4, force: false, shard: null });
    expect(outcome.records.map((r) => r.status)).toEqual(["ok", "ok"]);
  });

  it("reports each run's start, progress and record, in the order of the groups", async () => {
    const plan = planRuns({ ...SMALL, sweep: { seed: [1, 2] } });
    const events: string[] = [];
    const records = await launchInProcess([[plan.runs[1]], [plan.runs[0]]], folder(), {
      onStart: (run, slot) => events.push(`start ${run.index} ${slot}`),
      onProgress: (run, slot, phase, step, total) => events.push(`progress ${run.index} ${slot} ${phase} ${step}/${total}`),
      onDone: (record, slot) => events.push(`done ${record.index} ${slot}`),
    });
    expect(records.map((r) => r.index)).toEqual([1, 0]);
    const forRun = (i: number) => events.filter((e) => e.split(" ")[1] === String(i));
    expect(forRun(1)[0]).toBe("start 1 0");
    expect(forRun(1).at(-1)).toBe("done 1 0");
    expect(forRun(1)).toContain("progress 1 0 train 0/10");
    expect(forRun(1)).toContain("progress 1 0 finetune 5/5");
    expect(events.indexOf("done 1 0")).toBeLessThan(events.indexOf("start 0 0"));
  });

  it("runs without listeners", async () => {
    const plan = planRuns(SMALL);
    const records = await launchInProcess([plan.runs], folder());
    expect(records.map((r) => r.status)).toEqual(["ok"]);
  });
});

describe("training groups", () => {
  const cost = (steps: number, seed: number): PlannedRun[] => planRuns({ ...SMALL, seed, train: { steps }, sweep: { "prune.threshold": [0.01, 0.02] } }).runs;

  it("put the costliest first, then runs on the same data together, then by position", () => {
    const cheap1 = cost(10, 1);
    const dear = cost(50, 2);
    const cheap2 = cost(10, 2);
    const runs = [...cheap1, ...dear, ...cheap2].map((r, index) => ({ ...r, index }));
    const groups = groupByTraining(runs);
    expect(groups.map((g) => g.map((r) => r.index))).toEqual([[2, 3], [0, 1], [4, 5]]);
    // equal costs: the order of the data keys decides, not the order given
    const swapped = groupByTraining([...cheap2, ...cheap1].map((r, index) => ({ ...r, index })));
    expect(swapped.map((g) => g[0].config.seed)).toEqual([1, 2]);
  });

  it("count fine-tuning in the cost of a group", () => {
    const plan = planRuns({ ...SMALL, sweep: { zip: [{ seed: [1, 2], "finetune.steps": [5, 5000] }] } });
    expect(groupByTraining(plan.runs).map((g) => g[0].index)).toEqual([1, 0]);
  });

  it("order groups of equal cost and data by position", () => {
    const plan = planRuns({ ...SMALL, sweep: { "train.lambda": [0.2, 0.1] } });
    expect(groupByTraining([plan.runs[1], plan.runs[0]]).map((g) => g[0].index)).toEqual([0, 1]);
  });
});

describe("progress sent from a run", () => {
  afterEach(() => vi.useRealTimers());

  it("forwards the first and last step of a phase, and otherwise at most one update per interval", () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ["Date"] });
    const sent: string[] = [];
    const send = throttledProgress((phase, step, total) => sent.push(`${phase} ${step}/${total}`));
    send("train", 0, 100);
    send("train", 1, 100);
    vi.setSystemTime(1_000_000 + PROGRESS_INTERVAL_MS - 1);
    send("train", 2, 100);
    vi.setSystemTime(1_000_000 + PROGRESS_INTERVAL_MS);
    send("train", 3, 100);
    send("train", 4, 100);
    send("train", 100, 100);
    send("finetune", 0, 10);
    send("finetune", 12, 10);
    expect(sent).toEqual(["train 0/100", "train 3/100", "train 100/100", "finetune 0/10", "finetune 12/10"]);
    expect(PROGRESS_INTERVAL_MS).toBe(100);
  });
});

describe("the summary while runs land", () => {
  afterEach(() => vi.useRealTimers());

  it("is refreshed at most once per interval, and always at the end", async () => {
    expect(SUMMARY_INTERVAL_MS).toBe(1000);
    // the clock stands still: only the first landing run and the end refresh summary.csv
    vi.useFakeTimers({ now: 5_000_000, toFake: ["Date"] });
    const plan = planRuns({ ...SMALL, sweep: { seed: [1, 2, 3] } });
    const out = folder();
    const rows: number[] = [];
    await runSweep(plan, out, {
      jobs: 1, force: false, shard: null, inProcess: true,
      events: { onDone: () => rows.push(existsSync(join(out, "summary.csv")) ? readCsv(join(out, "summary.csv")).length : 0) },
    });
    expect(rows).toEqual([1, 1, 1]);
    expect(readCsv(join(out, "summary.csv"))).toHaveLength(3);
  });

  it("waits SUMMARY_COST_FACTOR times as long as a refresh took, when that is longer than the interval", () => {
    expect(SUMMARY_COST_FACTOR).toBe(20);
    expect(nextSummaryAt(1000, 1010)).toBe(1000 + SUMMARY_INTERVAL_MS);
    expect(nextSummaryAt(1000, 1000 + SUMMARY_INTERVAL_MS / SUMMARY_COST_FACTOR)).toBe(1000 + SUMMARY_INTERVAL_MS);
    // a 200 ms refresh (a summary of thousands of runs): the next one 4 s after it began
    expect(nextSummaryAt(1000, 1200)).toBe(5000);
  });

  it("is written as each run lands when the interval has passed", async () => {
    const plan = planRuns({ ...SMALL, sweep: { seed: [1, 2] } });
    const out = folder();
    const rows: number[] = [];
    vi.useFakeTimers({ now: 5_000_000, toFake: ["Date"] });
    await runSweep(plan, out, {
      jobs: 1, force: false, shard: null, inProcess: true,
      events: {
        onDone: () => {
          rows.push(readCsv(join(out, "summary.csv")).length);
          vi.setSystemTime(Date.now() + SUMMARY_INTERVAL_MS);
        },
      },
    });
    expect(rows).toEqual([1, 2]);
  });
});

describe("the saved plan", () => {
  it("holds the sweep's name, swept keys and each run's position, id and swept values", async () => {
    const plan = planRuns({ ...SMALL, name: "saved", sweep: { seed: [1, 2] } });
    expect(planFile(plan)).toEqual({
      name: "saved", sweptKeys: ["seed"],
      runs: [{ index: 0, id: plan.runs[0].id, swept: { seed: 1 } }, { index: 1, id: plan.runs[1].id, swept: { seed: 2 } }],
    });
    const out = folder();
    await runSweep(plan, out, { jobs: 1, force: false, shard: null, inProcess: true });
    expect(JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"))).toMatchObject({ name: "saved", sweptKeys: ["seed"] });
  });
});
