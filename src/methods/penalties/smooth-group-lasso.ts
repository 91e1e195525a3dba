/**
 * The smooth group-Lasso penalty R_β(U) = Σ_i ‖u_i‖² / sqrt(‖u_i‖² + β), a smooth
 * stand-in for Σ_i ‖u_i‖₂ (paper.md, "The penalty"). Near zero it acts like weight
 * decay ‖u‖²/√β; for ‖u‖ ≫ √β like ‖u‖. The default penalty.
 */
import { columnSquaredNorms } from "../../linalg/dense.js";
import type { Penalty } from "./types.js";

export const smoothGroupLasso: Penalty = {
  kind: "smooth-group-lasso",
  description: "R_β(U) = Σ‖u_i‖²/sqrt(‖u_i‖² + β), by gradient (the paper's penalty)",
  addGradient(U, d, k, beta, lambda, grad, colSq) {
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
  },
};
