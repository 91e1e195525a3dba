/**
 * `keep: N` — keep the N largest columns (all of them if N ≥ k): the top-N cut, e.g.
 * `keep: "r"`, the paper's baseline of cutting a model to the known rank.
 */
import { byDecreasingNorm, type PruneRule } from "./types.js";

export const keep: PruneRule = {
  key: "keep",
  description: 'keep the N largest columns (N a count or a formula such as "r")',
  constraint: "count",
  example: 3,
  select(norms, count) {
    const top = byDecreasingNorm(norms).slice(0, count);
    const cut = top.length ? norms[top[top.length - 1]] : Infinity;
    return { kept: top.sort((a, b) => a - b), cut };
  },
};
