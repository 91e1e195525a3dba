/**
 * Files that name their owner: the folder lock (lock.ts) and the run claims
 * (run-claims.ts). Each is created with O_EXCL holding its owner (pid, host,
 * thread, start time), so exactly one process makes it; whoever finds it judges
 * from the owner whether it is live or stale (its owner provably gone, see
 * ownerGone), and a stale one is broken by one breaker only. One set of rules
 * for both, so a lock and a claim left by the same dead process go the same way.
 */
import { closeSync, linkSync, lstatSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { threadId } from "node:worker_threads";
import { HOST, ownerGone } from "../files/owner.js";
import { entryKind, notRegularFile, readRegularText } from "../files/special-files.js";
import { tempPathFor } from "../files/temp-names.js";

export interface FileOwner {
  pid: number;
  host: string;
  /** The thread of `pid` that took it (absent in locks of older versions). */
  thread?: number;
  started: string;
}

/** What a reader finds in an owned file: its owner (null: unreadable), how long since it was last written, its inode. */
export interface OwnedFileInfo {
  owner: FileOwner | null;
  ageMs: number;
  ino: number;
}

/**
 * Read the owned file at `path`, or null when it is gone.
 * @throws {SpecialFileError} when a FIFO, a device, a folder or a link is there: never opened
 *   (a FIFO would block), never broken (it is no file of ours).
 */
export function readOwnedFile(path: string, hint = "no prune-sense made it: remove it if nothing else uses it"): OwnedFileInfo | null {
  const entry = entryKind(path);
  if (entry && !entry.regular) throw notRegularFile(path, entry.kind, hint);
  try {
    const st = statSync(path);
    let owner: FileOwner | null = null;
    try {
      const parsed = JSON.parse(readRegularText(path)) as Partial<FileOwner>;
      if (typeof parsed.pid === "number" && typeof parsed.host === "string") owner = parsed as FileOwner;
    } catch {
      owner = null;
    }
    return { owner, ageMs: Date.now() - st.mtimeMs, ino: st.ino };
  } catch {
    return null; // gone meanwhile
  }
}

/**
 * Create `path` with O_EXCL holding this thread as its owner.
 * @returns false when something is there already.
 * @throws the errno error (ENOENT when its folder is missing, ENOSPC, …); no empty file is left behind.
 */
export function createOwnedFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    const owner: FileOwner = { pid: process.pid, host: HOST, thread: threadId, started: new Date().toISOString() };
    writeSync(fd, `${JSON.stringify(owner)}\n`);
    closeSync(fd);
  } catch (err) {
    // e.g. ENOSPC: leave no empty file behind
    closeSync(fd);
    unlinkSync(path);
    throw err;
  }
  return true;
}

/**
 * Whether an owned file that this thread does not hold (it takes one only then) is stale: its owner
 * is provably gone (ownerGone), or it names this very process and thread. Such a file is not ours: a
 * process that had our pid before (a container restarted, the program pid 1 again) or a release
 * that failed left it. A file of another thread of this process is live while the process is, unless
 * it is older than the process. An unreadable file is a writer caught between create and write:
 * stale only once it is old.
 * @example ownedFileStale({ pid: process.pid, host: HOST, thread: threadId, started: "…" }, 0) // true
 */
export function ownedFileStale(owner: FileOwner | null, ageMs: number): boolean {
  if (!owner) return ageMs > 10_000;
  if (owner.host === HOST && owner.pid === process.pid && (owner.thread === undefined || owner.thread === threadId)) return true;
  return ownerGone(owner.host, owner.pid, ageMs);
}

/**
 * Break a stale owned file: move it aside under a unique name (only one breaker wins), then delete
 * it. `stale` is what was judged stale (its inode and owner): if another breaker already replaced it
 * with a live file of its own, that one is what was moved, so it is put back (link, which never
 * replaces) and left alone. Both are compared: a file system reuses a freed inode at once (the
 * other breaker's new file may get the very inode of the stale one it deleted), the owner tells them apart.
 */
export function breakOwnedFile(path: string, stale?: Pick<OwnedFileInfo, "ino" | "owner">): void {
  const aside = tempPathFor(path);
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else broke or released it first
  }
  try {
    if (stale !== undefined && !sameFile(readOwnedFile(aside), stale)) linkSync(aside, path);
  } catch {
    // EEXIST: yet another owner made it meanwhile; the one moved aside has lost it (it finds out when it releases)
  }
  try {
    unlinkSync(aside);
  } catch {
    // gone already
  }
}

/** Whether the file read is the one judged stale: the same inode and the same owner (or both unreadable). */
function sameFile(now: OwnedFileInfo | null, stale: Pick<OwnedFileInfo, "ino" | "owner">): boolean {
  if (!now || now.ino !== stale.ino) return false;
  const [a, b] = [now.owner, stale.owner];
  return a === null || b === null ? a === b : a.pid === b.pid && a.host === b.host && a.thread === b.thread && a.started === b.started;
}

/** Remove the owned file at `path` if it names this process (a stale-file breaker may have replaced it). */
export function removeOwnedFile(path: string): void {
  let info: OwnedFileInfo | null;
  try {
    info = readOwnedFile(path);
  } catch {
    return; // a special file is no file of ours
  }
  if (info?.owner && info.owner.pid === process.pid && info.owner.host === HOST) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}
