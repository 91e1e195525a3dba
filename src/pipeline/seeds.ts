/**
 * Which random stream each draw comes from. Keys name only what the draw may
 * depend on, so runs that differ in λ, β, ε or step counts see the same data and
 * the same U₀:
 *   truth     seed, d, r, kappa                 (U*)
 *   train     seed, kind, d, r, kappa, and σ     (inputs and noise draws: the first n of a larger n agree;
 *             when σ > 0                        each noise level draws its own measurements and noise, so
 *                                               error against σ measures the statistical rate, not the
 *                                               linearity of one draw; σ = 0 keeps the noiseless stream)
 *   test      the same, a separate stream
 *   init      seed, d, model.*                  (U₀)
 *   perturb   seed, d, model.*                  (kicks of perturbed gradient descent)
 *   curvature seed                              (the Lanczos start vector)
 *   batches   the run's whole config, per phase (minibatches of sgd: the run's own, whatever --jobs)
 */
import { createStream, stableStringify, type Rng } from "../random/streams.js";
import type { ResolvedConfig } from "../config/resolved.js";
import { findSolver } from "../solvers/registry.js";
import type { DataStore, Problem, ProblemSpec, ProblemStreams } from "../solvers/types.js";

export function problemStreams(seed: number, p: ProblemSpec): ProblemStreams {
  const truthKey = `${seed}:${p.d}:${p.r}:${p.kappa}`;
  // σ keys noisy data only, so noiseless runs keep the data (and run results) they always had
  const dataKey = `${p.kind}:${truthKey}${p.noise > 0 ? `:noise=${p.noise}` : ""}`;
  return {
    truth: createStream(`truth:${truthKey}`),
    train: createStream(`train:${dataKey}`),
    test: createStream(`test:${dataKey}`),
  };
}

/** Key of the data a run sees: runs with equal keys can share one Problem. */
export function problemKey(cfg: ResolvedConfig): string {
  return stableStringify({ seed: cfg.seed, problem: cfg.problem });
}

export function initStream(cfg: ResolvedConfig): Rng {
  return createStream(`init:${cfg.seed}:${cfg.problem.d}:${stableStringify(cfg.model)}`);
}

export function perturbStream(cfg: ResolvedConfig): Rng {
  return createStream(`perturb:${cfg.seed}:${cfg.problem.d}:${stableStringify(cfg.model)}`);
}

/** The stream of a phase's minibatches, keyed by everything the phase's result depends on. */
export function batchStream(cfg: ResolvedConfig, phase: "train" | "finetune"): Rng {
  const { name: _name, formulas: _formulas, ...rest } = cfg;
  const key = phase === "train" ? { seed: cfg.seed, problem: cfg.problem, model: cfg.model, train: cfg.train } : rest;
  return createStream(`batches:${phase}:${stableStringify(key)}`);
}

export function curvatureStream(cfg: ResolvedConfig): Rng {
  return createStream(`curvature:${cfg.seed}`);
}

/**
 * The problem (ground truth and data) of a resolved config, drawn from its streams
 * (or read from `store`, the disk cache: see ./data-cache.ts).
 * @throws {Error} for a kind no solver is registered under (config validation prevents it).
 */
export function buildProblem(cfg: ResolvedConfig, store?: DataStore): Problem {
  const solver = findSolver(cfg.problem.kind);
  if (!solver) throw new Error(`no solver registered for problem.kind ${cfg.problem.kind}`);
  return solver.createProblem(cfg.problem, problemStreams(cfg.seed, cfg.problem), store);
}
