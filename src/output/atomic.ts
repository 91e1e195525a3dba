/**
 * Atomic file writes: write a temp file beside the target, then rename over it.
 * A crash (SIGKILL, power cut) leaves either the old file or the new one, never
 * a half-written one; stray temp files are recognisable by their suffix.
 */
import { mkdirSync, renameSync, writeFileSync, readdirSync, unlinkSync, openSync, fsyncSync, closeSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../errors.js";

/** Marker in temp-file names (`file.csv.tmp-<pid>-<n>`). */
export const TEMP_MARKER = ".tmp-";
let counter = 0;

/** Write `data` to `path` atomically, creating parent folders. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}${TEMP_MARKER}${process.pid}-${counter++}`;
  writeFileSync(tmp, data);
  // flush before the rename so a power cut cannot leave a renamed but empty file
  const fd = openSync(tmp, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Delete temp files left in `dir` by an interrupted writer. */
export function removeStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (name.includes(TEMP_MARKER)) unlinkSync(join(dir, name));
}

/**
 * Make sure `dir` is a folder we can write into, creating it if needed.
 * @throws {UserError} `DIR: cannot write results here (EACCES: permission denied)` and the like.
 */
export function ensureWritableDir(dir: string, what = "results"): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.write-check${TEMP_MARKER}${process.pid}`);
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UserError(`${dir}: cannot write ${what} here (${e.code ?? "error"}: ${e.message.replace(/^[A-Z]+: /, "").split(",")[0]})`);
  }
}
