/**
 * The folder lock: guards the few files every writer of a results folder
 * shares (summary.csv, the sweep plans). A run's own files need no lock: each
 * is written atomically and its content depends only on its config.
 *
 * The lock is a file created with O_EXCL holding its owner (pid, host, start
 * time). A lock whose owner is provably gone (dead pid on this host; on another
 * host, older than FOREIGN_STALE_MS) is broken; a live owner is waited for.
 */
import { closeSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { HOST, ownerGone } from "./owner.js";
import { entryKind, notRegularFile, readRegularText } from "./special-files.js";
import { tempPathFor } from "./temp-names.js";

export const LOCK_FILE = ".lock";

/** How long to wait for a live owner before giving up with a message. */
export const LOCK_WAIT_MS = 10 * 60 * 1000;
const POLL_MS = 25;

interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Locks this process holds, by path, with a depth count (a holder may lock again). */
const held = new Map<string, number>();

function readOwner(path: string): { owner: LockOwner | null; ageMs: number } | null {
  // a FIFO, a device, a folder or a link is no lock of ours: never opened (a FIFO would block), never broken
  const entry = entryKind(path);
  if (entry && !entry.regular) throw notRegularFile(path, entry.kind, "no prune-sense made it: remove it if nothing else uses it");
  try {
    const ageMs = Date.now() - statSync(path).mtimeMs;
    let owner: LockOwner | null = null;
    try {
      const parsed = JSON.parse(readRegularText(path)) as Partial<LockOwner>;
      if (typeof parsed.pid === "number" && typeof parsed.host === "string") owner = parsed as LockOwner;
    } catch {
      owner = null;
    }
    return { owner, ageMs };
  } catch {
    return null; // gone meanwhile
  }
}

/** Break a stale lock: move it aside under a unique name (only one breaker wins), then delete it. */
function breakLock(path: string): void {
  const aside = tempPathFor(path);
  try {
    renameSync(path, aside);
    unlinkSync(aside);
  } catch {
    // someone else broke or released it first
  }
}

function tryAcquire(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    const owner: LockOwner = { pid: process.pid, host: HOST, started: new Date().toISOString() };
    writeSync(fd, `${JSON.stringify(owner)}\n`);
    closeSync(fd);
  } catch (err) {
    // e.g. ENOSPC: leave no empty lock behind
    closeSync(fd);
    unlinkSync(path);
    throw err;
  }
  return true;
}

/**
 * Run `fn` holding the lock of results folder `dir` (which must exist).
 * @throws {UserError} when a live owner holds the lock for longer than LOCK_WAIT_MS.
 */
export function withFolderLock<T>(dir: string, fn: () => T): T {
  const path = join(dir, LOCK_FILE);
  const depth = held.get(path) ?? 0;
  if (depth === 0) acquire(path);
  held.set(path, depth + 1);
  try {
    return fn();
  } finally {
    held.set(path, depth);
    if (depth === 0) {
      held.delete(path);
      release(path);
    }
  }
}

function acquire(path: string): void {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    if (tryAcquire(path)) return;
    const info = readOwner(path);
    if (info) {
      const { owner, ageMs } = info;
      // an unreadable lock is a writer caught between create and write: stale only once it is old
      const stale = owner ? ownerGone(owner.host, owner.pid, ageMs) : ageMs > 10_000;
      if (stale) {
        breakLock(path);
        continue;
      }
      if (Date.now() > deadline) {
        const who = owner ? `pid ${owner.pid} on ${owner.host} since ${owner.started}` : "an unknown process";
        throw new UserError(`${path}: the results folder is locked by ${who}; if that process is gone, delete the file`);
      }
    }
    sleep(POLL_MS);
  }
}

function release(path: string): void {
  // only remove our own lock (a stale-lock breaker may have replaced it)
  const info = readOwner(path);
  if (info?.owner && info.owner.pid === process.pid && info.owner.host === HOST) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}
