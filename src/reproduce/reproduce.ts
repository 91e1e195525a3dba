/**
 * `prune-sense reproduce`: run every config of configs/paper/ (resumably), plot
 * each results folder, check the paper's claims against the runs, and write
 * REPORT.md and report.html into the output folder.
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { UserError } from "../errors.js";
import { packagePath, PAPER_CONFIGS_DIR } from "../package/assets.js";
import { ensureWritableDir } from "../output/atomic.js";
import { refuseSpecialTarget } from "../files/special-files.js";
import { plotResults, type FigureFile } from "../figures/index.js";
import { loadColumns } from "../figures/results.js";
import type { RunRecord } from "../output/results.js";
import type { LaunchEvents } from "../sweep/launch.js";
import { parseOverrides } from "../sweep/expand.js";
import { planRunsFromFile, type PlannedRun } from "../sweep/plan.js";
import { runSweep } from "../sweep/run-sweep.js";
import { CLAIMS, EVERY_CONFIG, type Claim, type ClaimInput, type ClaimOutcome } from "./claims.js";
import { plotMethodComparison } from "./method-figures.js";
import { writeClaimFigures } from "./claim-figures.js";
import { reportPaths, writeReports } from "./report.js";
import type { ClaimResult, ConfigResult, Reproduction } from "./reproduction.js";

export type { ClaimResult, ConfigResult, Reproduction };
import { currentProvenance } from "../package/provenance.js";

/** The bundled claim configs, wherever the command is run from. */
export const PAPER_CONFIGS = PAPER_CONFIGS_DIR;
/** The bundled method comparisons (penalties, SGD, asymmetric sensing), run after the paper's. */
export const METHODS_CONFIGS = packagePath("configs", "methods");

/**
 * The --quick size (for CI): fewer seeds and sample sizes, the same claims.
 * Each entry is a list of --set overrides for configs/paper/NAME.yaml.
 */
export const QUICK_OVERRIDES: Record<string, string[]> = {
  pruning: ["seed=1,2,3"],
  "kept-grid": ["seed=1,2"],
  // slope claims: a bootstrap interval needs at least 3 seeds (claims.ts MIN_SLOPE_SEEDS)
  generalization: ["problem.n=500,8000", "seed=1,2,3"],
  conditioning: ["problem.kappa=1,3", "seed=1,2"],
  "top-r": ["seed=1,2"],
  // the widest σ range and 5 seeds: with σ ∈ {0.1, 0.4} and 3 seeds the interval is ~0.6 wide (measured [1.57, 2.14])
  noise: ["problem.noise=0.05,0.4", "seed=1,2,3,4,5"],
  gap: ["seed=1,2"],
  separation: ["train.lambda=0.025,0.1", "seed=1,2,3"],
  penalties: ["seed=1,2,3"],
  sgd: ["seed=1,2"],
  asymmetric: ["seed=1,2"],
};

export interface ReproduceOptions {
  configsDir?: string;
  outDir: string;
  quick: boolean;
  jobs: number;
  /** Progress of each config's sweep (the CLI draws bars from these). */
  progress?: (config: string, runs: number) => LaunchEvents & { onSkip?(run: PlannedRun): void; stop?(): void };
  onLine?: (line: string) => void;
  /** The command line, for the report's header (default: the equivalent `prune-sense reproduce …`). */
  command?: string;
  /** Run every sweep in the calling thread instead of on workers (tests; results are the same). */
  inProcess?: boolean;
}

/**
 * What a claim over every config reads: all records, each run's config by its
 * record (two configs can hold the same run, under the same id).
 */
function everyConfigInput(configs: ConfigResult[]): ClaimInput {
  const owner = new Map<RunRecord, ConfigResult>();
  for (const c of configs) for (const r of c.records) owner.set(r, c);
  const dirOf = new Map<string, string>();
  for (const c of configs) for (const r of c.records) dirOf.set(r.run_id, c.dir);
  return {
    records: configs.flatMap((c) => c.records),
    trainedNorms: (id) => {
      const dir = dirOf.get(id);
      return dir ? (loadColumns(dir, id) ?? []).filter((x) => x.stage === "trained").map((x) => x.norm) : [];
    },
    configOf: (r) => owner.get(r)?.name ?? "?",
  };
}

export async function reproduce(o: ReproduceOptions): Promise<Reproduction> {
  const configsDirs = o.configsDir ? [o.configsDir] : [PAPER_CONFIGS, METHODS_CONFIGS];
  for (const dir of configsDirs) if (!existsSync(dir)) throw new UserError(`${dir}: no such folder of claim configs`);
  const named = configsDirs.flatMap((dir) =>
    readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => ({ file: join(dir, f), name: basename(f).replace(/\.ya?ml$/, "") })).sort((a, b) => a.name.localeCompare(b.name)));
  // plan everything first: a bad config fails before any run starts
  const plans = named.map(({ file, name }) => ({ name, plan: planRunsFromFile(file, parseOverrides(o.quick ? QUICK_OVERRIDES[name] ?? [] : [])) }));
  ensureWritableDir(o.outDir);
  // a report that could not be written (a FIFO, a device, a link there): said before the runs, not after
  for (const file of Object.values(reportPaths(o.outDir))) refuseSpecialTarget(file);
  const configs: ConfigResult[] = [];
  for (const { name, plan } of plans) {
    const dir = join(o.outDir, name);
    o.onLine?.(`${name}: ${plan.runs.length} runs → ${dir}`);
    const view = o.progress?.(name, plan.runs.length);
    let outcome;
    try {
      outcome = await runSweep(plan, dir, { jobs: o.jobs, force: false, shard: null, inProcess: o.inProcess, events: view, onNote: o.onLine });
    } finally {
      view?.stop?.();
    }
    const figures = await plotResults(dir, { outDir: join(o.outDir, "figures", name) });
    figures.push(...(await writeClaimFigures(name, outcome.records, join(o.outDir, "figures", name))));
    figures.push(...(await plotMethodComparison(dir, outcome.records, join(o.outDir, "figures", name))));
    configs.push({ name, dir, records: outcome.records, figures });
  }
  const claims = CLAIMS.map((claim): ClaimResult => {
    if (claim.config === EVERY_CONFIG) return { claim, ...claim.check(everyConfigInput(configs)) };
    const config = configs.find((c) => c.name === claim.config);
    if (!config) return { claim, measured: `no claim config named ${claim.config}.yaml`, holds: false };
    const trainedNorms = (id: string) =>
      (loadColumns(config.dir, id) ?? []).filter((c) => c.stage === "trained").map((c) => c.norm);
    return { claim, ...claim.check({ records: config.records, trainedNorms, configOf: () => config.name }) };
  });
  const size = o.quick ? "quick" : "full";
  const command = o.command ?? `prune-sense reproduce${o.quick ? " --quick" : ""} --out ${o.outDir}`;
  const { report, html } = writeReports(o.outDir, size, configs, claims, currentProvenance(), command);
  return { size, outDir: o.outDir, configs, claims, report, html };
}
