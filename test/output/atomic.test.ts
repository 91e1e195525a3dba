/** Atomic writes and temp-file cleanup that never touches a live writer's files. */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeStaleTemps, writeFileAtomic } from "../../src/output/atomic.js";
import { HOST } from "../../src/files/owner.js";

/** The pid of a process that has exited (so is provably dead). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("removeStaleTemps", () => {
  it("removes the temp files of a dead writer and keeps those of live writers", () => {
    const dir = mkdtempSync(join(tmpdir(), "prune-sense-temps-"));
    const dead = `trace.csv.tmp-${HOST}-${deadPid()}-0`;
    const live = `trace.csv.tmp-${HOST}-${process.pid}-7`;
    const parentLive = `summary.csv.tmp-${HOST}-${process.ppid}-1`;
    const foreignFresh = "trace.csv.tmp-elsewhere-123-0";
    const foreignOld = "columns.csv.tmp-elsewhere-123-1";
    for (const name of [dead, live, parentLive, foreignFresh, foreignOld, "trace.csv"]) writeFileSync(join(dir, name), "x");
    const twoHoursAgo = Date.now() / 1000 - 2 * 3600;
    utimesSync(join(dir, foreignOld), twoHoursAgo, twoHoursAgo);
    removeStaleTemps(dir);
    expect(readdirSync(dir).sort()).toEqual([foreignFresh, parentLive, live, "trace.csv"].sort());
  });
});

describe("writeFileAtomic", () => {
  it("replaces the file and leaves no temp file", () => {
    const dir = mkdtempSync(join(tmpdir(), "prune-sense-atomic-"));
    writeFileAtomic(join(dir, "a.txt"), "one");
    writeFileAtomic(join(dir, "a.txt"), "two");
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("two");
    expect(readdirSync(dir)).toEqual(["a.txt"]);
  });

  it("on failure leaves the old file and no temp file, and names the target in the error", () => {
    const dir = mkdtempSync(join(tmpdir(), "prune-sense-atomic-"));
    writeFileAtomic(join(dir, "a.txt"), "old");
    expect(() =>
      writeFileAtomic(join(dir, "a.txt"), "new", () => {
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      }),
    ).toThrow(expect.objectContaining({ code: "ENOSPC", path: join(dir, "a.txt") }));
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["a.txt"]);
  });
});
