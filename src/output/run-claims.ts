/**
 * Run claims: how processes sharing a results folder (N times on one machine,
 * or N machines on a shared folder) split its runs with no coordinator. Before
 * a process starts a run it creates `DIR/.claims/<run id>` with O_EXCL, holding
 * its owner like the folder lock (owned-file.ts); it removes the claim once the
 * run's files are written (or the run failed and was recorded). Another process
 * leaves a run with a live claim alone and waits for it; a claim whose owner is
 * provably gone (dead pid on this host; on another host, not refreshed for
 * FOREIGN_STALE_MS) is broken and the run taken over.
 *
 * The claims live in their own dot folder, not in runs/: every reader of runs/
 * (status, merge, summary, older versions) sees run folders only, and, like
 * `.lock`, coordination state stays out of sight beside the results.
 *
 * A claim held longer than FOREIGN_STALE_MS (a long training group) is
 * refreshed (its mtime touched) every CLAIM_REFRESH_MS, so another host never
 * takes a live owner's runs for abandoned.
 */
import { readdirSync, rmdirSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { FOREIGN_STALE_MS, HOST } from "../files/owner.js";
import { breakOwnedFile, createOwnedFile, ownedFileStale, readOwnedFile, removeOwnedFile, type FileOwner, type OwnedFileInfo } from "./owned-file.js";
import { makeFolder, SpecialFileError } from "../files/special-files.js";
import { TEMP_MARKER } from "../files/temp-names.js";

/** The folder of the claims, in a results folder. */
export const CLAIMS_DIR = ".claims";

/** How often a held claim's mtime is refreshed: well within FOREIGN_STALE_MS, so a live claim never looks abandoned. */
export const CLAIM_REFRESH_MS = FOREIGN_STALE_MS / 4;

export function claimPath(dir: string, id: string): string {
  return join(dir, CLAIMS_DIR, id);
}

/**
 * What trying to claim a run gives: `mine` (created, or a stale one taken over), `held` (a live
 * owner has it), or `special` (a FIFO, a link… is there, or a gone owner's claim that cannot be
 * removed: never opened nor removed; the caller runs the run without a claim rather than wait for nobody).
 */
export type ClaimOutcome = { state: "mine" } | { state: "held"; owner: FileOwner | null } | { state: "special"; line: string };

/** Claims this process holds: path → when last refreshed (ms). */
const held = new Map<string, number>();

/**
 * Whether the claim at `path` has a live owner (not this thread: it asks only about claims it does
 * not hold), else the inode of the stale claim there, if any.
 * @throws {SpecialFileError} when a special file is there (the callers decide what that means).
 */
function liveOwner(path: string): { live: true; owner: FileOwner | null } | { live: false; stale?: OwnedFileInfo } {
  const info = readOwnedFile(path, "no prune-sense made it");
  if (!info) return { live: false };
  if (!ownedFileStale(info.owner, info.ageMs)) return { live: true, owner: info.owner };
  return { live: false, stale: info };
}

/**
 * Claim run `id` of results folder `dir` (see ClaimOutcome). A stale claim is broken and taken over.
 * @throws the errno error when the claim cannot be written (ENOSPC, EACCES, …).
 */
export function claimRun(dir: string, id: string): ClaimOutcome {
  const path = claimPath(dir, id);
  if (held.has(path)) return { state: "mine" };
  // a stale claim that cannot be removed (a folder we may not change) must not spin: after a few tries, no claim
  for (let attempt = 0; ; attempt++) {
    if (attempt === 5) return { state: "special", line: `${path}: a claim whose owner is gone, that cannot be removed (left as it is)` };
    let made: boolean;
    try {
      made = createOwnedFile(path);
    } catch (err) {
      // the folder is made lazily and removed when empty (by any writer): make it again
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      makeFolder(join(dir, CLAIMS_DIR));
      continue;
    }
    if (made) {
      held.set(path, Date.now());
      return { state: "mine" };
    }
    let found;
    try {
      found = liveOwner(path);
    } catch (err) {
      if (err instanceof SpecialFileError) return { state: "special", line: `${path}: is ${err.kind}, not a claim of prune-sense (left as it is)` };
      throw err;
    }
    if (found.live) return { state: "held", owner: found.owner };
    if (found.stale !== undefined) breakOwnedFile(path, found.stale);
  }
}

/** Whether a live owner (another process, or another host within FOREIGN_STALE_MS) holds run `id`'s claim now. */
export function claimHeld(dir: string, id: string): boolean {
  const path = claimPath(dir, id);
  if (held.has(path)) return false;
  try {
    return liveOwner(path).live;
  } catch {
    return false; // a special file is no claim
  }
}

/** Give up the claim of run `id` (if this process holds it). */
export function releaseRun(dir: string, id: string): void {
  const path = claimPath(dir, id);
  if (!held.delete(path)) return;
  removeOwnedFile(path);
}

/** Give up every claim this process holds (a sweep that ends early, a signal). */
export function releaseAllClaims(): void {
  for (const path of [...held.keys()]) {
    held.delete(path);
    removeOwnedFile(path);
  }
}

/** Touch the claims this process has held for CLAIM_REFRESH_MS since their last refresh (see the module comment). */
export function refreshClaims(now = Date.now()): void {
  for (const [path, last] of held) {
    if (now - last < CLAIM_REFRESH_MS) continue;
    held.set(path, now);
    try {
      // only our own: a breaker may have replaced it (then it is lost, and not refreshed)
      const owner = readOwnedFile(path)?.owner;
      if (owner && owner.pid === process.pid && owner.host === HOST) utimesSync(path, now / 1000, now / 1000);
    } catch {
      // gone or not a file: nothing to refresh
    }
  }
}

/**
 * Remove the claims of `dir` whose owner is provably gone (a process killed after its run was
 * complete leaves a claim no one would otherwise look at again), then the folder if it is empty.
 * Live claims, this process's own and special files are left alone.
 */
export function removeStaleClaims(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(join(dir, CLAIMS_DIR));
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, CLAIMS_DIR, name);
    if (held.has(path) || name.includes(TEMP_MARKER)) continue;
    try {
      const info = readOwnedFile(path);
      if (info && ownedFileStale(info.owner, info.ageMs)) breakOwnedFile(path, info);
    } catch {
      // a special file is no claim of ours
    }
  }
  removeClaimsFolderIfEmpty(dir);
}

/** Remove the claims folder of `dir` when it is empty (another writer's new claim keeps it). */
export function removeClaimsFolderIfEmpty(dir: string): void {
  try {
    rmdirSync(join(dir, CLAIMS_DIR));
  } catch {
    // not empty, absent, or not ours to remove
  }
}
