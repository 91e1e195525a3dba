/**
 * How a sweep scales with worker threads: the wall time of
 * `prune-sense run CONFIG --jobs N` (a fresh output folder each time, the
 * process's start-up included, as a user meets it), median of a few repeats.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

export const BIN = new URL("../../bin/prune-sense.js", import.meta.url).pathname;
/** The sweep timed with --jobs 1 and 2, as the report names it (relative to the package). */
export const SCALING_CONFIG_NAME = "configs/sweep-k-lambda-eps.yaml";
export const SCALING_CONFIG = new URL(`../../${SCALING_CONFIG_NAME}`, import.meta.url).pathname;
/** How the report names the sweep over two data sets. */
export const TWO_DATA_LABEL = "of 16 runs over two data sets (bench/sweep-scaling.ts TWO_DATA_SWEEP)";

export interface ScalingRow {
  jobs: number;
  seconds: number;
  /** seconds at jobs = 1 / seconds here. */
  speedup: number;
}

/**
 * 16 runs over two data sets (2 seeds × 8 λ), about 5 s on one worker: each data
 * set's measurements and moments are made once, so two workers should each take
 * one data set (see sweep/launch.pickGroup) and finish in about half the time.
 */
export const TWO_DATA_SWEEP = {
  name: "bench-two-data-sets",
  seed: 1,
  problem: { kind: "matrix-sensing", d: 30, r: 3, n: 3000, n_test: 500 },
  model: { k: 60 },
  train: { lambda: 0.1, beta: 0.1, step_size: 0.05, steps: 1500 },
  prune: { threshold: 0.1 },
  finetune: { step_size: 0.05, steps: 500 },
  log: { every: 100 },
  sweep: { seed: [1, 2], "train.lambda": [0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.14, 0.16] },
};

/** TWO_DATA_SWEEP's scaling: written to a temp file, timed as measureSweepScaling times a config. */
export function measureTwoDataSweep(jobs: readonly number[] = [1, 2], repeats = 3): ScalingRow[] {
  const dir = mkdtempSync(join(tmpdir(), "prune-sense-two-data-"));
  try {
    const config = join(dir, "two-data-sets.json");
    writeFileSync(config, JSON.stringify(TWO_DATA_SWEEP));
    return measureSweepScaling(config, jobs, repeats);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall time of one sweep in a fresh output folder and a fresh (empty) moments cache: a first run, as a user meets it. */
function timeSweep(config: string, jobs: number): number {
  const out = mkdtempSync(join(tmpdir(), "prune-sense-scaling-"));
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, "run", config, "--out", join(out, "results"), "--jobs", String(jobs)], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", XDG_CACHE_HOME: join(out, "cache") },
      timeout: 10 * 60_000,
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
