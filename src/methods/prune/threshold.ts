/** `threshold: ε` — keep the columns with ‖u_i‖ ≥ ε (the paper's greedy pruning). */
import { atLeast, type PruneRule } from "./types.js";

export const threshold: PruneRule = {
  key: "threshold",
  description: "absolute ε: keep columns with ‖u_i‖ ≥ ε",
  constraint: "nonnegative",
  example: 0.1,
  select: (norms, epsilon) => atLeast(norms, epsilon),
};
