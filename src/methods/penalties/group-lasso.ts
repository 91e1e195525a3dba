/**
 * The exact group Lasso R(U) = Σ_i ‖u_i‖₂, non-smooth at u_i = 0, applied by a
 * proximal step: after each gradient step on L, every column is block
 * soft-thresholded, u_i ← max(0, 1 − t/‖u_i‖)·u_i with t = η·λ, so columns with
 * ‖u_i‖ ≤ t become exactly zero (proximal gradient descent, ISTA for groups).
 */
import { columnSquaredNorms } from "../../linalg/dense.js";
import type { Penalty } from "./types.js";

export const groupLasso: Penalty = {
  kind: "group-lasso",
  description: "R(U) = Σ‖u_i‖ exactly, by a proximal step (block soft-thresholding: exact zeros)",
  addGradient(U, d, k, _beta, _lambda, _grad, colSq) {
    columnSquaredNorms(U, d, k, colSq);
    let value = 0;
    for (let j = 0; j < k; j++) value += Math.sqrt(colSq[j]);
    return value;
  },
  prox(U, d, k, _beta, t, colSq) {
    columnSquaredNorms(U, d, k, colSq);
    // prox of t‖·‖₂ per column: shrink the norm by t, or to zero (colSq now holds the factor)
    for (let j = 0; j < k; j++) {
      const norm = Math.sqrt(colSq[j]);
      colSq[j] = norm > t ? 1 - t / norm : 0;
    }
    for (let i = 0; i < d; i++) {
      const o = i * k;
      for (let j = 0; j < k; j++) U[o + j] *= colSq[j];
    }
  },
};
