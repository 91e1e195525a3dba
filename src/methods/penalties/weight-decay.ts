/**
 * Weight decay R(U) = ‖U‖²_F, ∇R = 2U. For a factorization it penalizes
 * ‖U‖²_F = tr(UUᵀ), the nuclear norm of UUᵀ, so it biases UUᵀ towards low rank
 * but, unlike the group Lasso, does not drive whole columns to zero.
 */
import { sumSquares } from "../../linalg/dense.js";
import type { Penalty } from "./types.js";

export const weightDecay: Penalty = {
  kind: "weight-decay",
  description: "R(U) = ‖U‖²_F, by gradient (nuclear norm of UUᵀ; no column sparsity)",
  addGradient(U, d, k, _beta, lambda, grad) {
    const size = d * k;
    if (lambda !== 0) for (let i = 0; i < size; i++) grad[i] += 2 * lambda * U[i];
    return sumSquares(U, size);
  },
};
