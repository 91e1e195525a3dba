/**
 * A full disk and a read-only file system, on a small tmpfs (root only; CI runs
 * as root, elsewhere these tests are skipped with the reason): every command
 * exits 2 with one line naming the path and the reason, leaves no temp file,
 * and leaves the folder byte for byte as it was. A run whose own files do not
 * fit is recorded `failed` with the reason while the sweep goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cli, readCsv } from "../e2e/cli.js";
import { completeIds, FAULT_SWEEP, fillDisk, leftovers, mountTmpfs, rawSnapshot, remount, unmount } from "./harness.js";

const mounted = mountTmpfs("3m");
const reason = "reason" in mounted ? mounted.reason : "";
const root = "dir" in mounted ? mounted.dir : "";

afterAll(() => {
  if (root) unmount(root);
});

/** Exit 2, one line `error: <path>: … (<CODE>: …)`, no stack. */
function refused(r: { code: number | null; stderr: string }, code: string): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^error: \\S.*: cannot write.* \\(${code}: `));
}

describe.skipIf(!root)("a full disk", () => {
  const dir = join(root, "full");
  let first: number | null = null;
  beforeAll(() => {
    first = cli(["run", FAULT_SWEEP, "--out", dir, "--jobs", "1"]).code;
    fillDisk(root);
  });
  afterAll(() => rmSync(join(root, "filler"), { force: true }));

  it.each([
    ["run again with --force", ["run", FAULT_SWEEP, "--out", "DIR", "--jobs", "1", "--force"]],
    ["run another sweep", ["run", FAULT_SWEEP, "--out", "DIR", "--jobs", "1", "--set", "seed=9"]],
    ["merge", ["merge", "DIR"]],
    ["plot", ["plot", "DIR"]],
    ["run into a new folder", ["run", FAULT_SWEEP, "--out", "DIR/sub", "--jobs", "1"]],
    ["reproduce", ["reproduce", "--quick", "--out", "DIR/paper"]],
  ])("%s: exit 2, one line, the folder intact", (_what, args) => {
    expect(first).toBe(0);
    const before = rawSnapshot(dir);
    const r = cli(args.map((a) => a.replace("DIR", dir)));
    refused(r, "ENOSPC");
    expect(rawSnapshot(dir)).toEqual(before);
    expect(existsSync(join(dir, "sub"))).toBe(false);
  });
});

describe.skipIf(!root)("a disk that fills up during a sweep", () => {
  it("records each run whose trace does not fit as failed with the reason, goes on, and resume completes them", () => {
    const dir = join(root, "filling");
    // 2 runs of 2060 logged steps: ~250 kB of trace each, with 128 kB left
    const big = ["--set", "log.every=1", "--set", "train.steps=2000", "--set", "train.lambda=0.1", "--set", "seed=1,2", "--jobs", "1"];
    fillDisk(root, 128 * 1024);
    try {
      const r = cli(["run", FAULT_SWEEP, "--out", dir, ...big]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      const rows = readCsv(join(dir, "summary.csv"));
      expect(rows.map((x) => x.status)).toEqual(["failed", "failed"]);
      for (const row of rows) expect(row.error).toMatch(/\/trace\.csv: cannot write \(ENOSPC: no space left on device\)$/);
      expect(completeIds(dir)).toEqual([]);
      expect(leftovers(dir)).toEqual([]);
    } finally {
      rmSync(join(root, "filler"), { force: true });
    }
    const resumed = cli(["run", FAULT_SWEEP, "--out", dir, ...big]);
    expect(resumed.code).toBe(0);
    expect(readCsv(join(dir, "summary.csv")).map((x) => x.status)).toEqual(["ok", "ok"]);
  });
});

describe.skipIf(!root)("a read-only file system", () => {
  const dir = join(root, "ro");
  let first: number | null = null;
  beforeAll(() => {
    first = cli(["run", FAULT_SWEEP, "--out", dir, "--jobs", "1"]).code;
    remount(root, "ro");
  });
  afterAll(() => remount(root, "rw"));

  it.each([
    ["run", ["run", FAULT_SWEEP, "--out", "DIR", "--jobs", "1", "--force"]],
    ["merge", ["merge", "DIR"]],
    ["merge into it", ["merge", "DIR", "--out", "DIR/merged"]],
    ["plot", ["plot", "DIR"]],
    ["plot --out inside it", ["plot", "DIR", "--out", "DIR/figs"]],
  ])("%s: exit 2 naming the path (EROFS), the folder intact", (_what, args) => {
    expect(first).toBe(0);
    const before = rawSnapshot(dir);
    refused(cli(args.map((a) => a.replace("DIR", dir))), "EROFS");
    expect(rawSnapshot(dir)).toEqual(before);
  });
});

if (!root) {
  describe("full disk and read-only tests", () => {
    it.skip(`skipped: ${reason}`, () => {});
  });
}
