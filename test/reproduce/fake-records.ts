/**
 * Run records made by hand for the claim tests: the default config with the
 * fields a claim reads overridden, and the metrics it checks.
 */
import { CLAIMS } from "../../src/reproduce/claims.js";
import { DEFAULTS, type ResolvedConfig } from "../../src/config/resolved.js";
import { emptyMetrics, type RunMetrics } from "../../src/pipeline/run.js";
import type { RunRecord } from "../../src/output/results.js";

let nextId = 0;

export interface Over {
  lambda?: number; kind?: string; kappa?: number; noise?: number; n?: number; r?: number; k?: number;
  penalty?: string; optimizer?: string; status?: RunRecord["status"]; seed?: number; init?: "oracle"; steps?: number;
}

/** A record of a run with r = 2, k = 20, n = 2000, λ = 0.1 unless `over` says otherwise; ids are unique. */
export function record(over: Over, metrics: Partial<RunMetrics>): RunRecord {
  const config: ResolvedConfig = {
    ...DEFAULTS,
    seed: over.seed ?? DEFAULTS.seed,
    problem: { ...DEFAULTS.problem, kind: over.kind ?? "matrix-sensing", r: over.r ?? 2, kappa: over.kappa ?? 1, noise: over.noise ?? 0, n: over.n ?? 2000 },
    model: { ...DEFAULTS.model, k: over.k ?? 20, ...(over.init ? { init: over.init } : {}) },
    train: {
      ...DEFAULTS.train, lambda: over.lambda ?? 0.1, steps: over.steps ?? DEFAULTS.train.steps,
      penalty: { kind: over.penalty ?? "smooth-group-lasso" }, optimizer: { kind: over.optimizer ?? "gd" },
    },
    prune: { threshold: 0.1, relative_threshold: null },
    formulas: {},
  };
  return {
    run_id: `h${nextId++}`, index: nextId, swept: {}, status: over.status ?? "ok", error: "", diverged_phase: "", diverged_step: null,
    metrics: { ...emptyMetrics(), ...metrics }, seconds: 0, config,
  };
}

/** The verdict of claim `id` on these records (trained norms by run id, default none). */
export const check = (id: string, records: RunRecord[], trainedNorms: (id: string) => number[] = () => []) =>
  CLAIMS.find((c) => c.id === id)!.check({ records, trainedNorms });

/** The same records over seeds 1..count (count 3 unless given): slope claims need an interval over seeds. */
export function overSeeds(make: (seed: number) => RunRecord[], count = 3): RunRecord[] {
  return Array.from({ length: count }, (_, i) => make(i + 1)).flat();
}
