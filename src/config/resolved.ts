/**
 * The resolved config of one run: every field filled and every formula
 * evaluated to a number. This is what the pipeline reads and what each run's
 * config.json records.
 */
import type { OptimizerConfig } from "../methods/optimizers/types.js";
import type { ProblemSpec } from "../solvers/types.js";

/** One value a config key takes (a swept value, a summary cell): a number, a text or a flag. */
export type Scalar = number | string | boolean;

export interface PerturbConfig {
  radius: number;
  grad_tol: number;
  every: number;
}

export interface ResolvedConfig {
  name: string;
  seed: number;
  problem: ProblemSpec;
  /**
   * init "oracle": U₀ holds the ground truth's factor U* in its first r columns and zeros
   * elsewhere (the oracle baseline: the best an r-column model fits from the same data).
   * Absent for the usual U₀ = init_scale·N(0,1), so configs without it keep their run ids.
   */
  model: { k: number; init_scale: number; init?: "oracle" };
  train: {
    lambda: number;
    beta: number;
    step_size: number;
    steps: number;
    grad_tol: number;
    perturb: PerturbConfig | null;
    /** The penalty R in L + λR (λ = train.lambda, β = train.beta), and a plug-in penalty's own parameters. */
    penalty: { kind: string; [param: string]: number | string };
    optimizer: OptimizerConfig;
  };
  /**
   * The pruning rule (methods/prune/registry.ts): exactly one key holds a number.
   * threshold and relative_threshold are always present (null when unused); the
   * other rules' keys only when chosen, so configs without them keep their run ids.
   */
  prune: { threshold: number | null; relative_threshold: number | null; keep?: number; gap?: number };
  finetune: { step_size: number; steps: number; grad_tol: number; optimizer: OptimizerConfig };
  log: { every: number };
  /** The formula text of each field given as a formula, by dotted path. */
  formulas: Record<string, string>;
  /**
   * The SHA-256 of the plug-in module behind each plug-in kind this run uses, by
   * "category:kind" (penalty:mcp, optimizer:adam, prune:taylor, problem:matrix-completion);
   * absent when it uses none, so configs without plug-ins keep their run ids. Part of the
   * run id: an edited plug-in never reuses results of the old code.
   */
  plugin_hashes?: Record<string, string>;
}

/**
 * Defaults of every field. Chosen by measurement over seeds (see README,
 * "Defaults"): with them regularized training keeps exactly r = 3 of k = 40
 * columns and unregularized training keeps nearly all of them.
 */
export const DEFAULTS: Omit<ResolvedConfig, "formulas" | "prune"> & { prune: { threshold: number } } = {
  name: "default",
  seed: 1,
  problem: { kind: "matrix-sensing", d: 20, r: 3, kappa: 1, n: 2000, n_test: 1000, noise: 0 },
  model: { k: 40, init_scale: 1e-3 },
  train: {
    lambda: 0.1, beta: 0.1, step_size: 0.05, steps: 3000, grad_tol: 0, perturb: null,
    penalty: { kind: "smooth-group-lasso" }, optimizer: { kind: "gd" },
  },
  prune: { threshold: 0.1 },
  finetune: { step_size: 0.05, steps: 2000, grad_tol: 0, optimizer: { kind: "gd" } },
  log: { every: 10 },
};

/** Fields of `train.perturb` not given in a config that has a perturb block. */
export const PERTURB_DEFAULTS: PerturbConfig = { radius: 1e-4, grad_tol: 1e-5, every: 100 };
