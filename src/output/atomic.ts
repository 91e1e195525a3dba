/**
 * Atomic file writes: write a temp file beside the target, then rename over it.
 * A crash (SIGKILL, power cut) leaves either the old file or the new one, never
 * a half-written one. Temp files name their owner (host, pid), so cleaning up
 * after a crashed writer never deletes a live writer's temp files.
 */
import {
  accessSync, closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync,
  rmdirSync, rmSync, statSync, unlinkSync, writeSync, type BigIntStats,
} from "node:fs";
import { open } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../errors.js";
import { ownerGone } from "../files/owner.js";
import { entryKind, makeFolder, refuseSpecialTarget, SpecialFileError } from "../files/special-files.js";
import { pauseAt } from "./pause.js";
import { tempOwner, tempPathFor, TEMP_MARKER } from "../files/temp-names.js";

export { TEMP_MARKER } from "../files/temp-names.js";

/**
 * Write `data` to `path` atomically, creating parent folders. On failure the
 * temp file is removed and the error (e.g. ENOSPC) is thrown; `path` is untouched.
 * Only a regular file or a new path is written: a FIFO, a device node, a
 * socket, a folder or a symbolic link at `path` is refused and left as it is
 * (see special-files.ts). `beforeRename` runs once the temp file is complete (used by crash tests).
 * @throws {SpecialFileError} `out.csv: is a FIFO (named pipe), left as it is (…)`.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, beforeRename?: () => void): void {
  makeFolder(dirname(path));
  refuseSpecialTarget(path);
  const tmp = tempPathFor(path);
  try {
    // flushed before the rename so a power cut cannot leave a renamed but empty file
    writeNewFile(tmp, data, true);
    beforeRename?.();
    renameSync(tmp, path);
  } catch (err) {
    unlinkQuietly(tmp);
    throw namedAfter(err, path);
  }
}

/**
 * Create `tmp` (never an existing name: "wx") holding `data`, flushed to the disk if `flush`.
 * @returns the file's device and inode (TempFile.id). The descriptor is closed whatever happens.
 */
function writeNewFile(tmp: string, data: string | Uint8Array, flush: boolean): string {
  let fd = -1;
  try {
    fd = openSync(tmp, "wx");
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    if (flush) fsyncSync(fd);
    const id = fileId(fstatSync(fd, { bigint: true }));
    // a close that fails has freed the descriptor all the same: never close it twice
    const held = fd;
    fd = -1;
    closeSync(held);
    return id;
  } catch (err) {
    if (fd >= 0) closeQuietly(fd);
    throw err;
  }
}

/**
 * A file written under a temp name beside `path` (writeTempFile), and which file it is (device and
 * inode): its flush and its rename check that the name still holds that very file.
 */
export interface TempFile {
  temp: string;
  path: string;
  id: string;
}

/**
 * The first half of writeFileAtomic, for writers that flush later or on another thread: `data`
 * in a new temp file beside `path` (parent folders made, a special file at `path` refused),
 * closed but not yet flushed. Then syncTempFile (or syncTempFileNow) and placeTempFile; on
 * failure nothing is left.
 * @throws the error of the write (ENOSPC, …), naming `path`.
 */
export function writeTempFile(path: string, data: string | Uint8Array): TempFile {
  makeFolder(dirname(path));
  refuseSpecialTarget(path);
  const tmp = tempPathFor(path);
  try {
    return { temp: tmp, path, id: writeNewFile(tmp, data, false) };
  } catch (err) {
    unlinkQuietly(tmp);
    throw namedAfter(err, path);
  }
}

/**
 * Opening a temp file to flush it: never through a symbolic link planted at its name, never
 * blocking on a FIFO there; read-only where a flush allows it (a temp file of a umask such as
 * 0277 is not writable), for writing on Windows, which flushes only such a handle.
 */
