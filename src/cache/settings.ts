/**
 * The cache's settings from the environment: where it lives, how big it may
 * grow, whether it is off. Read by the CLI at start-up (a bad value is a user
 * error before any work, as for PRUNE_SENSE_THREADS), so this file stays small:
 * no file system, no hashing.
 */
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { BYTE_SIZE_EXAMPLES, readByteSize } from "../units/bytes.js";

/** Default size limit of the cache folder: 2 GiB. */
export const DEFAULT_CACHE_MAX_BYTES = 2 * 1024 ** 3;

/**
 * $XDG_CACHE_HOME/prune-sense, else ~/.cache/prune-sense. A relative
 * XDG_CACHE_HOME is ignored, as the XDG Base Directory spec says (it would
 * put the cache wherever the command happens to run).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".cache");
  return join(base, "prune-sense");
}

/**
 * PRUNE_SENSE_CACHE_MAX_BYTES read with --max-memory's syntax (512M, 8G, 1e9),
 * DEFAULT_CACHE_MAX_BYTES when unset, else the `problem` in one line. Empty or
 * 0 is a problem too, not "no cache": PRUNE_SENSE_CACHE=off says that.
 */
export function readCacheMaxBytes(value: string | undefined): { bytes: number; problem: null } | { bytes: null; problem: string } {
  if (value === undefined) return { bytes: DEFAULT_CACHE_MAX_BYTES, problem: null };
  const bytes = readByteSize(value);
  if (bytes !== null) return { bytes: Math.floor(bytes), problem: null };
  return { bytes: null, problem: `PRUNE_SENSE_CACHE_MAX_BYTES=${value}: expected ${BYTE_SIZE_EXAMPLES} (unset: 2G; PRUNE_SENSE_CACHE=off turns the cache off)` };
}

/** Why the cache settings of `env` cannot be used, or null. The CLI reports it as a user error before doing anything. */
export function cacheSettingsProblem(env: NodeJS.ProcessEnv = process.env): string | null {
  return readCacheMaxBytes(env.PRUNE_SENSE_CACHE_MAX_BYTES).problem;
}

/** Whether the cache is switched off for this process and its workers (`--no-cache` sets PRUNE_SENSE_CACHE=off). */
export function cacheDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.PRUNE_SENSE_CACHE === "off";
}
