/**
 * Running a planned sweep into a results folder: pick this shard's runs, skip
 * the complete ones (resume; damaged ones are run again), launch the rest, and
 * keep summary.csv current while runs land so an interrupted sweep loses
 * nothing. The folder may hold other sweeps and other writers: summary.csv
 * lists every complete run in it (see output/folder.ts). Processes sharing the
 * folder split its runs by claiming each group of runs right before it starts
 * (output/run-claims.ts): a run another process holds is left to it, waited
 * for, and counted once that process has written it.
 */
import { lstatSync } from "node:fs";
import { join } from "node:path";
import { ensureWritableDir } from "../output/atomic.js";
import { environmentErrorLine, isEnvironmentError } from "../output/fs-errors.js";
import { checkFolderLayout, cleanFolder, refreshSummary, refuseOtherStream, savePlan, type PlanFile } from "../output/folder.js";
import { folderLockBusy, whenFolderLockFree } from "../output/lock.js";
import { runDir, writeSummary, type RunRecord } from "../output/results.js";
import { inspectRunAnyForm } from "../output/run-id.js";
import { CLAIM_REFRESH_MS, claimHeld, claimRun, refreshClaims, releaseAllClaims, releaseRun, removeClaimsFolderIfEmpty } from "../output/run-claims.js";
import { problemKey } from "../pipeline/seeds.js";
import { UsageError, UserError } from "../errors.js";
import { batchGroups, byTraining, takeByGroup } from "./batches.js";
import { launchInProcess, launchOnWorkers, WORKER_URL, workersAvailable, type EarlyWorker, type LaunchEvents } from "./launch.js";
import type { PlannedRun, SweepPlan } from "./plan.js";

/** Shortest time between two refreshes of summary.csv while a sweep runs. */
export const SUMMARY_INTERVAL_MS = 1000;
/** …or this many times as long as the last refresh took, when that is longer. */
export const SUMMARY_COST_FACTOR = 20;

/** When the next refresh of summary.csv may come, after one that ran from `start` to `end` (ms). */
export function nextSummaryAt(start: number, end: number): number {
  return start + Math.max(SUMMARY_INTERVAL_MS, SUMMARY_COST_FACTOR * (end - start));
}

/** How often a process that waits for runs other processes hold looks at their claims again. */
export const CLAIM_POLL_MS = 100;

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/**
 * Parse "I/N" (1 ≤ I ≤ N).
 * @throws {UsageError} `--shard 3/2: expected I/N with 1 ≤ I ≤ N, e.g. --shard 1/4`
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard ${text}: expected I/N with 1 ≤ I ≤ N, e.g. --shard 1/4`);
  }
  return { index, count };
}

/** The runs of shard I/N: every N-th run by sweep position, so shards are disjoint and cover all. */
export function shardRuns(runs: readonly PlannedRun[], shard: Shard | null): PlannedRun[] {
  return shard ? runs.filter((r) => r.index % shard.count === shard.index - 1) : [...runs];
}

/** summary.csv, or summary-shard-I-of-N.csv for a shard (merge joins them). */
export function summaryFileName(shard: Shard | null): string {
  return shard ? `summary-shard-${shard.index}-of-${shard.count}.csv` : "summary.csv";
}

export interface SweepOptions {
  jobs: number;
  force: boolean;
  shard: Shard | null;
  /**
   * Run in the calling thread instead of on workers (tests, debugging). By default runs go to
   * worker threads, even a single one: the calling thread stays free to answer signals and draw
   * progress (in the TypeScript sources, where no worker script is built, they run here).
   */
  inProcess?: boolean;
  /** Workers started ahead of the launch (taken first; ended if the launch needs none). */
  workers?: readonly EarlyWorker[];
  events?: LaunchEvents & { onSkip?(run: PlannedRun): void };
  /** One line per notable thing about the folder (a damaged run run again) or the data cache (a fault: a miss). */
  onNote?(line: string): void;
  /** Every run left to do is held by other processes: this one waits for `runs` of them. */
  onWait?(runs: number): void;
}

export interface SweepOutcome {
  records: RunRecord[];
  /** Runs this process computed. */
  ran: number;
  skipped: number;
  /** Runs another process sharing the folder computed while this one ran (their claims held them). */
  elsewhere: number;
  /** Rows of the folder's summary.csv: this sweep's runs and those of other sweeps in the folder. */
  folderRuns: number;
}

/** The plan's shape saved beside the runs: what merge needs to order and label rows. */
export function planFile(plan: SweepPlan): PlanFile {
  return { name: plan.name, sweptKeys: plan.sweptKeys, runs: plan.runs.map((r) => ({ index: r.index, id: r.id, swept: r.swept })) };
}