const FLUSH_FLAGS = process.platform === "win32" ? "r+" : constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Flushes at once (each holds a descriptor and one of libuv's threads): enough to keep a disk busy. */
export const FLUSHES_AT_ONCE = 8;
const flushQueue = limitConcurrency(FLUSHES_AT_ONCE);

/**
 * Flush a temp file to the disk (fsync) off this thread, at most FLUSHES_AT_ONCE at a time in this
 * thread: a writer can have many waiting where writeFileAtomic waits for each.
 * @throws the error of the flush (EIO, ENOSPC of a delayed allocation) naming `path`, or a
 *   SpecialFileError when the temp file is gone or was replaced.
 */
export function syncTempFile(f: TempFile): Promise<void> {
  return flushQueue(async () => {
    try {
      const handle = await open(f.temp, FLUSH_FLAGS);
      try {
        assertSameFile(f, await handle.stat({ bigint: true }));
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (err) {
      throw tempFileError(err, f);
    }
  });
}

/** syncTempFile on this thread, waiting for the disk (a writer with nothing else to do meanwhile). */
export function syncTempFileNow(f: TempFile): void {
  let fd = -1;
  try {
    fd = openSync(f.temp, FLUSH_FLAGS);
    assertSameFile(f, fstatSync(fd, { bigint: true }));
    fsyncSync(fd);
    const held = fd;
    fd = -1;
    closeSync(held);
  } catch (err) {
    if (fd >= 0) closeQuietly(fd);
    throw tempFileError(err, f);
  }
}

/**
 * The second half: rename a flushed temp file over its `path`, if the name still holds the file
 * written. On failure the temp name is removed and the error, naming `path`, thrown.
 */
export function placeTempFile(f: TempFile): void {
  try {
    assertSameFile(f, lstatSync(f.temp, { bigint: true }));
    refuseSpecialTarget(f.path);
    renameSync(f.temp, f.path);
  } catch (err) {
    unlinkQuietly(f.temp);
    throw tempFileError(err, f);
  }
}

/** Remove temp files quietly (a draft given up). */
export function removeTempFiles(files: readonly TempFile[]): void {
  for (const f of files) unlinkQuietly(f.temp);
}

function fileId(st: BigIntStats): string {
  return `${st.dev}:${st.ino}`;
}

/** Thrown when a temp file's name no longer holds the file written there. */
class ReplacedTemp extends Error {}

function assertSameFile(f: TempFile, st: BigIntStats): void {
  if (!st.isFile() || fileId(st) !== f.id) throw new ReplacedTemp();
}

/**
 * A temp file removed or replaced (a link, a FIFO, another file) between its write and its
 * placing, by someone else (its name carries our host and pid, so no prune-sense process would):
 * one line naming the file, an environment error like a full disk (the run is unsaved, never
 * half-placed). Any other error names `path`.
 */
function tempFileError(err: unknown, f: TempFile): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (err instanceof ReplacedTemp || code === "ELOOP" || code === "ENOENT") {
    const what = code === "ENOENT" ? "removed" : "replaced";
    return new SpecialFileError(f.path, `a temp file ${what}`, `${f.path}: its temp file ${basename(f.temp)} was ${what} by another program before it was in place; the run is not saved`);
  }
  return namedAfter(err, f.path);
}

/**
 * A queue that runs at most `n` tasks at once, in the order they were queued.
 * @example const queue = limitConcurrency(2); await Promise.all(jobs.map((job) => queue(job)));
 */
export function limitConcurrency(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  const done = (): void => {
    running--;
    waiting.shift()?.();
  };
  return (task) =>
    new Promise((resolve, reject) => {
      const start = (): void => {
        running++;
        task().then(resolve, reject).finally(done);
      };
      if (running < n) start();
      else waiting.push(start);
    });
}

/** A file-system error without a path (write(2), fsync(2) give none) names `path`: the user learns which file did not fit. */
function namedAfter(err: unknown, path: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === "object" && e.code && !e.path) e.path = path;
  return err;
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already failing: the first error is the one to report
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // not there (never created) or not removable: nothing more to do
  }
}

/**
 * Delete temp files (and temp folders) in `dir` whose writer is provably gone (dead pid on this
 * host, or older than an hour if written by another host). A live writer's
 * temp files are left alone, whoever it is.
 */
