/**
 * The batched workload: a 32-run λ sweep on one data set, the work an expert's
 * numpy does by stepping every run together (numpy_sufficient_stats.py
 * --batch 32: one matrix–matrix product per step). Both timed as whole
 * processes in this invocation, repeats interleaved: ours is `prune-sense run
 * CONFIG --jobs 2` with a fresh output folder and an empty moments cache (runs on
 * the same data step in lockstep, sweep/batches.ts). Reported in runs per second.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN } from "./sweep-scaling.js";
import { locateSufficientYardstick, median, numpyEnv, timeProcess, type WholeProcessReport } from "./whole-process.js";

/** Runs of the sweep (λ from 0 to 0.1): the yardstick's --batch. */
export const BATCHED_RUNS = 32;

/** The sweep, as numpy_sufficient_stats.py --d 20 --r 2 --k 40 --n 2000 --T1 3000 --T2 2000 --batch 32 computes it. */
export const BATCHED_SWEEP = {
  name: "bench-batched-sweep",
  seed: 3,
  problem: { kind: "matrix-sensing", d: 20, r: 2, kappa: 1, n: 2000, n_test: 500, noise: 0 },
  model: { k: 40, init_scale: 1e-3 },
  train: { lambda: 0.1, beta: 0.1, step_size: 0.05, steps: 3000 },
  prune: { threshold: 0.1 },
  finetune: { step_size: 0.05, steps: 2000 },
  log: { every: 100 },
  sweep: { "train.lambda": { from: 0, to: 0.1, num: BATCHED_RUNS } },
};

/** The yardstick's arguments for the same work. */
const NUMPY_ARGS = [
  "--task", "sensing", "--d", "20", "--r", "2", "--k", "40", "--n", "2000", "--n-test", "500", "--eta", "0.05",
  "--lam", "0.1", "--beta", "0.1", "--eps", "0.1", "--T1", "3000", "--T2", "2000", "--log-every", "100", "--seed", "3",
  "--batch", String(BATCHED_RUNS),
];

/** Worker threads of our side. */
const JOBS = 2;

export interface BatchedSweepReport {
  yardstick: WholeProcessReport["yardstick"];
  runs: number;
  jobs: number;
  repeats: number;
  /** Medians of the whole processes, seconds. */
  ours_s: number;
  numpy_s: number;
  ours_runs_per_s: number;
  numpy_runs_per_s: number;
  /** ours_s / numpy_s (below 1: faster). */
  ratio: number;
}

/** Time the batched workload both ways (numpy skipped when its yardstick is not there). */
export function measureBatchedSweep(options: { yardstick?: string | null; repeats?: number; onLine?: (line: string) => void } = {}): BatchedSweepReport {
  // five: the shared machine's timings drift by 10–20% within minutes, and numpy's start-up varies
  const repeats = options.repeats ?? 5;
  const yardstick = locateSufficientYardstick(options.yardstick);
  const dir = mkdtempSync(join(tmpdir(), "prune-sense-batched-"));
  try {
    const config = join(dir, "batched-sweep.json");
    writeFileSync(config, JSON.stringify(BATCHED_SWEEP));
    const ours: number[] = [], numpy: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const env = { ...process.env, NO_COLOR: "1", XDG_CACHE_HOME: mkdtempSync(join(dir, "cache-")) };
      ours.push(timeProcess(process.execPath, [BIN, "run", config, "--out", join(dir, `out-${i}`), "--jobs", String(JOBS)], env).seconds);
      if (yardstick.state === "ok") numpy.push(timeProcess("python3", [yardstick.path!, ...NUMPY_ARGS], numpyEnv()).seconds);
    }
    const o = median(ours), n = numpy.length ? median(numpy) : NaN;
    const report: BatchedSweepReport = {
      yardstick, runs: BATCHED_RUNS, jobs: JOBS, repeats, ours_s: o, numpy_s: n,
      ours_runs_per_s: BATCHED_RUNS / o, numpy_runs_per_s: BATCHED_RUNS / n, ratio: o / n,
    };
    options.onLine?.(`batched sweep: ours ${o.toFixed(2)} s, numpy --batch ${BATCHED_RUNS} ${Number.isFinite(n) ? `${n.toFixed(2)} s` : "skipped"}`);
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatBatchedSweep(r: BatchedSweepReport): string {
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : "—");
  return [
    `the batched workload: a ${r.runs}-run λ sweep on one data set (d = 20, k = 40, n = 2000, 3000 + 2000 steps), whole processes, median of ${r.repeats}:`,
    "side                                   seconds  runs/s",
    `prune-sense run --jobs ${r.jobs}                 ${f(r.ours_s).padStart(7)}  ${f(r.ours_runs_per_s).padStart(6)}`,
    `numpy_sufficient_stats.py --batch ${r.runs}   ${f(r.numpy_s).padStart(7)}  ${f(r.numpy_runs_per_s).padStart(6)}`,
    `ratio (ours / numpy): ${Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : "—"}` +
      (r.yardstick.state === "ok" ? "" : ` (numpy skipped: ${r.yardstick.reason})`),
  ].join("\n");
}
