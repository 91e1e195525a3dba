/** The folder lock: exclusive between processes, broken only when its owner is provably gone. */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOCK_FILE, withFolderLock } from "../../src/output/lock.js";
import { HOST } from "../../src/output/owner.js";

const ROOT = new URL("../..", import.meta.url).pathname;

describe("withFolderLock", () => {
  it("breaks a lock whose owner process is dead, and removes its own lock when done", () => {
    const dir = mkdtempSync(join(tmpdir(), "prune-sense-lock-"));
    const dead = Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, host: HOST, started: "then" }));
    let inside = "";
    withFolderLock(dir, () => {
      inside = readFileSync(join(dir, LOCK_FILE), "utf8");
    });
    expect(JSON.parse(inside).pid).toBe(process.pid);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("waits for a live owner in another process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "prune-sense-lock-"));
    const log = join(dir, "log");
    // another process takes the lock, writes "a", holds it 600 ms, writes "b", releases
    const holder = spawn(process.execPath, ["--input-type=module", "-e", `
      import { withFolderLock } from ${JSON.stringify(join(ROOT, "dist/output/lock.js"))};
      import { appendFileSync } from "node:fs";
      withFolderLock(${JSON.stringify(dir)}, () => {
        appendFileSync(${JSON.stringify(log)}, "a");
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);
        appendFileSync(${JSON.stringify(log)}, "b");
      });`], { stdio: "inherit" });
    const exited = new Promise((resolve) => holder.on("exit", resolve));
    while (!existsSync(log)) await new Promise((r) => setTimeout(r, 10));
    withFolderLock(dir, () => writeFileSync(log, `${readFileSync(log, "utf8")}c`));
    await exited;
    expect(readFileSync(log, "utf8")).toBe("abc");
  });
});
