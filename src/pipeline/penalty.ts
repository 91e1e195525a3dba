/**
 * The paper's smooth group-Lasso penalty R_β as plain functions (kept for
 * callers that name it directly; the pipeline goes through ./penalties/registry.ts).
 */
import { smoothGroupLasso } from "../methods/penalties/smooth-group-lasso.js";

/**
 * R_β(U), and grad += λ·∇R_β(U). colSq (length ≥ k) is scratch. O(d·k).
 */
export function addGroupLasso(
  U: Float64Array, d: number, k: number, beta: number, lambda: number, grad: Float64Array, colSq: Float64Array,
): number {
  return smoothGroupLasso.addGradient(U, d, k, beta, lambda, grad, colSq);
}

/** R_β(U) alone. */
export function groupLasso(U: Float64Array, d: number, k: number, beta: number): number {
  return addGroupLasso(U, d, k, beta, 0, U, new Float64Array(k));
}
