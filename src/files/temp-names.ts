/**
 * Temp-file names: `<target>.tmp-<host>-<pid>-<thread>.<n>`. The owner is in
 * the name so that only a dead writer's temp files are ever removed; the thread
 * keeps the names of a process's worker threads apart.
 */
import { threadId } from "node:worker_threads";
import { HOST } from "./owner.js";

/** Marker in temp-file names. */
export const TEMP_MARKER = ".tmp-";
let counter = 0;

/** A fresh temp name beside `path`, unique to this process. */
export function tempPathFor(path: string): string {
  return `${path}${TEMP_MARKER}${HOST}-${process.pid}-${threadId}.${counter++}`;
}

/** The owner of a temp file name, or null if the name is not one of ours. */
export function tempOwner(name: string): { host: string; pid: number } | null {
  const m = /\.tmp-(.+)-(\d+)-[\d.]+$/.exec(name);
  return m ? { host: m[1], pid: Number(m[2]) } : null;
}
