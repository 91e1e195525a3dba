/**
 * A content-addressed cache of Float64Arrays on disk: one file per key in
 * $XDG_CACHE_HOME/prune-sense (default ~/.cache/prune-sense, see settings.ts), so a
 * data set's measurements and second moments are made once and read back by
 * every later process that needs the same data.
 *
 * - A file's name is the SHA-256 of its key; the whole key is stored inside too
 *   and checked on read (a hash collision, or a file renamed to another key's
 *   name, is a miss).
 * - Written atomically: a temp file in the same folder, then rename. Two
 *   processes writing one key both write whole files; the last rename wins and
 *   a reader sees one whole file or the other, never a mix. Temp names carry
 *   their writer's host and pid (files/temp-names.ts), so a killed writer's
 *   temp files are counted against the size limit and removed once that writer
 *   is provably gone (files/owner.ts), never while it may still rename them.
 * - Verified on read: the payload's SHA-256 is in the header. Only regular files
 *   owned by this user are read (opened with O_NOFOLLOW and O_NONBLOCK, so a
 *   symlink or a FIFO is refused at once, never followed or waited on). A
 *   damaged, truncated or foreign file is a miss, removed when the folder allows.
 * - Bounded: after a write, the least recently used files (by mtime, touched on
 *   every hit) are deleted until the folder is under its size limit.
 * Every failure of the cache (a damaged or special file, an unwritable folder, a
 * full disk, a race with another process's eviction) is a miss, never an error:
 * the cache only saves time. Each is reported once per process through `warn`.
 *
 * What the checksum is for: accidents (a crash, a bad disk, a copy cut short).
 * It is not a signature: whoever can write this folder can write a valid file,
 * and a keyed checksum would not change that (its key would sit on the same
 * disk, readable by that same user). What does keep other people's data out is
 * the folder's mode (0700, made so) and the owner check on every read.
 */
import { createHash } from "node:crypto";
import {
  closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, unlinkSync, utimesSync,
  writev, writeSync, type Stats,
} from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { HOST, ownerGone } from "../files/owner.js";
import { kindOf } from "../files/special-files.js";
import { tempOwner, tempPathFor } from "../files/temp-names.js";
import { defaultCacheDir, readCacheMaxBytes } from "./settings.js";

/** Format of the files; a change of layout bumps it (old files then read as misses and age out). */
const MAGIC = "prune-sense-arrays-1\n";
const SUFFIX = ".f64";
/** Read-only, never through a symlink (ELOOP), never blocking on a FIFO. */
const OPEN_FOR_READ = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export type ArrayRecord = Record<string, Float64Array>;

export interface CacheStats {
  dir: string;
  /** Cache files (data sets). */
  files: number;
  /** Bytes of the cache files and of every temp file. */
  bytes: number;
  maxBytes: number;
  /** Temp files: writes in progress, or left by writers that were killed (`gone`). */
  temps: number;
  tempBytes: number;
  goneTemps: number;
}

export interface ArrayStore {
  readonly dir: string;
  /** The arrays stored under key, or null (absent, damaged or unreadable: a miss). Never throws. */
  get(key: string): ArrayRecord | null;
  /** Store arrays under key (atomically), then evict down to the size limit. Never throws. */
  put(key: string, arrays: ArrayRecord): void;
  /**
   * As put, but the bytes are written by the I/O thread pool while this thread
   * goes on computing; the file appears (renamed into place) once they are all
   * written. The arrays must not change until then. Never throws.
   */
  putInBackground(key: string, arrays: ArrayRecord): void;
  /** Resolves once every putInBackground so far has finished (written and renamed, or given up). */
  whenWritten(): Promise<void>;
  stats(): CacheStats;
  /** Delete every cache file and the temp files of gone writers; `liveTemps` are left to their writers. */
  clear(): { removed: number; liveTemps: number };
}

/** One line per cache fault (no "warning:" prefix: the caller adds its own). */
export type CacheWarn = (line: string) => void;

const sha256 = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex");

interface Header {
  key: string;
  arrays: Array<[name: string, length: number]>;
  sha256: string;
}

