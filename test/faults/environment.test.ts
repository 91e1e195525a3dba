/**
 * Paths the environment will not let us use: one line naming the path and the
 * reason, exit 2, never a hang or a stack, and nothing left behind.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { cli } from "../e2e/cli.js";
import { cliWithin, completeIds, FAULT_SWEEP, leftovers, scratch } from "./harness.js";

const LONG = "x".repeat(300);

describe("--out that cannot be a results folder", () => {
  const results = scratch("env-src");
  let made: number | null = null;
  beforeAll(() => {
    made = cli(["run", FAULT_SWEEP, "--out", results, "--jobs", "1", "--set", "seed=1", "--set", "train.lambda=0.1"]).code;
  });

  it.each([
    [["run", FAULT_SWEEP, "--out", "/proc/x/y"], "error: /proc/x/y: cannot write results here (EACCES: /proc is a kernel file system, not a place for files)"],
    [["run", FAULT_SWEEP, "--out", "/sys/x"], "error: /sys/x: cannot write results here (EACCES: /sys is a kernel file system, not a place for files)"],
    [["reproduce", "--quick", "--out", "/proc/self/x"], /^error: \/proc\/self\/x: cannot write results here \(EACCES: \/proc\/\S+ is a kernel file system, not a place for files\)$/],
    [["run", FAULT_SWEEP, "--out", "package.json/x"], /^error: package\.json\/x: cannot write results here \(ENOTDIR: \S*package\.json is not a folder\)$/],
    [["run", FAULT_SWEEP, "--out", `/tmp/${LONG}`], `error: /tmp/${LONG}: cannot write results here (ENAMETOOLONG: name too long)`],
    [["merge", "SRC", "--out", "package.json"], "error: package.json: cannot write results here (EEXIST: file already exists)"],
    [["plot", "SRC", "--out", "package.json"], "error: package.json: cannot write figures here (EEXIST: file already exists)"],
    [["plot", "SRC", "--out", "/proc/x"], "error: /proc/x: cannot write figures here (EACCES: /proc is a kernel file system, not a place for files)"],
  ])("prune-sense %j: exit 2, one line, at once", (args, line) => {
    expect(made).toBe(0);
    const r = cliWithin((args as string[]).map((a) => a.replace("SRC", results)), 30_000);
    expect(r.signal).toBe(null);
    expect(r.code).toBe(2);
    if (typeof line === "string") expect(r.stderr.trimEnd()).toBe(line);
    else expect(r.stderr.trimEnd()).toMatch(line);
    expect(leftovers(results)).toEqual([]);
  });
});

describe("a shared file that is a folder", () => {
  it("summary.csv as a folder: the runs are saved, then exit 2 naming summary.csv, the folder left as it is", () => {
    const dir = scratch("eisdir");
    mkdirSync(join(dir, "summary.csv"));
    const r = cli(["run", FAULT_SWEEP, "--out", dir, "--jobs", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").filter((l) => /error/.test(l))).toEqual([
      `error: ${dir}/summary.csv: is a folder, left as it is (prune-sense writes only over a regular file or at a new path; remove it or choose another path)`,
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(completeIds(dir)).toHaveLength(8);
    expect(leftovers(dir)).toEqual([]);
    expect(existsSync(join(dir, "summary.csv"))).toBe(true);
  });
});
