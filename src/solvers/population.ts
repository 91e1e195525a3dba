/**
 * Population matrix sensing: L(U) = ‖UUᵀ − M*‖²_F, ∇L = 4 (UUᵀ − M*) U
 * (paper.md, model 1). No samples: the test loss is the loss itself.
 */
import { gram, matmul, sumSquares, copyPrefix } from "../linalg/dense.js";
import { createWasmWorkspace } from "../linalg/wasm/kernels.js";
import { plantGroundTruth, sensingCurvature, symmetricRecoveryError } from "./ground-truth.js";
import type { Loss, Problem, Solver } from "./types.js";

export const population: Solver = {
  kind: "population",
  description: "population loss ‖UUᵀ − M*‖²_F (no samples)",
  // no samples, no noise
  noiseEdge: () => 0,
  usesSamples: false,
  curvature: sensingCurvature,
  createProblem(spec, streams): Problem {
    const truth = plantGroundTruth(spec.d, spec.r, spec.kappa, streams.truth);
    const { d, Mstar } = truth;
    return {
      spec,
      truth,
      routes: ["dense"],
      factorRows: d,
      recoveryError: symmetricRecoveryError(truth),
      createLoss(kMax: number): Loss {
        // U, M*, D = UUᵀ and D·U in WebAssembly memory when the kernels are built (a copy of U in and of the gradient out per step)
        const ws = createWasmWorkspace({ U: d * kMax, M: d * d, D: d * d, DU: d * kMax });
        ws?.arrays.M.view.set(Mstar);
        const D = new Float64Array(ws ? 0 : d * d);
        const residual = (U: Float64Array, k: number): number => {
          if (ws) {
            const A = ws.arrays;
            copyPrefix(U, A.U.view, d * k);
            ws.gram(A.U, d, k, A.D);
            return ws.sumSquaredDiff(A.D, A.M, d * d);
          }
          gram(U, d, k, D);
          for (let i = 0; i < d * d; i++) D[i] -= Mstar[i];
          return sumSquares(D);
        };
        return {
          // O(d²k/2) for UUᵀ plus O(d²k) for D·U
          valueAndGradient(U, k, grad) {
            const value = residual(U, k);
            if (ws) {
              // (4(UUᵀ − M*))·U: scaling by a power of two is exact, so this is 4·(D·U), and the copy out is a memcpy
              const A = ws.arrays;
              ws.scaledDiff(4, A.D, A.M, d * d, A.D);
              copyPrefix(ws.matmul(A.D, d, d, A.U, k, A.DU), grad, d * k);
            } else {
              matmul(D, d, d, U, k, grad);
              for (let i = 0; i < d * k; i++) grad[i] *= 4;
            }
            return value;
          },
          trainLoss: residual,
          testLoss: residual,
        };
      },
    };
  },
};
