/** `relative_threshold: f` — keep the columns with ‖u_i‖ ≥ f × the largest norm. */
import { atLeast, type PruneRule } from "./types.js";

export const relativeThreshold: PruneRule = {
  key: "relative_threshold",
  description: "keep columns with ‖u_i‖ ≥ this × the largest column norm",
  constraint: "fraction",
  example: 0.1,
  select(norms, fraction) {
    let max = 0;
    for (let j = 0; j < norms.length; j++) max = Math.max(max, norms[j]);
    return atLeast(norms, fraction * max);
  },
};
