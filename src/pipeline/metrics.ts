/** Quantities logged along a run. */
import { gram, sumSquaredDiff } from "../linalg/dense.js";
import type { GroundTruth } from "../solvers/types.js";

/**
 * Relative recovery error ‖UUᵀ − M*‖_F / ‖M*‖_F. X (d×d) is scratch. O(d²k/2).
 */
export function recoveryError(U: Float64Array, k: number, truth: GroundTruth, X: Float64Array): number {
  const d = truth.d;
  gram(U, d, k, X);
  return Math.sqrt(sumSquaredDiff(X, truth.Mstar, d * d)) / truth.MstarNorm;
}
