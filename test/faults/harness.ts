/** Helpers of the fault-injection tests: real processes of the built binary, and what they left on disk. */
import { afterAll, expect } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, ftruncateSync, lstatSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, readCsv, summaryWithoutSeconds, tempDir } from "../e2e/cli.js";
import { inspectRun } from "../../src/output/results.js";

export const FAULT_SWEEP = "test/fixtures/configs/fault-sweep.yaml";

/** Scratch folders of this test file, removed once it has run. */
const scratchDirs: string[] = [];
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh scratch folder, removed after this test file. */
export function scratch(tag: string): string {
  const dir = tempDir(tag);
  scratchDirs.push(dir);
  return dir;
}

/**
 * The fault sweep run once, uninterrupted, with two workers: what an interrupted, resumed or
 * otherwise disturbed run of the same sweep must end byte-identical to.
 */
export function uninterruptedSweep(): string {
  const dir = scratch("whole");
  const r = spawnSync(process.execPath, [BIN, "run", FAULT_SWEEP, "--out", dir, "--jobs", "2"], { cwd: ROOT, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return dir;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Start `prune-sense ARGS`; resolves when it exits (with a 100 s guard). */
export function start(args: string[], env: Record<string, string> = {}): { pid: number; done: Promise<Exit>; kill(sig: NodeJS.Signals): void } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b) => (stdout += b));
  child.stderr.on("data", (b) => (stderr += b));
  const guard = setTimeout(() => child.kill("SIGKILL"), 100_000);
  const done = new Promise<Exit>((resolve) =>
    child.on("exit", (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { pid: child.pid!, done, kill: (sig) => child.kill(sig) };
}

/** Wait until `file` exists (a paused writer's marker), at most `ms`. */
export async function waitForFile(file: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`${file} did not appear within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Ids of the runs of `dir` that are complete (result.json present and every checksum matching). */
export function completeIds(dir: string): string[] {
  const runs = join(dir, "runs");
  if (!existsSync(runs)) return [];
  return readdirSync(runs).filter((id) => inspectRun(dir, id).state === "complete").sort();
}

/** Run ids listed in a summary file. */
export function summaryIds(file: string): string[] {
  return readCsv(file).map((r) => r.run_id).sort();
}

/** Every leftover a writer must not leave: temp files, the lock and run claims, anywhere under dir (links not followed). */
export function leftovers(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string): void => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      if (name.includes(".tmp-") || name === ".lock" || sub === ".claims") out.push(rel);
      if (lstatSync(join(dir, rel)).isDirectory()) walk(rel);
    }
  };
  walk("");
  return out;
}

/** Every file under dir (relative path → what `read` makes of it). */
function filesUnder(dir: string, read: (path: string, name: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else out[rel] = read(join(dir, rel), name);
    }
  };
  walk("");
  return out;
}

/** Every file under dir (relative path → content), summary files and result.json without their seconds (and result.json without its time and its own checksum, which covers both). */
export function snapshot(dir: string): Record<string, string> {
  return filesUnder(dir, (path, name) => {
    if (name.startsWith("summary")) return summaryWithoutSeconds(path);
    if (name === "result.json") return readFileSync(path, "utf8").replace(/"seconds": [0-9.e+-]+/, "").replace(/"time": "[^"]*"/, "").replace(/"sha256": "[0-9a-f]{64}"\n\}\n$/, "");
    return readFileSync(path, "utf8");
  });
}

/** Every file under dir, byte for byte (for "the folder is intact"). */
export function rawSnapshot(dir: string): Record<string, string> {
  return filesUnder(dir, (path) => readFileSync(path, "base64"));
}

/** Run `prune-sense ARGS` to completion with a time limit (for commands that once hung). */
export function cliWithin(args: string[], ms: number, env: Record<string, string> = {}): Exit {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT, encoding: "utf8", timeout: ms, killSignal: "SIGKILL", env: { ...process.env, NO_COLOR: "1", ...env },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `cliWithin` without blocking the test worker (a long spawnSync stalls vitest's own
 * messages on a loaded machine): killed with SIGKILL after `ms`, so a hang is a failure.
 */
export function cliWithinAsync(args: string[], ms: number, env: Record<string, string> = {}): Promise<Exit> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: "pipe", timeout: ms, killSignal: "SIGKILL",
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b) => (stdout += b));
  child.stderr.on("data", (b) => (stderr += b));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/**
 * Mount a tmpfs of `size` at a fresh folder (root only; CI runs as root).
 * @returns the folder, or the reason it could not be mounted.
 */
function mountTmpfs(size: string): { dir: string } | { reason: string } {
  const dir = mkdtempSync(join(tmpdir(), "prune-sense-tmpfs-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { encoding: "utf8" });
  if (r.status !== 0) return { reason: `cannot mount a tmpfs here (${(r.stderr || String(r.error)).trim()})` };
  return { dir };
}

/**
 * A tmpfs of `size` for this test file, unmounted after it: `root` is its
 * folder, or "" with the `reason` it could not be mounted (then skip, saying why).
 */
export function useTmpfs(size: string): { root: string; reason: string } {
  const mounted = mountTmpfs(size);
  if ("reason" in mounted) return { root: "", reason: mounted.reason };
  afterAll(() => {
    spawnSync("umount", ["-l", mounted.dir]);
    rmSync(mounted.dir, { recursive: true, force: true });
  });
  return { root: mounted.dir, reason: "" };
}

export function remount(dir: string, mode: "ro" | "rw"): void {
  const r = spawnSync("mount", ["-o", `remount,${mode}`, dir], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`remount ${mode} failed: ${r.stderr}`);
}

/** Fill the file system of `dir` with `dir/filler` until a write fails with ENOSPC, then free `leaveBytes`. */
export function fillDisk(dir: string, leaveBytes = 0): void {
  const path = join(dir, "filler");
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(64 * 1024, 1);
  let size = 0;
  try {
    for (;;) {
      try {
        size += writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
        break;
      }
    }
    // finish the last page exactly, then give back what was asked
    for (;;) {
      try {
        size += writeSync(fd, chunk, 0, 512);
      } catch {
        break;
      }
    }
    if (leaveBytes) ftruncateSync(fd, Math.max(0, size - leaveBytes));
  } finally {
    closeSync(fd);
  }
}

/** Start two commands at once, wait for both: each must exit 0 without a stack trace. */
export async function bothAtOnce(a: string[], b: string[]): Promise<void> {
  const [ra, rb] = await Promise.all([start(a).done, start(b).done]);
  for (const r of [ra, rb]) {
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.code).toBe(0);
  }
}

/** Start `args` paused at `point:n`, wait until it stops there, SIGKILL it. */
export async function killAt(args: string[], point: string, n: number): Promise<void> {
  const marker = join(scratch("marker"), "paused");
  const p = start(args, { PRUNE_SENSE_TEST_PAUSE_AT: `${point}:${n}`, PRUNE_SENSE_TEST_PAUSE_MARKER: marker });
  await waitForFile(marker);
  p.kill("SIGKILL");
  const exit = await p.done;
  expect(exit.signal).toBe("SIGKILL");
}

/** No run folder is half there: each is complete or has no result.json yet. */
export function noHalfRuns(dir: string): void {
  const runs = join(dir, "runs");
  if (!existsSync(runs)) return;
  for (const id of readdirSync(runs)) expect(inspectRun(dir, id).state, id).not.toBe("damaged");
}

/** Exit 2, one line `error: <path>: … (<CODE>: …)`, no stack. */
export function expectRefused(r: { code: number | null; stderr: string }, code: string): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^error: \\S.*: cannot write.* \\(${code}: `));
}
