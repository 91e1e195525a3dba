/**
 * Special files (FIFOs, device nodes, sockets, folders, symbolic links) where
 * prune-sense reads or writes a file of its own, in a results folder or at a
 * path the user names. Opening a FIFO blocks until a writer comes, opening a
 * device node may act on the device, and renaming a temp file over a device
 * node or a link replaces something that is not ours (as root, `--out
 * /dev/null` would replace /dev/null for the whole machine). So:
 *
 * - a reader opens only a regular file: stat before the open, fstat after it,
 *   and the open is non-blocking, so a FIFO swapped in between cannot hang it;
 *   links are followed (reading through one harms nothing);
 * - a writer writes only over a regular file or at a new path: anything else,
 *   a symbolic link included (the link is not followed, never replaced), is
 *   refused in one line and left as it is;
 * - a folder prune-sense writes into is a folder, or a link to one.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, readlinkSync, statSync, type Stats } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../errors.js";

/** A special file where a regular file or a folder was expected: one line naming the path, exit 2. */
export class SpecialFileError extends UserError {
  constructor(
    readonly path: string,
    /** What is there, e.g. "a FIFO (named pipe)". */
    readonly kind: string,
    line: string,
  ) {
    super(line);
  }
}

/** What a stat result is, for messages ("a FIFO (named pipe)"). */
export function kindOf(st: Stats): string {
  if (st.isFile()) return "a regular file";
  if (st.isDirectory()) return "a folder";
  if (st.isSymbolicLink()) return "a symbolic link";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

/** What the link at `path` is: dangling, looping, or a link to something (and what). */
function linkKind(path: string): string {
  let target = "?";
  try {
    target = readlinkSync(path);
  } catch {
    // gone meanwhile: the kind below still says what it was
  }
  try {
    return `a symbolic link to ${kindOf(statSync(path))} (${target})`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return `a symbolic link that loops (${target})`;
    if (code === "ENOENT" || code === "ENOTDIR") return `a dangling symbolic link (to ${target})`;
    return `a symbolic link that cannot be followed (to ${target}, ${code})`;
  }
}

/** What is at `path` (not following a link), or null when nothing is there. */
export function entryKind(path: string): { kind: string; regular: boolean; folder: boolean } | null {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return null;
  }
  if (st.isSymbolicLink()) {
    let folder = false;
    try {
      folder = statSync(path).isDirectory();
    } catch {
      // dangling or looping: not a folder
    }
    return { kind: linkKind(path), regular: false, folder };
  }
  return { kind: kindOf(st), regular: st.isFile(), folder: st.isDirectory() };
}

/** `PATH: is a FIFO (named pipe), expected a regular file` (what a reader says). */
export function notRegularFile(path: string, kind: string, hint = ""): SpecialFileError {
  return new SpecialFileError(path, kind, `${path}: is ${kind}, expected a regular file${hint ? `; ${hint}` : ""}`);
}

/**
 * The bytes of the regular file at `path` (links followed). Never opens
 * anything else, so a FIFO or a device cannot block or be acted on.
 * @throws {SpecialFileError} when `path` is not a regular file, or a link that leads nowhere (dangling, looping);
 *   the errno error (ENOENT, EACCES, …) when it cannot be read.
 */
export function readRegularFile(path: string): Buffer {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    // a link that leads nowhere is named as such, not as a missing file
    const entry = entryKind(path);
    if (entry && !entry.regular) throw notRegularFile(path, entry.kind);
    throw err;
  }
  if (!st.isFile()) throw notRegularFile(path, kindOf(st));
  // O_NONBLOCK: if a FIFO replaced the file since the stat, the open returns at once (fstat then refuses it)
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const now = fstatSync(fd);
    if (!now.isFile()) throw notRegularFile(path, kindOf(now));
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The text (UTF-8) of the regular file at `path`; see {@link readRegularFile}. */
export function readRegularText(path: string): string {
  return readRegularFile(path).toString("utf8");
}

/**
 * Throw unless a writer may replace `path`: nothing there, or a regular file.
 * A link is refused too (not followed: a link planted in a results folder must
 * not redirect a write elsewhere; not replaced: it is not ours).
 * @throws {SpecialFileError} `out.csv: is a FIFO (named pipe), left as it is (…)`.
 */
export function refuseSpecialTarget(path: string): void {
  const entry = entryKind(path);
  if (!entry || entry.regular) return;
  const advice = entry.kind.startsWith("a symbolic link") ? "give the path of the file itself" : "remove it or choose another path";
  throw new SpecialFileError(path, entry.kind, `${path}: is ${entry.kind}, left as it is (prune-sense writes only over a regular file or at a new path; ${advice})`);
}

/**
 * Throw if `path` exists but is not a folder (or a link to one): a dangling or
 * looping link, a FIFO, a file.
 * @throws {SpecialFileError} `DIR/runs/r1: is a dangling symbolic link (to /x), expected a folder`.
 */
export function refuseNonFolder(path: string): void {
  const entry = entryKind(path);
  if (entry && !entry.folder) throw new SpecialFileError(path, entry.kind, `${path}: is ${entry.kind}, expected a folder`);
}

/**
 * `mkdir -p dir`, with one line naming the part of the path that is a dangling
 * link, a FIFO or a file (Node says ENOENT, EEXIST or ENOTDIR without naming it).
 */
export function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    // the nearest existing part of the path is the one in the way, if it is not a folder
    for (let p = dir; ; p = dirname(p)) {
      const entry = entryKind(p);
      if (entry) {
        if (!entry.folder) throw new SpecialFileError(p, entry.kind, `${p}: is ${entry.kind}, expected a folder`);
        break;
      }
      if (dirname(p) === p) break;
    }
    throw err;
  }
}
