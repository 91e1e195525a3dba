/**
 * Who wrote a temp or lock file, and whether that writer is provably gone.
 * Temp and lock files name their owner (host and pid) so that a crashed
 * writer's leftovers can be cleaned without touching a live writer's files,
 * also when several machines share one folder (NFS, a Slurm cluster).
 */
import { readFileSync } from "node:fs";
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

/** Clock ticks per second of /proc/<pid>/stat's start time (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * When process `pid` started (ms since the epoch), from /proc on Linux; null
 * where that cannot be read (another system, or the process is gone).
 */
export function processStartMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after the command name (which may hold spaces) start at its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const startTicks = Number(fields[19]);
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
    if (!Number.isFinite(startTicks) || !Number.isFinite(bootSeconds)) return null;
    return bootSeconds * 1000 + (startTicks / USER_HZ) * 1000;
  } catch {
    return null;
  }
}

/**
 * Whether the owner of a file is provably gone: on this host, its pid is dead,
 * or the pid now belongs to a process that started after the file was last
 * written (the pid was reused: also by this very process, say pid 1 of a restarted
 * container); on another host, the file is older than FOREIGN_STALE_MS.
 */
export function ownerGone(host: string, pid: number, ageMs: number): boolean {
  if (host !== HOST) return ageMs > FOREIGN_STALE_MS;
  if (!pidAlive(pid)) return true;
  // this process knows its own start exactly, on every system
  const started = pid === process.pid ? Date.now() - process.uptime() * 1000 : processStartMs(pid);
  // 2 s of slack: btime and the tick count are coarse
  return started !== null && started > Date.now() - ageMs + 2000;
}
