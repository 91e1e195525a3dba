/**
 * SIGINT and SIGTERM stop every command within a second or two, in every phase, and the process
 * ends of the signal (a shell reports 130 or 143). What it leaves is resumable: the same command
 * again ends byte-identical to an uninterrupted run. Through the binary, each signal sent once the
 * command is provably in the phase under test: training a run, a sweep on two workers, a
 * reproduction, drawing figures, copying runs, waiting for another writer's lock.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, cliP, ROOT } from "../e2e/cli.js";
import { HOST } from "../../src/files/owner.js";
import { completeIds, FAULT_SWEEP, leftovers, noHalfRuns, rawSnapshot, scratch, snapshot, start, waitForFile, type Exit, uninterruptedSweep } from "./harness.js";

/** Longest time from the signal to the end of the process. */
const PROMPT_MS = 3000;

let whole: string;
beforeAll(() => {
  whole = uninterruptedSweep();
}, 120_000);

/** Wait until `ready()` holds (polling), at most `ms`. */
async function until(ready: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`not ready within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Send `signal`, wait for the end; it must be of that signal and within PROMPT_MS. */
async function interrupt(p: ReturnType<typeof start>, signal: NodeJS.Signals, resume = false): Promise<Exit> {
  const t0 = Date.now();
  p.kill(signal);
  if (resume) process.kill(p.pid, "SIGCONT");
  const exit = await p.done;
  expect(Date.now() - t0, exit.stderr).toBeLessThan(PROMPT_MS);
  expect(exit, exit.stderr).toMatchObject({ code: null, signal });
  return exit;
}

/** The same command again, to its end. */
function again(args: string[]): { status: number | null; stderr: string } {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
}

/** Every file under dir (relative path → SHA-256 of its bytes): a short diff when figures differ. */
function digests(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(rawSnapshot(dir)).map(([name, b64]) => [name, createHash("sha256").update(b64).digest("hex")]));
}

const firstRunDone = (dir: string) => (): boolean => existsSync(join(dir, "runs")) && completeIds(dir).length > 0;

/**
 * A lock on folder `dir` held by this (live) test process, written 10 s ago so that the first read
 * of it shows in its access time. Returns the lock's path.
 */
function lockedByUs(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, ".lock");
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: HOST, started: "10 s ago" }));
  // a second in the past, so a read shows as atime > mtime; not more: a lock older than its owner
  // process (this test file's, started when the file began) is a gone owner's, and would be broken
  const before = new Date(Date.now() - 1000);
  utimesSync(lock, before, before);
  return lock;
}

/** Until the command has read the lock: it is waiting for it (on a file system mounted noatime: 5 s). */
async function waitingFor(lock: string): Promise<void> {
  await until(() => statSync(lock).atimeMs > statSync(lock).mtimeMs, 5000).catch(() => {});
}

describe("run", () => {
  it("one run (once trained in the main thread): SIGTERM mid-training ends it at once, leaving no run behind", async () => {
    const dir = scratch("one");
    // one run of 10⁸ training steps (the limit; tens of seconds even at this size): the signal comes in its training
    const p = start(["run", FAULT_SWEEP, "--out", dir, "--set", "seed=1", "--set", "train.lambda=0.1", "--set", "train.steps=100000000", "--set", "log.every=1000000"]);
    await until(() => existsSync(join(dir, "sweep.json")));
    await new Promise((r) => setTimeout(r, 200));
    const exit = await interrupt(p, "SIGTERM");
    expect(exit.stderr).toContain(`warning: interrupted (SIGTERM): completed runs are kept in ${dir}; run the same command again to resume`);
    expect(completeIds(dir)).toEqual([]);
    noHalfRuns(dir);
  });

  it("a sweep on two workers: SIGINT ends it at once; the same command resumes to the uninterrupted folder", async () => {
    const dir = scratch("sweep");
    const args = ["run", FAULT_SWEEP, "--out", dir, "--jobs", "2"];
    const p = start(args);
    await until(firstRunDone(dir));
    await interrupt(p, "SIGINT");
    expect(completeIds(dir).length).toBeLessThan(8);
    const r = again(args);
    expect(r.status, r.stderr).toBe(0);
    expect(leftovers(dir)).toEqual([]);
    expect(snapshot(dir)).toEqual(snapshot(whole));
  });

  it("waiting for another writer's lock: SIGTERM ends the wait at once; with the lock gone, the same command completes", async () => {
    const dir = scratch("locked");
    const lock = lockedByUs(dir);
    const args = ["run", FAULT_SWEEP, "--out", dir, "--jobs", "2"];
    const p = start(args);
    await waitingFor(lock);
    await interrupt(p, "SIGTERM");
    expect(existsSync(join(dir, "runs"))).toBe(false);
    rmSync(lock);
    const r = again(args);
    expect(r.status, r.stderr).toBe(0);
    expect(snapshot(dir)).toEqual(snapshot(whole));
  });
});

describe("the other commands", () => {
  it("reproduce --quick, interrupted in its first sweep: SIGTERM ends it at once; the same command resumes", async () => {
    const configs = scratch("claims");
    copyFileSync(join(ROOT, FAULT_SWEEP), join(configs, "fault-sweep.yaml"));
    const out = join(scratch("paper"), "out");
    const args = ["reproduce", "--quick", "--configs", configs, "--out", out, "--jobs", "2"];
    const p = start(args);
    await until(firstRunDone(join(out, "fault-sweep")));
    await interrupt(p, "SIGTERM");
    // no claim has its config here: the reproduction ends with exit 1, its sweep complete
    expect(again(args).status).toBe(1);
    expect(snapshot(join(out, "fault-sweep"))).toEqual(snapshot(whole));
  });

  it("plot, while drawing: SIGINT ends it at once; plotting again writes the figures of an uninterrupted plot", async () => {
    const figures = join(scratch("figures"), "f");
    const p = start(["plot", whole, "--out", figures, "--no-png"]);
    // the first figure is written: the others are being drawn
    await until(() => existsSync(figures) && readdirSync(figures).some((f) => f.endsWith(".svg")));
    await interrupt(p, "SIGINT");
    const fresh = join(scratch("fresh"), "f");
    const plots = await Promise.all([figures, fresh].map((dir) => cliP(["plot", whole, "--out", dir, "--no-png"])));
    expect(plots.map((r) => r.code)).toEqual([0, 0]);
    expect(digests(figures)).toEqual(digests(fresh));
  });

  it("merge, between two copied runs: SIGTERM ends it at once; merging again completes the folder", async () => {
    const out = join(scratch("merged"), "out");
    const marker = join(scratch("marker"), "paused");
    const args = ["merge", whole, "--out", out];
    // stopped (SIGSTOP) once the second run is copied: the signal waits for SIGCONT, then ends it
    const p = start(args, { PRUNE_SENSE_TEST_PAUSE_AT: "after-result:2", PRUNE_SENSE_TEST_PAUSE_MARKER: marker });
    await waitForFile(marker);
    await interrupt(p, "SIGTERM", true);
    expect(completeIds(out)).toHaveLength(2);
    expect(again(args).status).toBe(0);
    expect(leftovers(out)).toEqual([]);
    expect(snapshot(join(out, "runs"))).toEqual(snapshot(join(whole, "runs")));
    expect(snapshot(out)["summary.csv"]).toEqual(snapshot(whole)["summary.csv"]);
  });

  it("merge, waiting for another writer's lock: SIGINT ends the wait at once", async () => {
    const out = join(scratch("merge-locked"), "out");
    const lock = lockedByUs(out);
    const p = start(["merge", whole, "--out", out]);
    await waitingFor(lock);
    await interrupt(p, "SIGINT");
    expect(completeIds(out)).toEqual([]);
  });
});
