/**
 * A pruning rule: one pure function from the trained column norms and the rule's
 * parameter (the value of its key under `prune:`) to the kept columns. Applying the
 * mask is the pipeline's job (../prune.ts). Adding a rule is one file in this folder
 * plus one line in ./registry.ts; test/methods/prune-rule-suite.test.ts then runs
 * the shared checks on it.
 */

/** The constraint a rule's parameter must meet once resolved (a `numbers` schema of config/schema.ts). */
export type ParameterConstraint = "nonnegative" | "fraction" | "count" | "atLeastOne";

export interface Selection {
  /** Indices of the kept columns, ascending. */
  kept: number[];
  /** Every column with a norm above this is kept (the threshold the rule amounted to). */
  cut: number;
}

/** The trained model a rule that looks beyond the norms sees (`usesGradient`). */
export interface PruneContext {
  /** The trained factor (d×k, row-major). */
  U: Float64Array;
  d: number;
  k: number;
  /** ∇L(U), the gradient of the loss alone (no penalty) at the trained U (d×k). */
  gradient: Float64Array;
}

export interface PruneRule {
  /** Its key under `prune:` (exactly one rule key is given in a config). */
  key: string;
  /** What the parameter means, for the JSON Schema and `--help`. */
  description: string;
  constraint: ParameterConstraint;
  /** A parameter that finds r = 3 columns of norm ~1 among columns of norm ≤ 1e-6 (docs and the shared tests). */
  example: number;
  /**
   * The columns to keep. Depends on the norms as a multiset: permuting the columns
   * permutes the kept indices and keeps the same norms.
   */
  select(norms: ArrayLike<number>, parameter: number, context?: PruneContext): Selection;
  /**
   * Whether `select` reads `context` (the trained U and the loss's gradient there): then the
   * pipeline computes that gradient, and `cut` is the rule's own score threshold, not a norm.
   */
  usesGradient?: boolean;
}

/** Columns whose norm reaches `cut`, ascending. */
export function atLeast(norms: ArrayLike<number>, cut: number): Selection {
  const kept: number[] = [];
  for (let j = 0; j < norms.length; j++) if (norms[j] >= cut) kept.push(j);
  return { kept, cut };
}

/** Column indices by decreasing norm; equal norms by index, so the order is total. */
export function byDecreasingNorm(norms: ArrayLike<number>): number[] {
  return Array.from({ length: norms.length }, (_, j) => j).sort((a, b) => norms[b] - norms[a] || a - b);
}
