/**
 * Adam (Kingma & Ba 2015) as a prune-sense optimizer plug-in: per-coordinate steps
 * scaled by running moments of the gradient of the whole objective (loss plus
 * penalty; a penalty applied by its prox is applied after each move, as for gd):
 *
 *   m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,
 *   U ← U − η · m̂ / (√v̂ + ε),   m̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ),
 *
 * with η = step_size of the phase. Its buffers are allocated once, in create().
 *
 * Run it: prune-sense run examples/plugins/adam.yaml
 * Test it: prune-sense plugin test examples/plugins/adam.mjs
 */
export default {
  apiVersion: 1,
  optimizers: [
    {
      kind: "adam",
      description: "Adam: per-coordinate steps η·m̂/(√v̂ + ε) from running gradient moments",
      params: {
        beta1: { type: "number", min: 0, max: 1, exclusiveMax: true, default: 0.9, description: "decay of the first moment m" },
        beta2: { type: "number", min: 0, max: 1, exclusiveMax: true, default: 0.999, description: "decay of the second moment v" },
        epsilon: { type: "number", min: 0, exclusiveMin: true, default: 1e-8, description: "added to √v̂" },
      },
      needsSamples: false,
      create(loss, { size, stepSize, config }) {
        const { beta1, beta2, epsilon } = config;
        const m = new Float64Array(size);
        const v = new Float64Array(size);
        let t = 0;
        return {
          gradient: (U, k, grad) => loss.valueAndGradient(U, k, grad),
          update(U, grad) {
            t++;
            const c1 = 1 / (1 - beta1 ** t);
            const c2 = 1 / (1 - beta2 ** t);
            for (let i = 0; i < size; i++) {
              const g = grad[i];
              m[i] = beta1 * m[i] + (1 - beta1) * g;
              v[i] = beta2 * v[i] + (1 - beta2) * g * g;
              U[i] -= (stepSize * m[i] * c1) / (Math.sqrt(v[i] * c2) + epsilon);
            }
          },
        };
      },
    },
  ],
};
