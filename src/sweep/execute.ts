/**
 * Executing one planned run: get its problem (shared with earlier runs on the
 * same data), run the pipeline, write its files. Used by every launcher, in the
 * main thread or in a worker. Every run is its own failure domain: an exception
 * in the pipeline, an output that cannot be produced, or files that cannot be
 * written all become a `failed` record with the reason, never a crash.
 */
import { appendFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { ResolvedConfig } from "../config/resolved.js";
import { emptyMetrics, runPipelines, TrainingCache, type BatchRun, type ProgressListener, type RunResult } from "../pipeline/run.js";
import { Thrown } from "../pipeline/fused-descent.js";
import { byTraining } from "./batches.js";
import { dataStoreFor, takeCacheWarnings, whenCacheWritten } from "../pipeline/data-cache.js";
import { buildProblem, problemKey } from "../pipeline/seeds.js";
import type { Problem } from "../solvers/types.js";
import { injectTestBug } from "../errors.js";
import { draftRunFiles, unsavedRecord, writeRunFiles, type RunDraft, type RunRecord } from "../output/results.js";
import { environmentErrorLine, isEnvironmentError } from "../output/fs-errors.js";
import { currentProvenance } from "../package/provenance.js";
import { assertPluginsReady, pluginLabelOf, pluginStack } from "../plugins/load.js";
import type { PlannedRun } from "./plan.js";

/**
 * Problems by data key, most recent last. Runs sharing seed and problem.* reuse
 * the ground truth, the measurements and any moments built from them.
 */
export class ProblemCache {
  private readonly entries = new Map<string, Problem>();
  constructor(private readonly capacity = 3) {}

  get(cfg: ResolvedConfig): Problem {
    const key = problemKey(cfg);
    let problem = this.entries.get(key);
    if (problem) {
      this.entries.delete(key);
    } else {
      problem = buildProblem(cfg, dataStoreFor(cfg));
    }
    this.entries.set(key, problem);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return problem;
  }
}

/** What a launcher thread keeps between runs: problems (data) and trained states. */
export interface RunCaches {
  problems: ProblemCache;
  trainings: TrainingCache;
}

export function createRunCaches(): RunCaches {
  return { problems: new ProblemCache(), trainings: new TrainingCache() };
}

/**
 * Test hook: with `PRUNE_SENSE_TEST_COUNT_RUNS=<file>`, one line `<run id> <pid>` per pipeline
 * execution, appended with O_APPEND (one short write: lines of concurrent processes never mix),
 * so a test counts executions across processes. Without the variable this is a no-op.
 */
function countExecution(id: string): void {
  const file = process.env.PRUNE_SENSE_TEST_COUNT_RUNS;
  if (file) appendFileSync(file, `${id} ${process.pid}\n`);
}

/**
 * Run one planned run and write its files into outDir. `onNote` hears the data
 * cache's warnings (a damaged or unusable cache file: a miss, never a failure).
 */
export function executeRun(run: PlannedRun, outDir: string, caches: RunCaches, onProgress?: ProgressListener, onNote?: (line: string) => void): RunRecord {
  return executeBatch([run], outDir, caches, { onProgress: onProgress && (() => onProgress), onNote })[0];
}

/** What executeBatch tells its caller as runs start, progress and end. */
export interface BatchEvents {
  onStart?(run: PlannedRun): void;
  /** The progress listener of a run (called when the run starts). */
  onProgress?(run: PlannedRun): ProgressListener | undefined;
  onDone?(record: RunRecord): void;
  /**
   * With this, a run's files are drafted (written under temp names, output/results.ts draftRunFiles)
   * and handed here to be committed by another thread (launch.ts: the main thread flushes them while
   * this one goes on); onDone then hears only runs with nothing to commit (their files could not be
   * written). Without it, each run's files are written in place before onDone.
   */
  onDrafted?(draft: RunDraft): void;
  onNote?(line: string): void;
}

/** The failed result of a run whose pipeline threw `err`: an exception in a plug-in's code is named as such, with its stack. */
function failedResult(err: unknown): RunResult & { stack?: string } {
  const e = err as Error;
  const plugin = pluginLabelOf(err);
  const stack = pluginStack(err);
  const what = err instanceof Error ? `${e.name}: ${e.message}` : `threw ${String(err)}`;
  return {
    status: "failed", error: plugin ? `in plug-in ${plugin}: ${what}` : what, diverged_phase: "", diverged_step: null,
    metrics: emptyMetrics(), trace: [], columns: [], ...(stack ? { stack } : {}),
  };
}

/**
 * Run planned runs (normally all on one data set) and write each one's files into
 * outDir; the records, in the order of `runs`. Runs on the same data step in
 * lockstep (pipeline/run.ts runPipelines: each run's files are those it would
 * have alone). Runs that share their training go in successive waves, so each
 * training is done once: wave i holds the i-th run of every training.
 */
export function executeBatch(runs: readonly PlannedRun[], outDir: string, caches: RunCaches, events: BatchEvents = {}): RunRecord[] {
  const groups = byTraining(runs);
  const trainings = groups.length > 1 ? new TrainingCache(groups.length) : caches.trainings;
  const records = new Map<PlannedRun, RunRecord>();
  const depth = Math.max(...groups.map((list) => list.length));
  for (let w = 0; w < depth; w++) {
    const wave = groups.filter((list) => list.length > w).map((list) => list[w]);
    const t0 = performance.now();
    const results = new Map<PlannedRun, RunResult & { stack?: string }>();
    const batch: BatchRun[] = [];
    const inBatch: PlannedRun[] = [];
    for (const run of wave) {
      countExecution(run.id);
      events.onStart?.(run);
      try {
        injectTestBug("run");
        assertPluginsReady();
        // the runs of a wave step in lockstep: the first one's progress stands for all (one bar per worker)
        const onProgress = batch.length === 0 ? events.onProgress?.(run) : undefined;
        batch.push({ cfg: run.config, problem: caches.problems.get(run.config), onProgress });
        inBatch.push(run);
      } catch (err) {
        results.set(run, failedResult(err));
      }
    }
    runPipelines(batch, trainings).forEach((r, i) => results.set(inBatch[i], r instanceof Thrown ? failedResult(r.error) : r));
    // a run's seconds: its share of the wave's time
    const seconds = Number(((performance.now() - t0) / 1000 / wave.length).toFixed(3));
    for (const run of wave) {
      const result = results.get(run)!;
      const record: RunRecord = {
        run_id: run.id, index: run.index, swept: run.swept, status: result.status, error: result.error,
        diverged_phase: result.diverged_phase, diverged_step: result.diverged_step, metrics: result.metrics,
        seconds, config: run.config,
        provenance: currentProvenance(),
        ...(result.diagnostics ? { diagnostics: result.diagnostics } : {}),
        ...(result.stack ? { error_stack: result.stack } : {}),
      };
      for (const line of takeCacheWarnings()) events.onNote?.(line);
      const saved = saveRun(outDir, record, result, events.onDrafted ? draftRunFiles : writeRunFiles);
      if (isDraft(saved)) {
        records.set(run, saved.record);
        events.onDrafted!(saved);
      } else {
        records.set(run, saved);
        events.onDone?.(saved);
      }
    }
  }
  return runs.map((run) => records.get(run)!);
}

/** Once this thread's cache files are written (or given up): the warnings of those writes. */
export async function lastCacheNotes(): Promise<string[]> {
  await whenCacheWritten();
  return takeCacheWarnings();
}

/**
 * Write a run's files (`write`: in place, or a draft for another thread to commit). An output
 * that cannot be produced (a trace too long for one string) is a result: the run is saved as
 * `failed` with the reason. Files that cannot be written (full disk, read-only folder) leave
 * the run incomplete on disk (resume runs it again) and `failed` in this sweep's summary.
 */
function saveRun(
  outDir: string, record: RunRecord, result: Pick<RunResult, "trace" | "columns">,
  write: (outDir: string, record: RunRecord, result: Pick<RunResult, "trace" | "columns">) => RunRecord | RunDraft,
): RunRecord | RunDraft {
  try {
    return write(outDir, record, result);
  } catch (err) {
    if (isEnvironmentError(err)) return unsavedRecord(record, environmentErrorLine(err));
    const failed: RunRecord = {
      ...record, status: "failed", error: `outputs could not be produced: ${(err as Error).message}`,
      diverged_phase: "", diverged_step: null,
    };
    try {
      const saved = write(outDir, failed, { trace: [], columns: [] });
      if (isDraft(saved)) saved.fallback = true;
      return saved;
    } catch (again) {
      if (isEnvironmentError(again)) return unsavedRecord(failed, environmentErrorLine(again), true);
      throw again;
    }
  }
}

function isDraft(saved: RunRecord | RunDraft): saved is RunDraft {
  return "base" in saved;
}
