/**
 * The interface between the descent loop and a regularizer R(U) on the columns
 * of U (d×k, row-major). The training objective is L(U) + λ·R(U). A smooth
 * penalty adds λ∇R to the gradient; a non-smooth one (e.g. the exact group
 * Lasso) is applied after each step by its proximal map. The loop never asks
 * which kind it has. Adding a penalty is one file implementing `Penalty` and
 * one line in ./registry.ts; test/methods/penalty-suite.test.ts then checks it.
 */

export interface Penalty {
  /** The `train.penalty.kind` that selects it. */
  kind: string;
  /** One line for the README and the schema. */
  description: string;
  /**
   * R(U), and grad += λ·∇R(U) for the part of R applied by gradient (all of it for
   * a smooth penalty, nothing for one applied by `prox`). At λ = 0 grad is left
   * untouched (callers read R alone that way). colSq (length ≥ k) is scratch. O(d·k).
   */
  addGradient(U: Float64Array, d: number, k: number, beta: number, lambda: number, grad: Float64Array, colSq: Float64Array): number;
  /**
   * For a penalty applied by a proximal step: U ← argmin_V ½‖V − U‖²_F + t·R(V), in place
   * (t = step size × λ). colSq (length ≥ k) is scratch. O(d·k).
   */
  prox?(U: Float64Array, d: number, k: number, beta: number, t: number, colSq: Float64Array): void;
  /**
   * A penalty with parameters of its own (a plug-in's, src/plugins/): the penalty with the
   * resolved `train.penalty` block's values bound (see registry.ts penaltyFor).
   */
  withParams?(block: Readonly<Record<string, unknown>>): Penalty;
}
