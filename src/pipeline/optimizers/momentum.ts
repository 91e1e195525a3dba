/**
 * Heavy-ball momentum (Polyak): v ← μv − η∇f, U ← U + v, on the full loss.
 * With a proximal penalty the prox follows the move, and v keeps its value.
 */
import type { Optimizer } from "./types.js";

export const momentum: Optimizer = {
  kind: "momentum",
  description: "heavy-ball momentum on the full loss: v ← μv − η∇f, U ← U + v",
  params: [{ name: "momentum", default: 0.9, description: "heavy-ball coefficient μ ∈ [0, 1)" }],
  needsSamples: false,
  create(loss, { size, stepSize, config }) {
    const mu = config.momentum ?? 0.9;
    const v = new Float64Array(size);
    return {
      gradient: (U, k, grad) => loss.valueAndGradient(U, k, grad),
      update(U, grad) {
        for (let i = 0; i < size; i++) {
          v[i] = mu * v[i] - stepSize * grad[i];
          U[i] += v[i];
        }
      },
    };
  },
};
