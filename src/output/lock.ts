/**
 * The folder lock: guards the few files every writer of a results folder
 * shares (summary.csv, the sweep plans). A run's own files need no lock: each
 * is written atomically and its content depends only on its config.
 *
 * The lock is a file created with O_EXCL holding its owner (pid, host, thread,
 * start time). A lock whose owner is provably gone (dead pid on this host; on another
 * host, older than FOREIGN_STALE_MS; this very thread, which takes the lock only
 * when it holds none) is broken; a live owner is waited for.
 */
import { join } from "node:path";
import { UserError } from "../errors.js";
import { breakOwnedFile, createOwnedFile, ownedFileStale, readOwnedFile, removeOwnedFile, type FileOwner } from "./owned-file.js";

export const LOCK_FILE = ".lock";

/** How long to wait for a live owner before giving up with a message. */
export const LOCK_WAIT_MS = 10 * 60 * 1000;
const POLL_MS = 25;

export type LockOwner = FileOwner;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Locks this process holds, by path, with a depth count (a holder may lock again). */
const held = new Map<string, number>();

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

/**
 * Whether a lock that this thread does not hold (it takes one only then) is stale: the rules of
 * every owned file (ownedFileStale): its owner provably gone, or it names this very thread.
 * @example lockStale({ pid: process.pid, host: HOST, thread: threadId, started: "…" }, 0) // true
 */
export function lockStale(owner: LockOwner | null, ageMs: number): boolean {
  return ownedFileStale(owner, ageMs);
}

/**
 * Whether a live owner holds the lock now; a stale lock is broken on the way (not this thread's
 * own: it holds the lock, so for it the lock is not busy).
 */
function lockBusy(path: string): { busy: false } | { busy: true; owner: LockOwner | null } {
  if (held.has(path)) return { busy: false };
  const info = readOwnedFile(path);
  if (info && !lockStale(info.owner, info.ageMs)) return { busy: true, owner: info.owner };
  if (info) breakOwnedFile(path, info);
  return { busy: false };
}

function lockedError(path: string, owner: LockOwner | null): UserError {
  const who = owner ? `pid ${owner.pid} on ${owner.host} since ${owner.started}` : "an unknown process";
  return new UserError(`${path}: the results folder is locked by ${who}; if that process is gone, delete the file`);
}

function acquire(path: string): void {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    if (createOwnedFile(path)) return;
    const state = lockBusy(path);
    if (!state.busy) continue;
    if (Date.now() > deadline) throw lockedError(path, state.owner);
    sleep(POLL_MS);
  }
}

/**
 * Resolve once the lock of results folder `dir` is free (breaking a stale one), polling without
 * blocking this thread: signals, progress and worker messages are handled while a live owner
 * holds it. withFolderLock then takes it at once, unless another writer took it in between (it is
 * then waited for as long as that writer holds it, a moment).
 * @throws {UserError} when a live owner holds the lock for longer than LOCK_WAIT_MS.
 */
export async function whenFolderLockFree(dir: string): Promise<void> {
  const path = join(dir, LOCK_FILE);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const state = lockBusy(path);
    if (!state.busy) return;
    if (Date.now() > deadline) throw lockedError(path, state.owner);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Whether a live owner holds the lock of results folder `dir` now (a stale lock is broken). */
export function folderLockBusy(dir: string): boolean {
  return lockBusy(join(dir, LOCK_FILE)).busy;
}

function release(path: string): void {
  // only remove our own lock (a stale-lock breaker may have replaced it)
  removeOwnedFile(path);
}
