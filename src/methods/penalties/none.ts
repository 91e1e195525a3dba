/** No penalty: R(U) = 0, the unregularized baseline (the same as λ = 0). */
import type { Penalty } from "./types.js";

export const none: Penalty = {
  kind: "none",
  description: "R(U) = 0: the unregularized baseline",
  addGradient: () => 0,
};
