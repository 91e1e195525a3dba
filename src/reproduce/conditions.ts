/**
 * When the theory promises exact pruning (S2) for a run, as formulas of its
 * config, so that every regularized run of every config can be checked and the
 * runs outside the promise listed, not averaged away (claim exact-r-all).
 *
 * A run is in scope when it trains with a group penalty (smooth or exact group
 * Lasso, λ > 0), prunes by a threshold or gap (not `keep`, which fixes the count)
 * and has k ≥ r. In scope, the promise needs:
 *   S8  the weakest true column has a nonzero stationary point under L + λR_β
 *       (the stationarity bound of config/erasure.ts);
 *   S5  no spurious column grows out of zero: the noise's pull on a column there,
 *       ν = ‖(2σ/n)Σ ξ_i A_i‖ (the solver's noiseEdge, ≈ 2σ√(2d/n) for sensing and
 *       4σ√(d/n) for the quadratic net), is below the penalty's curvature at zero,
 *       λ/√β (R_β(u) ≈ ‖u‖²/√β near 0): ν < λ/√β, i.e. n > c²σ²dβ/λ²;
 *   S6  for the exact group Lasso (prox), U₀ outside the prox's dead zone, where U = 0
 *       is stationary: a column's growth along the top direction, 4σ₁²α per unit
 *       step, beats the shrinkage λ: init_scale α > λ/(4σ₁²).
 */
import type { RunRecord } from "../output/results.js";
import { weakestColumnSurvives } from "../config/erasure.js";
import { plantedSingularValues } from "../solvers/ground-truth.js";
import { findSolver } from "../solvers/registry.js";

/** The penalties whose columns the theory separates (group penalties). */
export const GROUP_PENALTIES = ["smooth-group-lasso", "group-lasso"];

const penaltyOf = (r: RunRecord) => r.config.train.penalty?.kind ?? "smooth-group-lasso";

export type Scope =
  | { inScope: false; why: string }
  | { inScope: true; inside: boolean; why: string };

const num = (x: number) => (Math.abs(x) >= 0.01 && Math.abs(x) < 1000 ? String(+x.toFixed(3)) : x.toExponential(1));

/** Whether S2 speaks about run r at all, and if so whether its condition holds (why: the failed formula with its numbers). */
export function exactRScope(r: RunRecord): Scope {
  const { problem, train, model, prune } = r.config;
  if (!(train.lambda > 0) || !GROUP_PENALTIES.includes(penaltyOf(r))) return { inScope: false, why: "no group penalty" };
  if (prune.keep !== undefined && prune.keep !== null) return { inScope: false, why: "prune.keep fixes the count" };
  if (model.k < problem.r) return { inScope: false, why: "k < r" };
  const solver = findSolver(problem.kind);
  const s = plantedSingularValues(problem.r, problem.kappa);
  if (!weakestColumnSurvives(s[s.length - 1], train.lambda, train.beta, solver?.columnLossFactor ?? 1)) {
    return { inScope: true, inside: false, why: "S8: the weakest column has no stationary point" };
  }
  if (penaltyOf(r) === "group-lasso") {
    const dead = train.lambda / (4 * s[0] * s[0]);
    return model.init_scale > dead
      ? { inScope: true, inside: true, why: "" }
      : { inScope: true, inside: false, why: `U₀ in the prox's dead zone: α = ${num(model.init_scale)} ≤ λ/(4σ₁²) = ${num(dead)}` };
  }
  const nu = problem.noise > 0 ? solver?.noiseEdge?.(problem) ?? Infinity : 0;
  const curvature = train.lambda / Math.sqrt(train.beta);
  if (nu >= curvature) return { inScope: true, inside: false, why: `noise ν = ${num(nu)} ≥ λ/√β = ${num(curvature)}` };
  return { inScope: true, inside: true, why: "" };
}
