/**
 * Exit codes and signals as the README documents them: 1 for a failed run, a
 * failing claim and `merge` with missing runs; 2 for user errors; 70 only for a
 * bug (injected with the test-only PRUNE_SENSE_TEST_INJECT_BUG); Ctrl-C and
 * SIGTERM leave a folder that the same command resumes; NO_COLOR and
 * PRUNE_SENSE_DEBUG; temp files of a dead writer removed on resume; `merge` of
 * several folders copies their runs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, cliAsync, readCsv, summaryWithoutSeconds, tempDir, cliP } from "./cli.js";
import { HOST } from "../../src/files/owner.js";

const TINY = "test/fixtures/configs/tiny-sweep.yaml";
const ONE = ["configs/default.yaml", "--set", "train.steps=20", "--set", "finetune.steps=10"];
const STACK = /\n\s+at /;

describe("exit code 1", () => {
  it("when a run fails: the run is recorded as failed and the others still run", () => {
    const dir = tempDir("failed");
    const r = cli(["run", ...ONE, "--out", dir, "--set", "seed=1,2"], { PRUNE_SENSE_TEST_INJECT_BUG: "run" });
    expect(r.code).toBe(1);
    const rows = readCsv(join(dir, "summary.csv"));
    expect(rows.map((x) => x.status)).toEqual(["failed", "failed"]);
    expect(rows[0].error).toBe("Error: bug injected at run by PRUNE_SENSE_TEST_INJECT_BUG (test-only)");
    expect(r.stdout).toContain("0 ok, 2 failed");
  });

  it("not when a run diverges (a result, not a failure)", () => {
    const r = cli(["run", ...ONE, "--out", tempDir("div"), "--set", "train.step_size=1e80", "--set", "model.init_scale=1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 diverged");
  });

  it("when a claim of reproduce fails", async () => {
    // every run fails, so no claim can hold (asynchronous: a spawnSync this long stalls the worker's messages to vitest)
    const dir = tempDir("claims");
    const r = await cliP(["reproduce", "--quick", "--out", dir], { PRUNE_SENSE_TEST_INJECT_BUG: "run" });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(STACK);
    const report = readFileSync(join(dir, "REPORT.md"), "utf8");
    const claimRows = report.split("\n").filter((line) => /^\| \[[a-z0-9-]+\]\(#claim-[a-z0-9-]+\) \|/.test(line));
    expect(claimRows.length).toBeGreaterThanOrEqual(7);
    expect(report.match(/\| FAIL \|/g)?.length).toBe(claimRows.length);
  }, 240_000);

  it("when merge finds runs missing, naming them", () => {
    const dir = tempDir("missing");
    expect(cli(["run", TINY, "--out", dir, "--shard", "1/3"]).code).toBe(0);
    const r = cli(["merge", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^warning: 8 runs are not complete yet: r[0-9a-f]{10}, /m);
    expect(readCsv(join(dir, "summary.csv"))).toHaveLength(4);
  });
});

describe("exit code 70 and 2", () => {
  it("70 for a bug: a stack and where to report it", () => {
    const r = cli(["validate", "configs/default.yaml"], { PRUNE_SENSE_TEST_INJECT_BUG: "command" });
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/^internal error: Error: bug injected at command by PRUNE_SENSE_TEST_INJECT_BUG \(test-only\)\n\s+at /);
    expect(r.stderr).toContain("This is a bug in prune-sense: please report it");
  });

  it("2 for an unknown PRUNE_SENSE_KERNELS, before anything runs", () => {
    const dir = tempDir("kernels");
    const r = cli(["run", ...ONE, "--out", join(dir, "x")], { PRUNE_SENSE_KERNELS: "simd" });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toBe("error: PRUNE_SENSE_KERNELS=simd: expected ts, wasm or auto");
    expect(existsSync(join(dir, "x"))).toBe(false);
  });

  it("2 for an unknown PRUNE_SENSE_THREADS, before anything runs", () => {
    const dir = tempDir("threads");
    const r = cli(["run", ...ONE, "--out", join(dir, "x")], { PRUNE_SENSE_THREADS: "many" });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toBe("error: PRUNE_SENSE_THREADS=many: expected 1, 2 or auto");
    expect(existsSync(join(dir, "x"))).toBe(false);
  });
});

describe("PRUNE_SENSE_DEBUG and NO_COLOR", () => {
  it("PRUNE_SENSE_DEBUG=1 adds the stack to a user error; without it there is none", () => {
    const plain = cli(["run", "missing.yaml"]);
    expect(plain.stderr).not.toMatch(STACK);
    const debug = cli(["run", "missing.yaml"], { PRUNE_SENSE_DEBUG: "1" });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^error: missing.yaml: no such file\n.*Error.*\n\s+at /);
  });

  it("colours errors when colour is forced, and NO_COLOR=1 turns colour off even then", () => {
    const coloured = cli(["run", "missing.yaml"], { NO_COLOR: "", FORCE_COLOR: "1" });
    expect(coloured.stderr).toContain("\u001b[31merror:\u001b[39m");
    const plain = cli(["run", "missing.yaml"], { NO_COLOR: "1", FORCE_COLOR: "1" });
    expect(plain.stderr).toBe("error: missing.yaml: no such file\n");
  });
});

describe.each(["SIGINT", "SIGTERM"] as const)("%s", (signal) => {
  let dir: string;
  let interrupted: { code: number | null; signal: NodeJS.Signals | null; stderr: string };
  beforeAll(async () => {
    dir = tempDir(`signal-${signal}`);
    const child = cliAsync(["run", TINY, "--out", dir, "--jobs", "1"]);
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("exit", (c, s) => resolve([c, s])));
    // signal once the first of the 12 runs is complete (the sweep and its signal handler have started); the rest take seconds more
    const firstDone = (): boolean =>
      existsSync(join(dir, "runs")) && readdirSync(join(dir, "runs")).some((id) => existsSync(join(dir, "runs", id, "result.json")));
    while (!firstDone() && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    child.kill(signal);
    const [code, sig] = await exited;
    interrupted = { code, signal: sig, stderr };
  }, 120_000);

  it("ends of the signal (a shell reports 130 or 143) and prints where the completed runs are and how to resume", () => {
    expect(interrupted).toMatchObject({ code: null, signal });
    expect(interrupted.stderr).toContain(`warning: interrupted (${signal}): completed runs are kept in ${dir}; run the same command again to resume`);
  });

  it("leaves a folder that the same command resumes to the uninterrupted result", () => {
    const done = readdirSync(join(dir, "runs")).filter((id) => existsSync(join(dir, "runs", id, "result.json")));
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(12);
    const resumed = cli(["run", TINY, "--out", dir, "--jobs", "1"]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`${done.length} complete run${done.length === 1 ? "" : "s"} skipped`);
    const whole = tempDir("whole");
    expect(cli(["run", TINY, "--out", whole, "--jobs", "2"]).code).toBe(0);
    expect(summaryWithoutSeconds(join(dir, "summary.csv"))).toBe(summaryWithoutSeconds(join(whole, "summary.csv")));
    for (const id of readdirSync(join(whole, "runs"))) {
      expect(readFileSync(join(dir, "runs", id, "trace.csv"), "utf8")).toBe(readFileSync(join(whole, "runs", id, "trace.csv"), "utf8"));
    }
  }, 240_000);
});

describe("resume", () => {
  it("removes a temp file left by a dead process and completes the run", () => {
    const dir = tempDir("stale");
    expect(cli(["run", ...ONE, "--out", dir]).code).toBe(0);
    const [id] = readdirSync(join(dir, "runs"));
    const runFolder = join(dir, "runs", id);
    // the run never finished (no result.json) and a writer died mid-write (its pid is gone)
    const dead = spawnSync(process.execPath, ["-e", ""], { timeout: 30_000 }).pid;
    rmSync(join(runFolder, "result.json"));
    // temp names carry their owner: `<target>.tmp-<host>-<pid>-<n>`
    const stale = join(runFolder, `trace.csv.tmp-${HOST}-${dead}-0`);
    writeFileSync(stale, "phase,step\ntrain,0\n");
    const r = cli(["run", ...ONE, "--out", dir]);
    expect(r.code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(join(runFolder, "result.json"))).toBe(true);
    expect(readdirSync(runFolder).sort()).toEqual(["columns.csv", "config.json", "result.json", "trace.csv"]);
  });
});

describe("merge of several folders", () => {
  let whole: string;
  let merged: string;
  let r: { code: number | null; stdout: string };
  beforeAll(() => {
    whole = tempDir("merge-whole");
    expect(cli(["run", TINY, "--out", whole]).code).toBe(0);
    const a = tempDir("merge-a");
    const b = tempDir("merge-b");
    expect(cli(["run", TINY, "--out", a, "--shard", "1/2"]).code).toBe(0);
    expect(cli(["run", TINY, "--out", b, "--shard", "2/2"]).code).toBe(0);
    merged = join(tempDir("merge-out"), "all");
    r = cli(["merge", a, b, "--out", merged]);
  }, 240_000);

  it("copies every run folder into --out, file for file", () => {
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`12 runs → ${merged}/summary.csv`);
    const ids = readdirSync(join(whole, "runs")).sort();
    expect(readdirSync(join(merged, "runs")).sort()).toEqual(ids);
    for (const id of ids) {
      for (const file of ["config.json", "trace.csv", "columns.csv"]) {
        expect(readFileSync(join(merged, "runs", id, file), "utf8")).toBe(readFileSync(join(whole, "runs", id, file), "utf8"));
      }
      expect(existsSync(join(merged, "runs", id, "result.json"))).toBe(true);
    }
  });

  it("writes the summary of the unsharded sweep", () => {
    expect(summaryWithoutSeconds(join(merged, "summary.csv"))).toBe(summaryWithoutSeconds(join(whole, "summary.csv")));
  });
});
