/** Telling a gone writer from a live one by host, pid and the pid's start time. */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { FOREIGN_STALE_MS, HOST, ownerGone, processStartMs } from "../../src/files/owner.js";

describe("ownerGone", () => {
  it("is false for this process's files, true for files older than this process (its pid reused) and for a dead pid", () => {
    expect(ownerGone(HOST, process.pid, 0)).toBe(false);
    expect(ownerGone(HOST, process.pid, process.uptime() * 1000 - 100)).toBe(false);
    expect(ownerGone(HOST, process.pid, 10 * FOREIGN_STALE_MS)).toBe(true);
    const dead = Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
    expect(ownerGone(HOST, dead, 0)).toBe(true);
  });

  it("treats a live pid as the owner only of files written after it started (pid reuse)", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(ownerGone(HOST, child.pid!, 0)).toBe(false);
      if (processStartMs(child.pid!) !== null) expect(ownerGone(HOST, child.pid!, 60 * 60 * 1000)).toBe(true);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("on another host, waits until the file is older than FOREIGN_STALE_MS", () => {
    expect(ownerGone("elsewhere", process.pid, FOREIGN_STALE_MS - 1)).toBe(false);
    expect(ownerGone("elsewhere", process.pid, FOREIGN_STALE_MS + 1)).toBe(true);
  });

  it("reads this process's start time from /proc on Linux", () => {
    const started = processStartMs(process.pid);
    if (process.platform !== "linux") return expect(started).toBe(null);
    expect(Math.abs(started! - (Date.now() - process.uptime() * 1000))).toBeLessThan(3000);
  });
});
