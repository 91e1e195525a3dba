/**
 * A gradient-magnitude pruning rule as a prune-sense plug-in: score each column by
 * the first-order (Taylor) estimate of how much the loss changes when it is
 * removed, |⟨u_j, ∇_j L(U)⟩| (Molchanov et al. 2017), and keep the columns whose
 * score is at least a fraction f of the largest. Unlike the threshold on ‖u_j‖,
 * it weighs a column by how much the loss leans on it.
 *
 *   prune: { taylor: 0.01 }
 *
 * `usesGradient: true` makes the pipeline pass the trained U and ∇L(U) (the loss
 * alone, no penalty); `cut` is then the score threshold, not a norm.
 *
 * Run it: prune-sense run examples/plugins/taylor-prune.yaml
 * Test it: prune-sense plugin test examples/plugins/taylor-prune.mjs
 */
export default {
  apiVersion: 1,
  pruneRules: [
    {
      key: "taylor",
      description: "gradient saliency: keep columns with |⟨u_j, ∇_j L⟩| ≥ this × the largest score",
      constraint: "fraction",
      example: 0.01,
      usesGradient: true,
      select(norms, fraction, context) {
        if (!context) throw new Error("taylor needs the trained U and the loss's gradient");
        const { U, gradient, d, k } = context;
        const score = new Float64Array(k);
        for (let i = 0; i < d; i++) {
          const o = i * k;
          for (let j = 0; j < k; j++) score[j] += U[o + j] * gradient[o + j];
        }
        let max = 0;
        for (let j = 0; j < k; j++) {
          score[j] = Math.abs(score[j]);
          if (score[j] > max) max = score[j];
        }
        const cut = fraction * max;
        const kept = [];
        for (let j = 0; j < k; j++) if (score[j] >= cut && score[j] > 0) kept.push(j);
        return { kept, cut };
      },
    },
  ],
};
