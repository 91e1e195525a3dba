/**
 * Who wrote a temp or lock file, and whether that writer is provably gone.
 * Temp and lock files name their owner (host and pid) so that a crashed
 * writer's leftovers can be cleaned without touching a live writer's files,
 * also when several machines share one folder (NFS, a Slurm cluster).
 */
import { hostname } from "node:os";

/** This machine's name, made safe for file names (no separators). */
export const HOST = hostname().replace(/[^A-Za-z0-9.]+/g, "_") || "host";

/** Files of another machine are stale only once older than this (we cannot ask its kernel). */
export const FOREIGN_STALE_MS = 60 * 60 * 1000;

/** True if a process with this pid runs on this machine (EPERM: it exists but is not ours). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether the owner of a file is provably gone: on this host, its pid is dead;
 * on another host, the file is older than FOREIGN_STALE_MS.
 */
export function ownerGone(host: string, pid: number, ageMs: number): boolean {
  if (host === HOST) return pid !== process.pid && !pidAlive(pid);
  return ageMs > FOREIGN_STALE_MS;
}
