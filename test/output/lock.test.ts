/** The folder lock: exclusive between processes, broken only when its owner is provably gone. */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { LOCK_FILE, lockStale, whenFolderLockFree, withFolderLock } from "../../src/output/lock.js";
import { HOST } from "../../src/files/owner.js";

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

  it("breaks a lock naming this very process that it did not take (pid 1 again after a container restart)", () => {
    const dir = mkdtempSync(join(tmpdir(), "prune-sense-lock-"));
    const lock = join(dir, LOCK_FILE);
    const hoursAgo = new Date(Date.now() - 3 * 60 * 60 * 1000);
    // a lock of an older version (no thread), hours old: the process that wrote it had our pid
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: HOST, started: hoursAgo.toISOString() }));
    utimesSync(lock, hoursAgo, hoursAgo);
    const t0 = Date.now();
    let inside: Record<string, unknown> = {};
    withFolderLock(dir, () => (inside = JSON.parse(readFileSync(lock, "utf8"))));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(inside).toMatchObject({ pid: process.pid, host: HOST, thread: threadId });
    expect(existsSync(lock)).toBe(false);
  });
});

describe("lockStale", () => {
  const now = { host: HOST, started: "now" };
  it("calls a lock of this pid and thread stale at any age: this thread takes the lock only when it holds none", () => {
    expect(lockStale({ ...now, pid: process.pid, thread: threadId }, 0)).toBe(true);
    expect(lockStale({ ...now, pid: process.pid }, 0)).toBe(true);
  });

  it("keeps another thread's lock of this process while the process lives, unless it is older than the process", () => {
    const other = { ...now, pid: process.pid, thread: threadId + 1 };
    expect(lockStale(other, 0)).toBe(false);
    expect(lockStale(other, process.uptime() * 1000 + 60_000)).toBe(true);
  });

  it("keeps a live process's lock and a fresh unreadable one; breaks an old unreadable one", () => {
    const parent = process.ppid;
    expect(lockStale({ ...now, pid: parent }, 0)).toBe(false);
    expect(lockStale(null, 1000)).toBe(false);
    expect(lockStale(null, 11_000)).toBe(true);
  });
});

describe("whenFolderLockFree", () => {
  it("waits without blocking this thread: timers run while a live owner holds the lock", async () => {
    const dir = mkdtempSync(join(tmpdir(), "prune-sense-lock-"));
    // the parent of this test process is alive and no thread of ours; it "releases" after 300 ms
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: HOST, started: "now" }));
    setTimeout(() => unlinkSync(join(dir, LOCK_FILE)), 300);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await whenFolderLockFree(dir);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(5);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});

describe("through the binary", () => {
  it("`run` breaks an hours-old lock naming its own pid at once instead of waiting 10 minutes for itself", async () => {
    const dir = mkdtempSync(join(tmpdir(), "prune-sense-lock-"));
    const out = join(dir, "out");
    // sh waits for a line, then execs the binary: same pid, known before the binary starts
    const child = spawn("sh", ["-c", 'read go; exec "$0" "$@"', process.execPath, join(ROOT, "bin/prune-sense.js"), "run",
      "configs/default.yaml", "--set", "train.steps=20", "--set", "finetune.steps=10", "--out", out], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    spawnSync("mkdir", ["-p", out]);
    const lock = join(out, LOCK_FILE);
    const hoursAgo = new Date(Date.now() - 3 * 60 * 60 * 1000);
    writeFileSync(lock, JSON.stringify({ pid: child.pid, host: HOST, started: hoursAgo.toISOString() }));
    utimesSync(lock, hoursAgo, hoursAgo);
    child.stdin.end("go\n");
    const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
    const code = await exited;
    clearTimeout(guard);
    expect(code, stderr).toBe(0);
    expect(existsSync(join(out, "summary.csv"))).toBe(true);
    expect(existsSync(lock)).toBe(false);
  }, 60_000);
});

