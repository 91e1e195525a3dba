/**
 * How a sweep scales with worker threads: the wall time of
 * `prune-sense run CONFIG --jobs N` (a fresh output folder each time, the
 * process's start-up included, as a user meets it), median of a few repeats.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

export const BIN = new URL("../../bin/prune-sense.js", import.meta.url).pathname;
export const SCALING_CONFIG = new URL("../../configs/sweep-k-lambda-eps.yaml", import.meta.url).pathname;

export interface ScalingRow {
  jobs: number;
  seconds: number;
  /** seconds at jobs = 1 / seconds here. */
  speedup: number;
}

function timeSweep(config: string, jobs: number): number {
  const out = mkdtempSync(join(tmpdir(), "prune-sense-scaling-"));
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, "run", config, "--out", out, "--jobs", String(jobs)], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    if (r.status !== 0) throw new Error(`sweep with --jobs ${jobs} exited ${r.status}: ${r.stderr.trim().split("\n")[0]}`);
    return (performance.now() - t0) / 1000;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Median wall time of the sweep for each worker count (repeats interleaved, so
 * drift in the machine's speed hits every count alike).
 */
export function measureSweepScaling(config = SCALING_CONFIG, jobs: readonly number[] = [1, 2], repeats = 3): ScalingRow[] {
  const times = new Map<number, number[]>(jobs.map((j) => [j, []]));
  for (let i = 0; i < repeats; i++) for (const j of jobs) times.get(j)!.push(timeSweep(config, j));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(times.get(jobs[0])!);
  return jobs.map((j) => {
    const seconds = median(times.get(j)!);
    return { jobs: j, seconds, speedup: base / seconds };
  });
}

export function formatScaling(rows: readonly ScalingRow[], config: string): string {
  const lines = [`sweep ${config} (wall time, median):`, "jobs  seconds  speedup"];
  for (const r of rows) lines.push(`${String(r.jobs).padStart(4)}  ${r.seconds.toFixed(2).padStart(7)}  ${r.speedup.toFixed(2).padStart(6)}×`);
  return lines.join("\n");
}
