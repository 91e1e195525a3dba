/**
 * Results folders made by hand for the `check` tests, written by the project's
 * own writers (result.json with checksums, summary.csv), so `check` reads them
 * exactly as it reads a real run's: the default config with the fields a claim
 * reads overridden, and the metrics it checks.
 */
import { join } from "node:path";
import { DEFAULTS, type ResolvedConfig } from "../../src/config/resolved.js";
import { writeRunFiles, writeSummary, type RunRecord } from "../../src/output/results.js";
import { emptyMetrics, type RunMetrics } from "../../src/pipeline/run.js";

export interface Over {
  kind?: string; r?: number; k?: number; n?: number; noise?: number; kappa?: number; lambda?: number; seed?: number;
  penalty?: string; optimizer?: string; status?: RunRecord["status"]; formulas?: Record<string, string>;
}

let next = 0;

/** A run record: matrix sensing, r = 3, k = 40, n = 2000, λ = 0.1, seed 1 unless `over` says otherwise. */
export function fakeRecord(over: Over, metrics: Partial<RunMetrics>): RunRecord {
  const config: ResolvedConfig = {
    ...DEFAULTS,
    seed: over.seed ?? 1,
    problem: { ...DEFAULTS.problem, kind: over.kind ?? "matrix-sensing", r: over.r ?? 3, n: over.n ?? 2000, noise: over.noise ?? 0, kappa: over.kappa ?? 1 },
    model: { ...DEFAULTS.model, k: over.k ?? 40 },
    train: { ...DEFAULTS.train, lambda: over.lambda ?? 0.1, penalty: { kind: over.penalty ?? "smooth-group-lasso" }, optimizer: { kind: over.optimizer ?? "gd" } },
    prune: { threshold: 0.1, relative_threshold: null },
    formulas: over.formulas ?? {},
  };
  const id = `rf${String(next++).padStart(9, "0")}`;
  return {
    run_id: id, index: next, swept: {}, status: over.status ?? "ok", error: "", diverged_phase: "", diverged_step: null,
    metrics: { ...emptyMetrics(), finetune_rate: 0.9, grad_norm_trained: 1e-8, hessian_min_eig_trained: 1e-6, ...metrics }, seconds: 0.1, config,
  };
}

/** Write the records as a results folder (runs/<id>/…, summary.csv). */
export function writeFolder(dir: string, records: readonly RunRecord[]): void {
  for (const r of records) writeRunFiles(dir, r, { trace: [], columns: [] });
  writeSummary(dir, records, []);
}

/** Write a folder of results folders, one per name (as reproduce's --out). */
export function writeFolders(dir: string, folders: Record<string, RunRecord[]>): void {
  for (const [name, records] of Object.entries(folders)) writeFolder(join(dir, name), records);
}

const KINDS = ["matrix-sensing", "quadratic-net"];
const SEEDS = [1, 2];

/**
 * Folders named as reproduce names them, holding runs that break each claim of
 * configs/claims/paper.yaml: one more column than r with the penalty, r without
 * it, no fine-tuning contraction, an error flat in n, a dense model beating the
 * pruned one, an error ∝ σ^½ (a slope of 1 in σ², not 2), …
 */
export function brokenPaperFolders(dir: string): void {
  const each = (f: (kind: string, seed: number) => RunRecord[]) => KINDS.flatMap((kind) => SEEDS.flatMap((seed) => f(kind, seed)));
  const err = 1e-15;
  writeFolders(dir, {
    pruning: each((kind, seed) => [
      fakeRecord({ kind, seed }, { kept_columns: 4, finetune_rate: 1, recovery_error: 0.2, grad_norm_trained: 0.1, hessian_min_eig_trained: -0.1 }),
      fakeRecord({ kind, seed, lambda: 0 }, { kept_columns: 3, recovery_error: err }),
    ]),
    "kept-grid": each((kind, seed) => [4, 8, 16].flatMap((k) => [
      fakeRecord({ kind, seed, k }, { kept_columns: 4, recovery_error: err }),
      fakeRecord({ kind, seed, k, lambda: 0 }, { kept_columns: 4, recovery_error: err }),
    ])),
    generalization: each((kind, seed) => [500, 2000, 8000].flatMap((n) => [
      fakeRecord({ kind, seed, n, noise: 0.5 }, { kept_columns: 3, recovery_error: 0.1 * seed, recovery_error_trained: 0.1 * seed }),
      fakeRecord({ kind, seed, n, noise: 0.5, lambda: 0 }, { kept_columns: 40, recovery_error: 0.05 * seed, recovery_error_trained: 0.05 * seed }),
    ])),
    conditioning: each((kind, seed) => [1, 3].map((kappa) => fakeRecord({ kind, seed, kappa, r: 2, lambda: 1 / kappa ** 3, formulas: { "train.lambda": "sigma_r^3" } }, { kept_columns: 1 }))),
    "top-r": each((kind, seed) => [
      fakeRecord({ kind, seed, lambda: 0 }, { kept_columns: 3, recovery_error_pruned: 0.1, recovery_error_trained: 0.01 }),
      fakeRecord({ kind, seed }, { kept_columns: 3, recovery_error_pruned: 0.2, recovery_error_trained: 0.01 }),
    ]),
    noise: each((kind, seed) => [0.1, 0.4].map((noise) => fakeRecord({ kind, seed, noise }, { kept_columns: 3, recovery_error: Math.sqrt(noise) * (1 + 0.01 * seed) }))),
    gap: each((kind, seed) => [fakeRecord({ kind, seed }, { kept_columns: 4 }), fakeRecord({ kind, seed, lambda: 0 }, { kept_columns: 3 })]),
    penalties: SEEDS.flatMap((seed) => [
      fakeRecord({ seed, penalty: "weight-decay" }, { kept_columns: 3, recovery_error_trained: 0.5 }),
      fakeRecord({ seed, penalty: "group-lasso" }, { kept_columns: 0 }),
    ]),
    sgd: each((kind, seed) => [
      fakeRecord({ kind, seed, optimizer: "sgd" }, { kept_columns: 4, recovery_error: 0.3 }),
      fakeRecord({ kind, seed, optimizer: "sgd", lambda: 0 }, { kept_columns: 3 }),
    ]),
    asymmetric: SEEDS.flatMap((seed) => [
      fakeRecord({ kind: "asymmetric-sensing", seed }, { kept_columns: 4, finetune_rate: 1, recovery_error: 0.5 }),
      fakeRecord({ kind: "asymmetric-sensing", seed, lambda: 0 }, { kept_columns: 3 }),
    ]),
  });
}