/** The file's bytes: MAGIC, header length (8 ASCII digits), header JSON padded to 8 bytes, then the arrays. */
function encode(key: string, arrays: ArrayRecord): Buffer[] {
  const names = Object.keys(arrays).sort();
  const payload = names.map((n) => Buffer.from(arrays[n].buffer, arrays[n].byteOffset, arrays[n].byteLength));
  const hash = createHash("sha256");
  for (const p of payload) hash.update(p);
  const header: Header = { key, arrays: names.map((n) => [n, arrays[n].length]), sha256: hash.digest("hex") };
  let json = JSON.stringify(header);
  const head = MAGIC.length + 8;
  json += " ".repeat((8 - ((head + Buffer.byteLength(json)) % 8)) % 8);
  const len = String(Buffer.byteLength(json)).padStart(8, "0");
  return [Buffer.from(MAGIC + len + json), ...payload];
}

/** Why a parsed header is not one encode() writes (any JSON may be there: null, a list, a number…), or null. */
function headerProblem(h: unknown): string | null {
  if (typeof h !== "object" || h === null || Array.isArray(h)) return "its header is not an object";
  const { key, arrays, sha256: sum } = h as Record<string, unknown>;
  if (typeof key !== "string" || typeof sum !== "string" || !Array.isArray(arrays)) return "its header lacks key, arrays or sha256";
  const entryOk = (e: unknown): boolean =>
    Array.isArray(e) && e.length === 2 && typeof e[0] === "string" && Number.isSafeInteger(e[1]) && (e[1] as number) >= 0;
  return arrays.every(entryOk) ? null : "its header's arrays are not [name, length] pairs";
}

/** The arrays of a file's bytes, or why they are not this key's (damage, another key's file). */
function decode(buf: Buffer, key: string): ArrayRecord | string {
  if (buf.toString("latin1", 0, MAGIC.length) !== MAGIC) return "not a prune-sense cache file (or another version's)";
  const len = Number(buf.toString("latin1", MAGIC.length, MAGIC.length + 8));
  const start = MAGIC.length + 8;
  if (!Number.isSafeInteger(len) || len < 0 || start + len > buf.length) return "truncated";
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString("utf8", start, start + len));
  } catch {
    return "its header does not parse";
  }
  const problem = headerProblem(parsed);
  if (problem) return problem;
  const header = parsed as Header;
  if (header.key !== key) return "it holds another key's data";
  const body = start + len;
  const total = header.arrays.reduce((s, [, n]) => s + 8 * n, 0);
  if (body + total !== buf.length) return body + total > buf.length ? "truncated" : "longer than its header says";
  if (sha256(buf.subarray(body)) !== header.sha256) return "checksum mismatch";
  // views of the file's bytes when they are 8-byte aligned (the header is padded so they are, in a Buffer of
  // its own), else one aligned copy (a small Buffer may sit at any offset of a shared pool)
  const at0 = buf.byteOffset + body;
  let all: Float64Array;
  if (at0 % 8 === 0) {
    all = new Float64Array(buf.buffer, at0, total / 8);
  } else {
    all = new Float64Array(total / 8);
    new Uint8Array(all.buffer).set(buf.subarray(body));
  }
  const out: ArrayRecord = {};
  let at = 0;
  for (const [name, n] of header.arrays) {
    out[name] = all.subarray(at, at + n);
    at += n;
  }
  return out;
}

const codeOf = (err: unknown): string => (err as NodeJS.ErrnoException)?.code ?? String(err);

/** "a FIFO", "a folder"…: what a non-regular file is, for a warning. */
/** What a lookup found: the arrays, nothing, a file to remove (damaged, foreign), or a file to leave (special, unreadable). */
type Lookup =
  | { kind: "hit"; arrays: ArrayRecord }
  | { kind: "absent" }
  | { kind: "damaged"; problem: string }
  | { kind: "unusable"; problem: string; folder?: boolean };

