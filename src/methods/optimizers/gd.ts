/** Gradient descent on the full training loss: U ← U − η∇f. (Perturbed GD adds kicks in the loop.) */
import { axpy } from "../../linalg/dense.js";
import type { Optimizer } from "./types.js";

export const gd: Optimizer = {
  kind: "gd",
  description: "gradient descent on the full loss (with train.perturb: perturbed GD)",
  params: [],
  needsSamples: false,
  create(loss, { size, stepSize }) {
    return {
      gradient: (U, k, grad) => loss.valueAndGradient(U, k, grad),
      update: (U, grad) => void axpy(-stepSize, grad, U, size),
    };
  },
};
