/** `prune-sense run CONFIG`: plan, run (resumably, in parallel, optionally one shard), summarize. */
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { ConfigError, UsageError } from "../../errors.js";
import { missingConfigLine } from "../starter.js";
import { ensureWritableDir } from "../../output/atomic.js";
import { defaultOutDir } from "../../output/folder.js";
import { parseOverrides } from "../../sweep/expand.js";
import { describeSwept, planConfigFile } from "../../sweep/plan.js";
import { estimateRunMemory, jobsWithinMemory, LIMIT_OPTIONS, limitsFromOptions } from "../../sweep/limits.js";
import { parseShard, runSweep, shardRuns, summaryFileName } from "../../sweep/run-sweep.js";
import { takeStartedWorkers } from "../../sweep/early.js";
import { EarlyWorker, WORKER_URL, workersAvailable } from "../../sweep/launch.js";
import { createProgressView } from "../progress.js";
import { sweepEndLines } from "../report.js";
import { collect, parsePositiveInt, type Io } from "../io.js";
import { onInterrupt } from "../signals.js";
import { releaseAllClaims } from "../../output/run-claims.js";

/** Most diagnostic lines printed after a sweep; the rest are counted (each run's result.json has its own). */
export const MAX_DIAGNOSTIC_LINES = 5;

/** The runs' diagnostics (not separated, nothing kept), one line each, run id first, at most MAX_DIAGNOSTIC_LINES. */
export function diagnosticLines(records: ReadonlyArray<{ run_id: string; diagnostics?: string[] }>): string[] {
  const all = records.flatMap((r) => (r.diagnostics ?? []).map((d) => `${r.run_id}: ${d}`));
  if (all.length <= MAX_DIAGNOSTIC_LINES) return all;
  return [...all.slice(0, MAX_DIAGNOSTIC_LINES - 1), `… and ${all.length - MAX_DIAGNOSTIC_LINES + 1} more diagnostics (see diagnostics in each run's result.json)`];
}

