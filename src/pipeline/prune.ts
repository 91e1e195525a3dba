/**
 * Greedy pruning: the config's rule (./prune/registry.ts) picks the columns to keep
 * from their norms; this applies the mask.
 */
import type { ResolvedConfig } from "../config/resolved.js";
import { columnSquaredNorms, selectColumns } from "../linalg/dense.js";
import { PRUNE_RULES } from "../methods/prune/registry.js";
import type { PruneContext, PruneRule } from "../methods/prune/types.js";

/** Column l2 norms of U (d×k). */
export function columnNorms(U: Float64Array, d: number, k: number): Float64Array {
  const norms = columnSquaredNorms(U, d, k, new Float64Array(k));
  for (let j = 0; j < k; j++) norms[j] = Math.sqrt(norms[j]);
  return norms;
}

/** The one rule a resolved `prune:` block gives (the key holding a number) and its parameter. */
export function activeRule(prune: ResolvedConfig["prune"]): { rule: PruneRule; parameter: number } {
  const values = prune as Record<string, number | null | undefined>;
  for (const rule of PRUNE_RULES) {
    const parameter = values[rule.key];
    if (typeof parameter === "number") return { rule, parameter };
  }
  throw new Error(`no pruning rule in ${JSON.stringify(prune)}`);
}

/**
 * Indices of kept columns (in their original order), the cut the rule amounted to, and U restricted to them.
 * @example prune(U, 20, 40, norms, { threshold: 0.1, relative_threshold: null }).kept.length // → 3
 */
export function prune(
  U: Float64Array, d: number, k: number, norms: ArrayLike<number>, config: ResolvedConfig["prune"],
  gradient?: () => Float64Array,
): { kept: number[]; cut: number; U: Float64Array } {
  const { rule, parameter } = activeRule(config);
  // the loss's gradient at U, computed only for a rule that reads it
  const context: PruneContext | undefined = rule.usesGradient && gradient ? { U, d, k, gradient: gradient() } : undefined;
  const { kept, cut } = rule.select(norms, parameter, context);
  return { kept, cut, U: selectColumns(U, d, k, kept, new Float64Array(d * kept.length)) };
}
