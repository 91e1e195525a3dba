/**
 * Heavy-ball momentum (Polyak), in position form on the full loss:
 * U_{t+1} = U_t − η∇f(U_t) + μ(U_t − U_{t−1}). The velocity is the last actual
 * displacement, so with a proximal penalty (whose prox follows each move) this
 * is proximal heavy ball, with the same fixed points as proximal gradient descent.
 */
import type { Optimizer } from "./types.js";

export const momentum: Optimizer = {
  kind: "momentum",
  description: "heavy-ball momentum on the full loss: U ← U − η∇f + μ(U − U_prev)",
  params: [{ name: "momentum", default: 0.9, description: "heavy-ball coefficient μ ∈ [0, 1)" }],
  needsSamples: false,
  create(loss, { size, stepSize, config }) {
    const mu = config.momentum ?? 0.9;
    // U_{t−1}: U at the start of the previous update (so U_t − U_{t−1} includes any prox or kick)
    const previous = new Float64Array(size);
    let started = false;
    return {
      gradient: (U, k, grad) => loss.valueAndGradient(U, k, grad),
      update(U, grad) {
        if (!started) {
          previous.set(U.subarray(0, size));
          started = true;
        }
        for (let i = 0; i < size; i++) {
          const u = U[i];
          U[i] = u - stepSize * grad[i] + mu * (u - previous[i]);
          previous[i] = u;
        }
      },
    };
  },
};
