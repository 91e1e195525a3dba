/**
 * From a config file and --set overrides to the resolved list of runs: load,
 * check the shape, expand the sweep, resolve every run. Every error of every run
 * is collected before anything runs.
 */
import { ConfigError } from "../errors.js";
import { loadConfigFile } from "../config/load.js";
import { checkWrittenShape, resolveConfig } from "../config/resolve.js";
import type { ResolvedConfig } from "../config/resolved.js";
import { runId } from "../output/run-id.js";
import type { Scalar } from "../config/resolved.js";
import { expandRuns, type Override } from "./expand.js";
import { checkRunLimits, defaultLimits, type Limits } from "./limits.js";
import { loadPlugins, pluginPaths } from "../plugins/load.js";

export interface PlannedRun {
  /** Position in the sweep (0-based): the order of summary rows and the basis of --shard. */
  index: number;
  id: string;
  swept: Record<string, Scalar>;
  config: ResolvedConfig;
}

export interface SweepPlan {
  name: string;
  runs: PlannedRun[];
  sweptKeys: string[];
  warnings: string[];
}

/** Describe a run by its swept values, e.g. "model.k=10, seed=2". */
export function describeSwept(swept: Record<string, Scalar>): string {
  return Object.entries(swept).map(([k, v]) => `${k}=${v}`).join(", ");
}

/**
 * Plan the runs of a written config object.
 * @throws {ConfigError} every shape, sweep, formula and range problem, one line each.
 */
export function planRuns(written: unknown, overrides: readonly Override[] = [], limits: Limits = defaultLimits()): SweepPlan {
  const shape = checkWrittenShape(written);
  if (shape.length) {
    // report the formula and cross-field problems of the base config along with the shape ones
    const { sweep: _sweep, ...base } = (written ?? {}) as Record<string, unknown>;
    let more: string[] = [];
    try {
      resolveConfig(base);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      more = err.lines;
    }
    throw new ConfigError([...new Set([...shape, ...more])]);
  }
  const { plans, sweptKeys } = expandRuns(written as Record<string, unknown>, overrides, limits.maxRuns);
  const errors = new Map<string, string[]>();
  const warnings = new Set<string>();
  const runs: PlannedRun[] = [];
  for (const plan of plans) {
    try {
      const { config, warnings: w } = resolveConfig(plan.written);
      const over = checkRunLimits(config, limits);
      if (over.length) throw new ConfigError(over);
      w.forEach((x) => warnings.add(x));
      runs.push({ index: plan.index, id: runId(config), swept: plan.swept, config });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const line of err.lines) {
        const where = errors.get(line) ?? [];
        where.push(describeSwept(plan.swept));
        errors.set(line, where);
      }
    }
  }
  if (errors.size) {
    throw new ConfigError(
      [...errors].map(([line, where]) =>
        where.length === plans.length || where[0] === "" ? line : `${line} (in run ${where[0]}${where.length > 1 ? ` and ${where.length - 1} more` : ""})`,
      ),
    );
  }
  const seen = new Map<string, number>();
  for (const run of runs) {
    const first = seen.get(run.id);
    if (first !== undefined) warnings.add(`runs ${first} and ${run.index} have identical settings (run ${run.id}); it runs once`);
    else seen.set(run.id, run.index);
  }
  const unique = runs.filter((r) => seen.get(r.id) === r.index);
  return { name: runs[0]?.config.name ?? "default", runs: unique, sweptKeys, warnings: [...warnings] };
}

/** Plan the runs of a config file. @throws {ConfigError} */
export function planRunsFromFile(path: string, overrides: readonly Override[] = [], limits: Limits = defaultLimits()): SweepPlan {
  return planRuns(loadConfigFile(path), overrides, limits);
}

/**
 * Load the plug-ins a config file names (`plugins:`) and those of `--plugin` (`extra`), then plan
 * its runs. `overrides` is called once they are loaded (--set may name a plug-in's parameter).
 * @throws {PluginError} for a plug-in that cannot be loaded, {ConfigError} for the config.
 */
export async function planConfigFile(path: string, overrides: () => readonly Override[], limits: Limits = defaultLimits(), extra: readonly string[] = []): Promise<SweepPlan> {
  const written = loadConfigFile(path);
  await loadPlugins(pluginPaths(written, path, extra));
  return planRuns(written, overrides(), limits);
}
