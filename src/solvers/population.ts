/**
 * Population matrix sensing: L(U) = ‖UUᵀ − M*‖²_F, ∇L = 4 (UUᵀ − M*) U
 * (paper.md, model 1). No samples: the test loss is the loss itself.
 */
import { gram, matmul, sumSquares } from "../linalg/dense.js";
import { plantGroundTruth } from "./ground-truth.js";
import type { Loss, Problem, Solver } from "./types.js";

export const population: Solver = {
  kind: "population",
  description: "population loss ‖UUᵀ − M*‖²_F (no samples)",
  usesSamples: false,
  createProblem(spec, streams): Problem {
    const truth = plantGroundTruth(spec.d, spec.r, spec.kappa, streams.truth);
    const { d, Mstar } = truth;
    return {
      spec,
      truth,
      routes: ["dense"],
      createLoss(kMax: number): Loss {
        const D = new Float64Array(d * d);
        const residual = (U: Float64Array, k: number): number => {
          gram(U, d, k, D);
          for (let i = 0; i < d * d; i++) D[i] -= Mstar[i];
          return sumSquares(D);
        };
        void kMax;
        return {
          // O(d²k/2) for UUᵀ plus O(d²k) for D·U
          valueAndGradient(U, k, grad) {
            const value = residual(U, k);
            matmul(D, d, d, U, k, grad);
            for (let i = 0; i < d * k; i++) grad[i] *= 4;
            return value;
          },
          trainLoss: residual,
          testLoss: residual,
        };
      },
    };
  },
};