/** Save the plan into the folder's sweeps/ (and as sweep.json, the latest). */
export function writePlanFile(outDir: string, plan: SweepPlan): void {
  savePlan(outDir, planFile(plan));
}

/**
 * A rough cost of a group in multiply-adds: a step costs about d²·k (UUᵀ and G·U).
 * Only the order of groups depends on it, never a result.
 */
function groupCost(group: readonly PlannedRun[]): number {
  const c = group[0].config;
  const d2 = c.problem.d * c.problem.d;
  return c.train.steps * d2 * c.model.k + group.length * c.finetune.steps * d2 * c.problem.r;
}

/**
 * Runs that train identically form a group (one worker trains once, then prunes
 * and fine-tunes each). Costliest groups first, so workers finish together
 * (longest-processing-time scheduling); equal costs keep runs on the same data adjacent.
 */
export function groupByTraining(runs: readonly PlannedRun[]): PlannedRun[][] {
  // each group's sort keys once, not per comparison (a 10,000-run sweep makes ~10⁵ comparisons)
  const keyed = byTraining(runs).map((group) => ({ group, cost: groupCost(group), data: problemKey(group[0].config) }));
  keyed.sort((a, b) => b.cost - a.cost || a.data.localeCompare(b.data) || a.group[0].index - b.group[0].index);
  return keyed.map((k) => k.group);
}

/**
 * Run a plan (or one shard of it) into `outDir`, resuming what is complete there.
 * @throws {UserError} when the folder cannot be written (checked before anything is written).
 */
export async function runSweep(plan: SweepPlan, outDir: string, o: SweepOptions): Promise<SweepOutcome> {
  try {
    return await sweep(plan, outDir, o);
  } finally {
    for (const w of o.workers ?? []) w.end();
  }
}

