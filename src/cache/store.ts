/**
 * A content-addressed cache of Float64Arrays on disk: one file per key in
 * $XDG_CACHE_HOME/prune-sense (default ~/.cache/prune-sense), so a data set's
 * measurements and second moments are made once and read back by every later
 * process that needs the same data.
 *
 * - A file's name is the SHA-256 of its key; the key is stored inside too and
 *   checked on read (a hash collision or a renamed file is a miss).
 * - Written atomically: a temp file in the same folder, then rename. Two
 *   processes writing one key both write whole files; the last rename wins and
 *   a reader sees one whole file or the other, never a mix.
 * - Verified on read: the payload's SHA-256 is in the header. A damaged or
 *   truncated file is a miss and is deleted.
 * - Bounded: after a write, the least recently used files (by mtime, touched on
 *   every hit) are deleted until the folder is under its size limit.
 * Every failure of the cache (unwritable folder, full disk, a race with another
 * process's eviction) is a miss, never an error: the cache only saves time.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writev, writeSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Format of the files; a change of layout bumps it (old files then read as misses and age out). */
const MAGIC = "prune-sense-arrays-1\n";
const SUFFIX = ".f64";
/** Default size limit of the cache folder: 2 GiB. */
export const DEFAULT_CACHE_MAX_BYTES = 2 * 1024 ** 3;

export type ArrayRecord = Record<string, Float64Array>;

export interface CacheStats {
  dir: string;
  files: number;
  bytes: number;
  maxBytes: number;
}

export interface ArrayStore {
  readonly dir: string;
  /** The arrays stored under key, or null (absent, damaged or unreadable). */
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
  /** Delete every cache file; returns how many. */
  clear(): number;
}

/** $XDG_CACHE_HOME/prune-sense, else ~/.cache/prune-sense. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.trim() !== "" ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "prune-sense");
}

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

function decode(buf: Buffer, key: string): ArrayRecord | null {
  if (buf.toString("latin1", 0, MAGIC.length) !== MAGIC) return null;
  const len = Number(buf.toString("latin1", MAGIC.length, MAGIC.length + 8));
  const start = MAGIC.length + 8;
  if (!Number.isInteger(len) || start + len > buf.length) return null;
  let header: Header;
  try {
    header = JSON.parse(buf.toString("utf8", start, start + len)) as Header;
  } catch {
    return null;
  }
  if (header.key !== key || !Array.isArray(header.arrays)) return null;
  const body = start + len;
  const total = header.arrays.reduce((s, [, n]) => s + 8 * n, 0);
  if (body + total !== buf.length) return null;
  if (sha256(buf.subarray(body)) !== header.sha256) return null;
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

/**
 * The store in `dir` (default: defaultCacheDir()), bounded by maxBytes (default:
 * PRUNE_SENSE_CACHE_MAX_BYTES from the environment, else DEFAULT_CACHE_MAX_BYTES).
 */
export function openArrayStore(dir = defaultCacheDir(), maxBytes = envMaxBytes()): ArrayStore {
  const pending: Promise<void>[] = [];
  const fileOf = (key: string): string => join(dir, sha256(key) + SUFFIX);
  const tempOf = (): string => join(dir, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  const entries = (): Array<{ path: string; size: number; mtimeMs: number }> => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    const out = [];
    for (const name of names) {
      if (!name.endsWith(SUFFIX)) continue;
      try {
        const st = statSync(join(dir, name));
        out.push({ path: join(dir, name), size: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // evicted by another process meanwhile
      }
    }
    return out;
  };
  const evict = (): void => {
    const all = entries().sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = all.reduce((s, e) => s + e.size, 0);
    for (const e of all) {
      if (total <= maxBytes) break;
      rmSync(e.path, { force: true });
      total -= e.size;
    }
  };
  return {
    dir,
    get(key) {
      const path = fileOf(key);
      let buf: Buffer;
      try {
        buf = readFileSync(path);
      } catch {
        return null;
      }
      const arrays = decode(buf, key);
      if (!arrays) {
        rmSync(path, { force: true }); // damaged: the next writer replaces it
        return null;
      }
      try {
        const now = new Date();
        utimesSync(path, now, now); // recently used
      } catch {
        // evicted meanwhile: we have the data anyway
      }
      return arrays;
    },
    put(key, arrays) {
      const tmp = tempOf();
      try {
        mkdirSync(dir, { recursive: true });
        const fd = openSync(tmp, "w");
        try {
          for (const part of encode(key, arrays)) writeSync(fd, part);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, fileOf(key));
        evict();
      } catch {
        unlinkQuietly(tmp);
      }
    },
    putInBackground(key, arrays) {
      const tmp = tempOf();
      let fd: number;
      try {
        mkdirSync(dir, { recursive: true });
        fd = openSync(tmp, "w");
      } catch {
        return;
      }
      const parts = encode(key, arrays);
      const total = parts.reduce((s, p) => s + p.length, 0);
      let settle = (): void => {};
      pending.push(new Promise<void>((resolve) => (settle = resolve)));
      writev(fd, parts, (err, written) => {
        try {
          closeSync(fd);
          if (err || written !== total) throw err ?? new Error("short write");
          renameSync(tmp, fileOf(key));
          evict();
        } catch {
          unlinkQuietly(tmp);
        } finally {
          settle();
        }
      });
    },
    async whenWritten() {
      while (pending.length) await pending.shift();
    },
    stats() {
      const all = entries();
      return { dir, files: all.length, bytes: all.reduce((s, e) => s + e.size, 0), maxBytes };
    },
    clear() {
      const all = entries();
      for (const e of all) rmSync(e.path, { force: true });
      return all.length;
    },
  };
}

/** Remove a temp file that may not exist (never created, or already renamed). */
function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // nothing to remove
  }
}

function envMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.PRUNE_SENSE_CACHE_MAX_BYTES);
  return Number.isFinite(v) && v >= 0 ? v : DEFAULT_CACHE_MAX_BYTES;
}

/** Whether the cache is switched off for this process and its workers (`--no-cache` sets PRUNE_SENSE_CACHE=off). */
export function cacheDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.PRUNE_SENSE_CACHE === "off";
}