/** Read one cache file: only a regular file of ours, never following a link or waiting on a FIFO. */
function lookup(path: string, key: string): Lookup {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FOR_READ);
  } catch (err) {
    const code = codeOf(err);
    if (code === "ENOENT") return { kind: "absent" };
    if (code === "ELOOP") return { kind: "unusable", problem: "is a symbolic link, not a cache file" };
    if (code === "ENOTDIR") return { kind: "unusable", problem: "is not a folder (ENOTDIR)", folder: true };
    return { kind: "unusable", problem: `cannot be read (${code})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: "unusable", problem: `is ${kindOf(st)}, not a cache file` };
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) return { kind: "damaged", problem: `belongs to another user (uid ${st.uid}), not trusted` };
    const buf = Buffer.allocUnsafeSlow(st.size); // a buffer of its own: 8-byte aligned, so the arrays are views of it
    let got = 0;
    for (let n = -1; got < buf.length && n !== 0; got += n) n = readSync(fd, buf, got, buf.length - got, got);
    const decoded = decode(buf.subarray(0, got), key);
    return typeof decoded === "string" ? { kind: "damaged", problem: decoded } : { kind: "hit", arrays: decoded };
  } catch (err) {
    return { kind: "unusable", problem: `cannot be read (${codeOf(err)})` };
  } finally {
    closeSync(fd);
  }
}

interface FileInfo {
  path: string;
  size: number;
  mtimeMs: number;
}

/** A temp file of the format before 0.2 (`.tmp-<pid>-<12 hex>`, always this host's), or null. */
function legacyTempOwner(name: string): { host: string; pid: number } | null {
  const m = /^\.tmp-(\d+)-[0-9a-f]{12}$/.exec(name);
  return m ? { host: HOST, pid: Number(m[1]) } : null;
}

/** The folder's cache files and temp files (gone: its writer is provably gone). Missing or unreadable folder: none. */
function listFolder(dir: string): { entries: FileInfo[]; temps: Array<FileInfo & { gone: boolean }> } {
  const entries: FileInfo[] = [];
  const temps: Array<FileInfo & { gone: boolean }> = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { entries, temps };
  }
  const now = Date.now();
  for (const name of names) {
    const owner = name.endsWith(SUFFIX) ? null : (tempOwner(name) ?? legacyTempOwner(name));
    if (!name.endsWith(SUFFIX) && !owner) continue;
    let st: Stats;
    try {
      st = lstatSync(join(dir, name));
    } catch {
      continue; // evicted or renamed by another process meanwhile
    }
    if (st.isDirectory()) continue;
    const info = { path: join(dir, name), size: st.size, mtimeMs: st.mtimeMs };
    if (owner) temps.push({ ...info, gone: ownerGone(owner.host, owner.pid, now - st.mtimeMs) });
    else entries.push(info);
  }
  return { entries, temps };
}

/** Remove a file; the error code when it cannot be (null: removed, or already gone). */
function unlinkOrCode(path: string): string | null {
  try {
    unlinkSync(path);
    return null;
  } catch (err) {
    const code = codeOf(err);
    return code === "ENOENT" ? null : code;
  }
}

/**
 * The store in `dir` (default: defaultCacheDir()), bounded by maxBytes (default:
 * PRUNE_SENSE_CACHE_MAX_BYTES from the environment, else 2 GiB). `warn` hears
 * each fault once per process and data set (or once for the folder).
 * @throws {UsageError} when PRUNE_SENSE_CACHE_MAX_BYTES is not a size (the CLI refuses it before this).
 */
export function openArrayStore(dir = defaultCacheDir(), maxBytes = envMaxBytes(), warn: CacheWarn = () => {}): ArrayStore {
  const pending: Promise<void>[] = [];
  const fileOf = (key: string): string => join(dir, sha256(key) + SUFFIX);
  // a fault is said once: per key, or once for the folder (a read-only or full disk fails every write)
  const said = new Set<string>();
  const say = (tag: string, line: string): void => {
    if (said.has(tag) || said.has("folder")) return;
    said.add(tag);
    warn(line);
  };
  const writeFailed = (key: string, err: unknown): void => {
    if (said.has(key)) return; // its read already said what is wrong with this file
    say("folder", `cache folder ${dir}: cannot write (${codeOf(err)}); data sets are not cached`);
  };
  const evict = (): void => {
    const { entries, temps } = listFolder(dir);
    // a killed writer's temp file only takes room: remove it; a live one's counts until it is renamed
    for (const t of temps) if (t.gone) unlinkOrCode(t.path);
    const live = temps.filter((t) => !t.gone);
    let total = [...entries, ...live].reduce((s, e) => s + e.size, 0);
    for (const e of entries.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
      if (total <= maxBytes) break;
      unlinkOrCode(e.path);
      total -= e.size;
    }
  };
  /** A new temp file beside key's file (the caller writes it, then renames it into place). */
  const openTemp = (key: string): { tmp: string; fd: number } => {
    mkdirSync(dir, { recursive: true, mode: 0o700 }); // not for other users to write into
    const tmp = tempPathFor(fileOf(key));
    return { tmp, fd: openSync(tmp, "wx") };
  };
  return {
    dir,
    get(key) {
      const path = fileOf(key);
      const found = lookup(path, key);
      if (found.kind === "absent") return null;
      if (found.kind === "unusable") {
        if (found.folder) say("folder", `cache folder ${dir} ${found.problem}; data sets are not cached`);
        else say(key, `cache file ${path} ${found.problem}; not used, the data are made again`);
        return null;
      }
      if (found.kind === "damaged") {
        const code = unlinkOrCode(path); // the next writer replaces it
        const fate = code ? `not used, and it cannot be removed (${code})` : "removed";
        say(key, `cache file ${path} is damaged (${found.problem}); ${fate}; the data are made again`);
        return null;
      }
      try {
        const now = new Date();
        utimesSync(path, now, now); // recently used
      } catch {
        // evicted meanwhile, or a read-only folder: we have the data anyway
      }
      return found.arrays;
    },
    put(key, arrays) {
      let tmp = "";
      try {
        const t = openTemp(key);
        tmp = t.tmp;
        try {
          for (const part of encode(key, arrays)) writeSync(t.fd, part);
        } finally {
          closeSync(t.fd);
        }
        renameSync(tmp, fileOf(key));
        evict();
      } catch (err) {
        if (tmp) unlinkOrCode(tmp);
        writeFailed(key, err);
      }
    },
    putInBackground(key, arrays) {
      let t: { tmp: string; fd: number };
      try {
        t = openTemp(key);
      } catch (err) {
        writeFailed(key, err);
        return;
      }
      const parts = encode(key, arrays);
      const total = parts.reduce((s, p) => s + p.length, 0);
      let settle = (): void => {};
      pending.push(new Promise<void>((resolve) => (settle = resolve)));
      writev(t.fd, parts, (err, written) => {
        try {
          closeSync(t.fd);
          if (err || written !== total) throw err ?? Object.assign(new Error("short write"), { code: "ENOSPC" });
          renameSync(t.tmp, fileOf(key));
          evict();
        } catch (e) {
          unlinkOrCode(t.tmp);
          writeFailed(key, e);
        } finally {
          settle();
        }
      });
    },
    async whenWritten() {
      while (pending.length) await pending.shift();
    },
    stats() {
      const { entries, temps } = listFolder(dir);
      const tempBytes = temps.reduce((s, e) => s + e.size, 0);
      return {
        dir, files: entries.length, bytes: entries.reduce((s, e) => s + e.size, 0) + tempBytes, maxBytes,
        temps: temps.length, tempBytes, goneTemps: temps.filter((t) => t.gone).length,
      };
    },
    clear() {
      const { entries, temps } = listFolder(dir);
      let removed = 0;
      for (const e of [...entries, ...temps.filter((t) => t.gone)]) if (unlinkOrCode(e.path) === null) removed++;
      return { removed, liveTemps: temps.filter((t) => !t.gone).length };
    },
  };
}

function envMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const read = readCacheMaxBytes(env.PRUNE_SENSE_CACHE_MAX_BYTES);
  if (read.problem !== null) throw new UsageError(read.problem);
  return read.bytes;
}