export function registerRun(program: Command, io: Io): void {
  program
    .command("run")
    .description("train → prune → fine-tune every run of a config (a sweep if it has one)")
    .argument("<config>", "YAML or JSON config file")
    .option("-o, --out <dir>", "output folder (default: results/<name>)")
    .option("-s, --set <key=value>", "override a key; a comma list sweeps it (repeatable)", collect, [])
    .option("--unset <key>", "remove a key (its default applies; an option turns off), like --set KEY=null (repeatable)", collect, [])
    .option("-j, --jobs <n>", "runs at once on worker threads (default: number of CPUs)", parsePositiveInt("--jobs"))
    .option("--shard <i/n>", "run only the i-th of n disjoint slices of the runs (for job arrays)")
    .option("-f, --force", "re-run runs whose results are already complete")
    .option("--dry-run", "print the expanded runs (id and swept values) and exit")
    .option("--plugin <path>", "load a plug-in module (.mjs) besides the config's plugins: (repeatable; docs/plugins.md)", collect, [])
    .option(...LIMIT_OPTIONS.maxMemory)
    .option(...LIMIT_OPTIONS.maxRuns)
    .option("--no-cache", "neither read nor write the data/moments cache ($XDG_CACHE_HOME/prune-sense)")
    .addHelpText(
      "after",
      `
Examples:
  $ prune-sense run configs/default.yaml
  $ prune-sense run configs/default.yaml --set train.lambda=0,0.01,0.1 --set seed=1,2,3
  $ prune-sense run configs/sweep-k-lambda-eps.yaml --jobs 2 --out /tmp/sweep
  $ prune-sense run configs/sweep-k-lambda-eps.yaml --shard $SLURM_ARRAY_TASK_ID/4`,
    )
    .action(async (configPath: string, opts: { plugin: string[]; out?: string; set: string[]; unset: string[]; jobs?: number; shard?: string; force?: boolean; dryRun?: boolean; maxMemory?: string; maxRuns?: string; cache: boolean }) => {
      const started = Date.now();
      // read by the data cache in this thread and in the workers (those made below inherit the
      // environment when created, so this comes first; those bin/ started share it)
      if (!opts.cache) process.env.PRUNE_SENSE_CACHE = "off";
      // runs go to worker threads (this thread stays free for signals and progress): they start now,
      // loading (~0.15 s) while the config is read and planned: as many as --jobs asks (at most a
      // core each), else one, and the others once the plan says how many runs there are
      // (bin/prune-sense.js may have started some before the program loaded: taken first)
      const early: EarlyWorker[] = takeStartedWorkers().map((started) => new EarlyWorker(WORKER_URL, started));
      if (opts.dryRun) for (const w of early.splice(0)) w.end();
      const startWorkers = (n: number): void => {
        if (opts.dryRun || !workersAvailable()) return;
        while (early.length < Math.min(n, availableParallelism())) early.push(new EarlyWorker());
      };
      startWorkers(opts.jobs ?? 1);
      const shard = opts.shard !== undefined ? parseShard(opts.shard) : null;
      const limits = limitsFromOptions(opts);
      // a bundled config's path or name given where only a clone has it: say how to get it
      const missing = missingConfigLine(configPath);
      if (missing) throw new ConfigError(missing);
      const plan = await planConfigFile(configPath, () => parseOverrides(opts.set, opts.unset), limits, opts.plugin);
      for (const w of plan.warnings) io.warn(w);
      const outDir = opts.out ?? defaultOutDir(plan.name);
      const mine = shardRuns(plan.runs, shard);
      if (opts.dryRun) {
        io.out(`${plan.runs.length} run${plan.runs.length === 1 ? "" : "s"}${shard ? ` (shard ${shard.index}/${shard.count}: ${mine.length})` : ""} → ${outDir}`);
        for (const run of mine) io.out(`${String(run.index).padStart(4)}  ${run.id}  ${describeSwept(run.swept)}`);
        return;
      }
      if (mine.length === 0) throw new UsageError(`--shard ${opts.shard}: this shard has no runs (the sweep has ${plan.runs.length})`);
      ensureWritableDir(outDir);
      const wanted = opts.jobs ?? availableParallelism();
      const jobs = jobsWithinMemory(mine.map((r) => estimateRunMemory(r.config).bytes), wanted, limits.maxMemory);
      if (jobs < Math.min(wanted, mine.length)) io.info(`--jobs ${jobs} instead of ${wanted}: that many runs fit in the memory limit at once (--max-memory)`);
      startWorkers(Math.min(jobs, mine.length));
      // workers started for more jobs than will run (fewer runs, or --max-memory): ended now, not at the end
      for (const w of early.splice(Math.min(jobs, mine.length))) w.end();
      const view = createProgressView(mine.length);
      // Ctrl-C: finished runs are on disk (atomically); restore the terminal and say how to resume
      // (runs go to worker threads and lock waits poll, so this thread is free to answer at once)
      const stopListening = onInterrupt((signal) => {
        // runs this process claimed go back at once (other processes on the folder take them over)
        releaseAllClaims();
        view.stop();
        io.warn(`interrupted (${signal}): completed runs are kept in ${outDir}; run the same command again to resume`);
      });
      let outcome;
      try {
        outcome = await runSweep(plan, outDir, {
          jobs, force: Boolean(opts.force), shard, events: view, onNote: (line) => io.warn(line), workers: early,
          onWait: (n) => io.info(`waiting for ${n} run${n === 1 ? "" : "s"} that other processes writing ${outDir} are computing`),
        });
      } finally {
        view.stop();
        stopListening();
      }
      const file = summaryFileName(shard);
      if (outcome.skipped) io.info(`${outcome.skipped} complete run${outcome.skipped === 1 ? "" : "s"} skipped (resume; --force re-runs them)`);
      if (outcome.elsewhere) io.info(`${outcome.elsewhere} run${outcome.elsewhere === 1 ? "" : "s"} computed by other processes writing ${outDir}`);
      for (const line of sweepEndLines(outcome.records, plan.sweptKeys, outDir, file, (Date.now() - started) / 1000)) io.out(line);
      for (const line of diagnosticLines(outcome.records)) io.warn(line);
      const others = outcome.folderRuns - outcome.records.length;
      if (others > 0) io.info(`${outDir}/summary.csv also lists ${others} run${others === 1 ? "" : "s"} of other sweeps in this folder`);
      if (outcome.records.some((r) => r.status === "failed")) io.setExitCode(1);
    });
}
