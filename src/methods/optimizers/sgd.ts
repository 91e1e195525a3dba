/**
 * Minibatch stochastic gradient descent: each step follows the gradient of the
 * loss on batch_size training samples, U ← U − η∇f_B. Batches walk through a
 * seeded random permutation of the samples, reshuffled (Fisher–Yates) when
 * fewer than batch_size remain, so every sample is used once per epoch. The
 * permutation comes from the run's own stream: the same batches whatever --jobs.
 */
import { axpy } from "../../linalg/dense.js";
import type { Rng } from "../../random/streams.js";
import type { Optimizer } from "./types.js";

/** Shuffle perm in place (Fisher–Yates), one uniform draw per entry. */
export function shuffle(perm: Int32Array, rng: Rng): Int32Array {
  for (let i = perm.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

export const sgd: Optimizer = {
  kind: "sgd",
  description: "minibatch SGD with seeded batches (matrix sensing, quadratic net, asymmetric sensing)",
  params: [{ name: "batch_size", default: 100, description: "training samples per step (≤ problem.n)" }],
  needsSamples: true,
  create(loss, { size, stepSize, config, rng }) {
    const mb = loss.minibatch;
    if (!mb) throw new Error("sgd needs a loss over samples");
    if (!rng) throw new Error("sgd needs a seeded stream for its batches");
    const batch = Math.min(config.batch_size ?? 100, mb.samples);
    const perm = new Int32Array(mb.samples);
    for (let i = 0; i < perm.length; i++) perm[i] = i;
    shuffle(perm, rng);
    let pos = 0;
    return {
      gradient(U, k, grad) {
        if (pos + batch > perm.length) {
          shuffle(perm, rng);
          pos = 0;
        }
        const value = mb.valueAndGradient(U, k, perm, pos, batch, grad);
        pos += batch;
        return value;
      },
      update: (U, grad) => void axpy(-stepSize, grad, U, size),
    };
  },
};
