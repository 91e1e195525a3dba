/**
 * Many processes, one folder, no shard arithmetic: real processes running the same config into one
 * folder split its runs through run claims (`.claims/<id>`), so every run is computed once
 * (counted through PRUNE_SENSE_TEST_COUNT_RUNS, one line per pipeline execution); a killed owner's
 * runs are taken over; a process waiting for another's runs still answers signals; and the folder
 * ends as one uninterrupted process writes it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { cliP } from "../e2e/cli.js";
import { cliWithinAsync, completeIds, FAULT_SWEEP, leftovers, scratch, snapshot, start, summaryIds, waitForFile } from "./harness.js";

const RUN = (dir: string, jobs = "1"): string[] => ["run", FAULT_SWEEP, "--out", dir, "--jobs", jobs];

/** The executions a count file lists: [run id, pid] per line. */
function executions(file: string): Array<[string, number]> {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => {
    const [id, pid] = l.split(" ");
    return [id, Number(pid)];
  });
}

/** Ids executed more than once. */
function repeated(ids: string[]): string[] {
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("processes sharing a folder claim runs", () => {
  let single = "";
  let ids: string[] = [];
  beforeAll(async () => {
    single = scratch("claims-single");
    expect((await cliP(RUN(single))).code).toBe(0);
    ids = completeIds(single);
    expect(ids).toHaveLength(8);
  }, 60_000);

  it("three started at once: every run computed exactly once, the files of a single process", async () => {
    {
      const dir = scratch("claims-three");
      const count = join(scratch("claims-count"), "count");
      const env = { PRUNE_SENSE_TEST_COUNT_RUNS: count };
      const exits = await Promise.all([start(RUN(dir, "2"), env).done, start(RUN(dir), env).done, start(RUN(dir), env).done]);
      for (const r of exits) {
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(r.code, r.stderr).toBe(0);
      }
      const ran = executions(count).map(([id]) => id);
      expect(repeated(ran)).toEqual([]);
      expect(ran.sort()).toEqual(ids);
      expect(summaryIds(join(dir, "summary.csv"))).toEqual(ids);
      expect(leftovers(dir)).toEqual([]);
      expect(existsSync(join(dir, ".claims"))).toBe(false);
      expect(snapshot(dir)).toEqual(snapshot(single));
    }
  }, 120_000);

  it("one SIGKILLed holding a claim: the others wait for it, then take its run over; each other run once", async () => {
    const dir = scratch("claims-kill");
    const count = join(scratch("claims-count"), "count");
    const marker = join(scratch("claims-marker"), "paused");
    // the victim stops inside its first run (trace.csv written, the rest not), holding that run's claim
    const victim = start(RUN(dir), { PRUNE_SENSE_TEST_COUNT_RUNS: count, PRUNE_SENSE_TEST_PAUSE_AT: "between-run-files:1", PRUNE_SENSE_TEST_PAUSE_MARKER: marker });
    await waitForFile(marker);
    const [[held, victimPid]] = executions(count);
    expect(victimPid).toBe(victim.pid);
    // its claims: the runs it started, and those of any batch its main thread handed the worker
    // while placing files (since 0.2.2 the worker goes on meanwhile), started or not
    const started = executions(count).length;
    const claimed = readdirSync(join(dir, ".claims")).length;
    expect(claimed).toBeGreaterThanOrEqual(started);
    const others = [start(RUN(dir), { PRUNE_SENSE_TEST_COUNT_RUNS: count }), start(RUN(dir), { PRUNE_SENSE_TEST_COUNT_RUNS: count })];
    let ended = false;
    void Promise.race(others.map((p) => p.done)).then(() => (ended = true));
    // the others compute every run not claimed, then wait: the victim is alive (stopped), so its claims are live
    const expected = started + (8 - claimed);
    await until(`the ${8 - claimed} unclaimed runs`, () => executions(count).length >= expected);
    await new Promise((r) => setTimeout(r, 500));
    expect(ended, "a process ended while a live owner held a run").toBe(false);
    expect(executions(count).length).toBe(expected);
    victim.kill("SIGKILL");
    expect((await victim.done).signal).toBe("SIGKILL");
    for (const r of await Promise.all(others.map((p) => p.done))) {
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(r.code, r.stderr).toBe(0);
    }
    const byOthers = executions(count).filter(([, pid]) => pid !== victim.pid).map(([id]) => id);
    expect(repeated(byOthers)).toEqual([]);
    expect(byOthers.sort()).toEqual(ids);
    expect(executions(count).filter(([id]) => id === held)).toHaveLength(2);
    expect(summaryIds(join(dir, "summary.csv"))).toEqual(ids);
    expect(leftovers(dir)).toEqual([]);
    expect(snapshot(dir)).toEqual(snapshot(single));
  }, 120_000);

  it("a process waiting for another's run answers SIGINT at once; a later run does only what is left", async () => {
    const dir = scratch("claims-signal");
    const count = join(scratch("claims-count"), "count");
    const marker = join(scratch("claims-marker"), "paused");
    const victim = start(RUN(dir), { PRUNE_SENSE_TEST_PAUSE_AT: "between-run-files:1", PRUNE_SENSE_TEST_PAUSE_MARKER: marker });
    await waitForFile(marker);
    // the victim paused placing its first run's files: it holds the claims of its first lockstep
    // batch (the two λ of seed 1 share their data), and of each batch it handed its worker meanwhile
    // (its main thread places files while the worker goes on: one more, unless the disk is slow)
    const held = readdirSync(join(dir, ".claims")).length;
    expect(held % 2 === 0 && held >= 2 && held < 8, `${held} claims`).toBe(true);
    const waiter = start(RUN(dir), { PRUNE_SENSE_TEST_COUNT_RUNS: count });
    await until(`the ${8 - held} other runs`, () => executions(count).length >= 8 - held);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    waiter.kill("SIGINT");
    const w = await waiter.done;
    expect(w.signal).toBe("SIGINT");
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(w.stderr).toContain(`waiting for ${held} runs that other processes`);
    expect(w.stderr).toContain("interrupted (SIGINT)");
    victim.kill("SIGKILL");
    await victim.done;
    const again = await cliP(RUN(dir), { PRUNE_SENSE_TEST_COUNT_RUNS: count });
    expect(again.code, again.stderr).toBe(0);
    expect(executions(count)).toHaveLength(8);
    expect(executions(count).map(([id]) => id).sort()).toEqual(ids);
    expect(snapshot(dir)).toEqual(snapshot(single));
  }, 120_000);

  it.each(["fifo", "dangling"] as const)("a %s where a claim goes: never opened nor removed, the run goes on, one warning", async (kind) => {
    const dir = scratch("claims-special");
    cpSync(single, dir, { recursive: true });
    const id = ids[0];
    rmSync(join(dir, "runs", id), { recursive: true });
    const path = join(dir, ".claims", id);
    mkdirSync(join(dir, ".claims"));
    if (kind === "dangling") symlinkSync(join(dir, "nowhere"), path);
    else expect(spawnSync("mkfifo", [path]).status).toBe(0);
    const before = lstatSync(path).ino;
    const r = await cliWithinAsync(RUN(dir), 10_000);
    expect(r.signal, "it hangs").toBe(null);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${path}: is a ${kind === "fifo" ? "FIFO (named pipe)" : "dangling symbolic link"}`);
    expect(r.stderr).toContain(`run ${id} goes on without a claim`);
    expect(lstatSync(path).ino).toBe(before);
    expect(completeIds(dir)).toEqual(ids);
    expect(leftovers(dir)).toEqual([`.claims/${id}`]);
  }, 20_000);
});
