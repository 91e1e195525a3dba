/**
 * Atomic file writes: write a temp file beside the target, then rename over it.
 * A crash (SIGKILL, power cut) leaves either the old file or the new one, never
 * a half-written one; stray temp files are recognisable by their suffix.
 */
import { mkdirSync, renameSync, writeFileSync, readdirSync, unlinkSync, openSync, fsyncSync, closeSync } from "node:fs";
import { dirname, join } from "node:path";

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