export function removeStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.includes(TEMP_MARKER)) continue;
    const owner = tempOwner(name);
    const path = join(dir, name);
    let age = 0;
    try {
      age = now - lstatSync(path).mtimeMs;
    } catch {
      continue;
    }
    // a temp name of an older version (no host): its pid is the only clue, so require an hour too
    const gone = owner ? ownerGone(owner.host, owner.pid, age) : age > 60 * 60 * 1000;
    // a temp folder is a run being copied by merge
    if (gone) rmSync(path, { recursive: true, force: true });
  }
}

/** Kernel file systems: writing there never makes a results folder (and Node's recursive mkdir spins on /proc). */
const KERNEL_ROOTS = ["/proc", "/sys"];

/**
 * The write probe's name before its temp suffix: `.write-check.tmp-<host>-<pid>-<thread>.<n>`
 * names its owner like every temp file, so a killed run's probe is cleaned by the same rules.
 */
export const PROBE_NAME = ".write-check";

/** Bytes the write probe writes: enough to fail on a full disk, where an empty file would still fit. */
const PROBE_BYTES = 64 * 1024;

/**
 * Make sure `dir` is a folder we can write into, creating it if needed. Checks
 * the nearest existing ancestor first (a folder, writable, not under /proc
 * or /sys), then creates the missing levels one by one and writes a probe.
 * @throws {UserError} `DIR: cannot write results here (EACCES: permission denied)` and the like.
 */
export function ensureWritableDir(dir: string, what = "results"): void {
  const fail = (code: string, reason: string): never => {
    throw new UserError(`${dir}: cannot write ${what} here (${code}: ${reason})`);
  };
  const abs = resolve(dir);
  let existing = abs;
  const missing: string[] = [];
  for (;;) {
    try {
      lstatSync(existing);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOTDIR") fail("ENOTDIR", `${ancestorFile(existing)} is not a folder`);
      if (code === "ENAMETOOLONG") fail("ENAMETOOLONG", "name too long");
      if (code !== "ENOENT") fail(code ?? "error", (err as Error).message);
      missing.unshift(existing);
      const parent = dirname(existing);
      if (parent === existing) break;
      existing = parent;
    }
  }
  let real = existing;
  try {
    real = realpathSync(existing);
  } catch {
    // a dangling link: statSync below reports it
  }
  if (KERNEL_ROOTS.some((root) => real === root || real.startsWith(`${root}/`))) {
    fail("EACCES", `${real} is a kernel file system, not a place for files`);
  }
  try {
    const entry = entryKind(existing);
    if (entry && !entry.folder) {
      // a FIFO, a device or a dangling link is named as what it is; a plain file as before
      if (missing.length === 0) fail("EEXIST", entry.regular ? "file already exists" : `${existing} is ${entry.kind}`);
      fail("ENOTDIR", `${existing} is ${entry.regular ? "not a folder" : entry.kind}`);
    }
    accessSync(existing, constants.W_OK | constants.X_OK);
    const made: string[] = [];
    try {
      for (const level of missing) {
        mkdirSync(level);
        made.push(level);
      }
      probeWrite(tempPathFor(join(abs, PROBE_NAME)));
    } catch (err) {
      // leave the file system as it was: no empty folders from a refused command
      for (const level of made.reverse()) rmdirQuietly(level);
      throw err;
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    const e = err as NodeJS.ErrnoException;
    fail(e.code ?? "error", e.message.replace(/^[A-Z]+: /, "").split(",")[0]);
  }
}

/** Write PROBE_BYTES to `probe` and remove it: fails on a full disk or a read-only file system. */
function probeWrite(probe: string): void {
  try {
    // "wx": the name is fresh; never open (and block on) whatever else may sit there
    const fd = openSync(probe, "wx");
    pauseAt("in-probe");
    try {
      writeSync(fd, Buffer.alloc(PROBE_BYTES));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } finally {
    unlinkQuietly(probe);
  }
}

function rmdirQuietly(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // not empty (another writer) or already gone
  }
}

/** The first ancestor of `path` that exists and is a file (for ENOTDIR messages). */
function ancestorFile(path: string): string {
  let p = path;
  for (;;) {
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      // keep climbing
    }
    const parent = dirname(p);
    if (parent === p) return path;
    p = parent;
  }
}
