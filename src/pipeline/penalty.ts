/**
 * The smooth group-Lasso penalty R_β(U) = Σ_i ‖u_i‖² / sqrt(‖u_i‖² + β), a smooth
 * stand-in for Σ_i ‖u_i‖₂ (paper.md, "The penalty"). Near zero it acts like weight
 * decay ‖u‖²/√β; for ‖u‖ ≫ √β like ‖u‖.
 */
import { columnSquaredNorms } from "../linalg/dense.js";

/**
 * R_β(U), and grad += λ·∇R_β(U). colSq (length ≥ k) is scratch that ends holding
 * the squared column norms. O(d·k).
 */
export function addGroupLasso(
  U: Float64Array, d: number, k: number, beta: number, lambda: number, grad: Float64Array, colSq: Float64Array,
): number {
  columnSquaredNorms(U, d, k, colSq);
  let value = 0;
  for (let j = 0; j < k; j++) {
    const s = colSq[j];
    value += s / Math.sqrt(s + beta);
    // ∇R_β per column: u (s + 2β)/(s + β)^{3/2}, s = ‖u‖²; colSq now holds λ times that factor
    colSq[j] = (lambda * (s + 2 * beta)) / ((s + beta) * Math.sqrt(s + beta));
  }
  if (lambda !== 0) {
    for (let i = 0; i < d; i++) {
      const o = i * k;
      for (let j = 0; j < k; j++) grad[o + j] += colSq[j] * U[o + j];
    }
  }
  return value;
}

/** R_β(U) alone. */
export function groupLasso(U: Float64Array, d: number, k: number, beta: number): number {
  const colSq = columnSquaredNorms(U, d, k, new Float64Array(k));
  let value = 0;
  for (let j = 0; j < k; j++) value += colSq[j] / Math.sqrt(colSq[j] + beta);
  return value;
}
