/**
 * Greedy pruning: keep the columns whose l2 norm reaches the threshold, delete the rest.
 */
import { columnSquaredNorms, selectColumns } from "../linalg/dense.js";

export interface PruneRule {
  /** Absolute ε, or null. */
  threshold: number | null;
  /** Fraction of the largest column norm, or null. */
  relative_threshold: number | null;
}

/** Column l2 norms of U (d×k). */
export function columnNorms(U: Float64Array, d: number, k: number): Float64Array {
  const norms = columnSquaredNorms(U, d, k, new Float64Array(k));
  for (let j = 0; j < k; j++) norms[j] = Math.sqrt(norms[j]);
  return norms;
}

/** The effective absolute cut: ε, or relative_threshold × max norm. */
export function pruneCut(norms: ArrayLike<number>, rule: PruneRule): number {
  if (rule.threshold !== null) return rule.threshold;
  let max = 0;
  for (let j = 0; j < norms.length; j++) max = Math.max(max, norms[j]);
  return (rule.relative_threshold ?? 0) * max;
}

/**
 * Indices of kept columns (‖u_i‖ ≥ cut), in their original order, and U restricted to them.
 * @example prune(U, 20, 40, norms, { threshold: 0.1, relative_threshold: null }).kept.length // → 3
 */
export function prune(
  U: Float64Array, d: number, k: number, norms: ArrayLike<number>, rule: PruneRule,
): { kept: number[]; cut: number; U: Float64Array } {
  const cut = pruneCut(norms, rule);
  const kept: number[] = [];
  for (let j = 0; j < k; j++) if (norms[j] >= cut) kept.push(j);
  return { kept, cut, U: selectColumns(U, d, k, kept, new Float64Array(d * kept.length)) };
}