async function sweep(plan: SweepPlan, outDir: string, o: SweepOptions): Promise<SweepOutcome> {
  const mine = shardRuns(plan.runs, o.shard);
  const mineById = new Map(mine.map((run) => [run.id, run]));
  // nothing is written (not even the plan) until the folder has taken a real write
  ensureWritableDir(outDir);
  checkFolderLayout(outDir);
  refuseOtherStream(outDir, "resuming into it");
  cleanFolder(outDir);
  // a live writer may hold the folder lock for long: wait for it without blocking this thread
  await whenFolderLockFree(outDir);
  writePlanFile(outDir, plan);
  const done = new Map<number, RunRecord>();
  const todo: PlannedRun[] = [];
  for (const run of mine) {
    const state = o.force ? null : inspectRunAnyForm(outDir, run.id);
    if (state?.state === "complete") {
      // the folder may hold it from an earlier sweep: label it as this one does
      done.set(run.index, { ...state.record, index: run.index, swept: run.swept });
      o.events?.onSkip?.(run);
    } else {
      if (state?.state === "damaged") o.onNote?.(`run ${run.id}: ${state.reason}; running it again`);
      todo.push(run);
    }
  }
  const skipped = done.size;
  let folderRuns = 0;
  const flush = (): void => {
    if (o.shard) writeSummary(outDir, [...done.values()], plan.sweptKeys, summaryFileName(o.shard));
    folderRuns = refreshSummary(outDir, [...done.values()]).length;
  };
  // summary.csv is a view of the result.json files (resume never reads it), so it is
  // refreshed at most every SUMMARY_INTERVAL_MS while runs land (or SUMMARY_COST_FACTOR times
  // as long as the last refresh took, when that is longer: a sweep of thousands of runs spends
  // at most ~5% of this thread, the one core's share the workers need, on it), and always at
  // the end; a refresh that fails mid-sweep (full disk) is retried then, and its error reported
  // there; one that would wait for another writer's lock is left to the next landing run or the end
  let nextFlush = 0;
  const flushSometimes = (): void => {
    if (Date.now() >= nextFlush && !folderLockBusy(outDir)) {
      const start = Date.now();
      try {
        flush();
      } catch (err) {
        if (!isEnvironmentError(err)) throw err;
      }
      nextFlush = nextSummaryAt(start, Date.now());
    }
  };
  if (skipped) flushSometimes();
  const started = Date.now();
  let elsewhere = 0;
  let ran = 0;
  /** Whether another process completed `run` since this sweep looked (then it is counted, not run again). */
  const doneElsewhere = (run: PlannedRun): boolean => {
    const state = inspectRunAnyForm(outDir, run.id);
    if (state.state !== "complete" || (o.force && !writtenSince(outDir, state.record.run_id, started))) return false;
    done.set(run.index, { ...state.record, index: run.index, swept: run.swept });
    elsewhere++;
    o.events?.onSkip?.(run);
    return true;
  };
  let held: PlannedRun[] = [];
  const noted = new Set<string>();
  const note = (line: string): void => {
    if (!noted.has(line)) o.onNote?.(line);
    noted.add(line);
  };
  /** The runs of `group` this process claims now; those a live owner holds go to `held`. */
  const take = (group: readonly PlannedRun[]): PlannedRun[] => {
    const got: PlannedRun[] = [];
    for (const [i, run] of group.entries()) {
      let claim;
      try {
        claim = claimRun(outDir, run.id);
      } catch (err) {
        if (!isEnvironmentError(err)) throw err;
        // no claim can be written (a full disk): run it anyway, as before claims (the work may be doubled, never lost)
        note(`${environmentErrorLine(err)}; running without claims`);
        claim = { state: "unclaimed" } as const;
      }
      if (claim.state === "held") {
        // another process has started this group (it trains once for all of it): leave it the rest
        if (got.length === 0) {
          held.push(...group.slice(i));
          return [];
        }
        held.push(run);
        continue;
      }
      if (claim.state === "special") note(`${claim.line}; run ${run.id} goes on without a claim`);
      if (doneElsewhere(run)) {
        releaseRun(outDir, run.id);
        continue;
      }
      got.push(run);
    }
    return got;
  };
  const events: LaunchEvents = {
    ...o.events,
    take,
    onDone(record, slot) {
      releaseRun(outDir, record.run_id);
      refreshClaims();
      ran++;
      const run = mineById.get(record.run_id)!;
      done.set(run.index, { ...record, index: run.index, swept: run.swept });
      flushSometimes();
      o.events?.onDone?.(record, slot);
    },
    onNote: (line) => o.onNote?.(line),
  };
  // claims of long groups stay fresh for other hosts (the in-process launcher refreshes between runs)
  const beat = setInterval(() => refreshClaims(), CLAIM_REFRESH_MS);
  beat.unref();
  try {
    let pending = todo;
    while (pending.length) {
      const groups = groupByTraining(pending);
      await untilSomeGroupFree(outDir, groups, o.onWait);
      held = [];
      const inProcess = o.inProcess || !workersAvailable();
      // groups on the same data go to one worker together and step in lockstep
      const batches = batchGroups(groups, inProcess ? 1 : o.jobs);
      const batchEvents: LaunchEvents = { ...events, take: takeByGroup(take) };
      if (inProcess) await launchInProcess(batches, outDir, batchEvents);
      else await launchOnWorkers(batches, outDir, o.jobs, batchEvents, (g) => problemKey(g[0].config), WORKER_URL, o.workers);
      pending = held.filter((run) => !doneElsewhere(run));
    }
  } finally {
    clearInterval(beat);
    releaseAllClaims();
    removeClaimsFolderIfEmpty(outDir);
  }
  await whenFolderLockFree(outDir);
  flush();
  const records = [...done.values()].sort((a, b) => a.index - b.index);
  const unsaved = records.filter((r) => r.unsaved);
  if (unsaved.length) {
    // the sweep went on and summary.csv lists them as failed; the command still ends as a user error
    throw new UserError(
      `${unsaved.length} run${unsaved.length === 1 ? "" : "s"} could not be saved (${unsaved[0].unsaved}); ` +
        "make room or fix the folder, then run the same command again to resume",
    );
  }
  return { records, ran, skipped, elsewhere, folderRuns };
}

/** Whether run `id`'s result.json was written at or after `since` (ms): by another process during this sweep. */
function writtenSince(outDir: string, id: string, since: number): boolean {
  try {
    return lstatSync(join(runDir(outDir, id), "result.json")).mtimeMs >= since;
  } catch {
    return false;
  }
}

/**
 * Resolve once some group has no run that a live owner holds (at once if one has none), polling
 * without blocking this thread: signals and progress are handled while other processes compute.
 * `onWait` hears how many runs it waits for, when it has to.
 */
async function untilSomeGroupFree(outDir: string, groups: readonly PlannedRun[][], onWait?: (runs: number) => void): Promise<void> {
  let told = false;
  while (!groups.some((g) => g.every((run) => !claimHeld(outDir, run.id)))) {
    if (!told) onWait?.(groups.reduce((n, g) => n + g.length, 0));
    told = true;
    await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
  }
}
