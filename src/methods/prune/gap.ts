/**
 * `gap: g` — no ε: sort the norms, find the largest ratio between consecutive ones,
 * and cut there if that ratio exceeds g; otherwise keep every column. A model with r
 * columns of size ~σ and k − r near zero has one huge ratio at r; spread norms have none.
 */
import { byDecreasingNorm, type PruneRule } from "./types.js";

/** a/b for sorted norms a ≥ b ≥ 0: ∞ when only b is 0, 1 when both are. */
function ratio(a: number, b: number): number {
  if (b > 0) return a / b;
  return a > 0 ? Infinity : 1;
}

export const gap: PruneRule = {
  key: "gap",
  description: "minimum ratio g: cut at the largest ratio between consecutive sorted norms if it exceeds g, else keep all",
  constraint: "atLeastOne",
  example: 10,
  select(norms, minRatio) {
    const order = byDecreasingNorm(norms);
    let best = 0;
    let bestRatio = -Infinity;
    for (let i = 0; i + 1 < order.length; i++) {
      const q = ratio(norms[order[i]], norms[order[i + 1]]);
      if (q > bestRatio) {
        bestRatio = q;
        best = i;
      }
    }
    const count = bestRatio > minRatio ? best + 1 : order.length;
    const top = order.slice(0, count);
    const cut = top.length ? norms[top[top.length - 1]] : Infinity;
    return { kept: top.sort((a, b) => a - b), cut };
  },
};
