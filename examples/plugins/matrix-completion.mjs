/**
 * Matrix completion as a prune-sense model plug-in: n entries of M* = U*U*ᵀ
 * (d×d, planted by prune-sense as for matrix sensing) observed at uniformly random
 * positions (i, j), with noise: y_s = M*_{i_s j_s} + σξ_s. The loss is the mean
 * squared error on the observed entries, scaled by d² so that its expectation over
 * positions is ‖UUᵀ − M*‖²_F (the scale of the population and matrix-sensing losses,
 * so their step sizes and λ carry over):
 *
 *   L(U) = (d²/n) Σ_s ((UUᵀ)_{i_s j_s} − y_s)²,
 *   ∇_{u_i} L = (2d²/n) Σ_s r_s ([i_s = i] u_{j_s} + [j_s = i] u_{i_s}),   r_s = u_{i_s}·u_{j_s} − y_s.
 *
 * n_test fresh entries (another stream) give the test loss. problem.n is the number
 * of observed entries (with replacement); every ξ is drawn even at σ = 0, so data
 * at different σ share positions and draws.
 *
 * Run it: prune-sense run examples/plugins/matrix-completion.yaml
 * Test it: prune-sense plugin test examples/plugins/matrix-completion.mjs
 */
export default {
  apiVersion: 1,
  models: [
    {
      kind: "matrix-completion",
      description: "matrix completion: n random entries of M* = U*U*ᵀ observed with noise σ, loss scaled to ‖UUᵀ − M*‖²_F",
      usesSamples: true,
      createProblem(spec, streams, { truth }) {
        const { d } = spec;
        const train = observe(d, spec.n, truth.Mstar, spec.noise, streams.train);
        const test = observe(d, spec.n_test, truth.Mstar, spec.noise, streams.test);
        return {
          createLoss() {
            return {
              valueAndGradient: (U, k, grad) => mse(train, U, k, d, null, 0, train.count, grad),
              trainLoss: (U, k) => mse(train, U, k, d, null, 0, train.count, null),
              testLoss: (U, k) => mse(test, U, k, d, null, 0, test.count, null),
              minibatch: {
                samples: train.count,
                valueAndGradient: (U, k, rows, offset, count, grad) => mse(train, U, k, d, rows, offset, count, grad),
              },
            };
          },
        };
      },
    },
  ],
};

/** count entries of M (d×d): positions uniform over d×d, values with noise σ·N(0,1) (ξ drawn even at σ = 0). */
function observe(d, count, M, noise, rng) {
  const rows = new Int32Array(count);
  const cols = new Int32Array(count);
  const y = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    const i = Math.min(d - 1, Math.floor(rng.uniform() * d));
    const j = Math.min(d - 1, Math.floor(rng.uniform() * d));
    rows[s] = i;
    cols[s] = j;
    y[s] = M[i * d + j] + noise * rng.normal();
  }
  return { count, rows, cols, y };
}

/**
 * (d²/count) Σ over samples picks[offset … offset + count) (all samples when picks is null)
 * of ((UUᵀ)_ij − y)², and its gradient into grad (overwritten) unless grad is null. No allocation.
 */
function mse(data, U, k, d, picks, offset, count, grad) {
  if (count === 0) return NaN;
  const scale = (d * d) / count;
  if (grad) grad.fill(0, 0, d * k);
  let sum = 0;
  for (let b = offset; b < offset + count; b++) {
    const s = picks ? picks[b] : b;
    const oi = data.rows[s] * k;
    const oj = data.cols[s] * k;
    let x = 0;
    for (let c = 0; c < k; c++) x += U[oi + c] * U[oj + c];
    const r = x - data.y[s];
    sum += r * r;
    if (grad) {
      const g = 2 * scale * r;
      for (let c = 0; c < k; c++) {
        grad[oi + c] += g * U[oj + c];
        grad[oj + c] += g * U[oi + c];
      }
    }
  }
  return scale * sum;
}
