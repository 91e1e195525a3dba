/**
 * One suite run against every registered pruning rule: it keeps a subset, greedily
 * by norm (a kept column's larger neighbours are kept), its cut bounds what it kept,
 * it does not depend on the order of the columns, and with its example parameter it
 * finds the r large columns of a regularized-looking model.
 */
import { describe, expect, it } from "vitest";
import { PRUNE_RULES } from "../../src/methods/prune/registry.js";
import { randomArray } from "../helpers.js";

/** |N(0,1)| norms with a few ties and zeros: the hard cases for order and ties. */
function spreadNorms(k: number, key: string): number[] {
  const norms = Array.from(randomArray(k, key), Math.abs);
  if (k >= 6) {
    norms[1] = norms[4];
    norms[k - 1] = 0;
    norms[k - 2] = 0;
  }
  return norms;
}

/** A permutation of 0..k-1 (seeded). */
function permutation(k: number, key: string): number[] {
  const keys = randomArray(k, key);
  return Array.from({ length: k }, (_, j) => j).sort((a, b) => keys[a] - keys[b]);
}

describe.each(PRUNE_RULES.map((rule) => [rule.key, rule] as const))("pruning rule %s", (_key, rule) => {
  const parameters = [rule.example, ...(rule.constraint === "count" ? [1, 7, 40] : rule.constraint === "atLeastOne" ? [1, 1.5, 1e6] : [0, 0.3, 1])];

  it.each(parameters)("keeps a subset of the columns, in ascending order (parameter %s)", (p) => {
    for (const k of [1, 2, 9, 24]) {
      const { kept } = rule.select(spreadNorms(k, `subset-${k}`), p);
      expect(kept.every((j, i) => Number.isInteger(j) && j >= 0 && j < k && (i === 0 || j > kept[i - 1]))).toBe(true);
    }
  });

  it.each(parameters)("is greedy by norm, and keeps every column above its cut (parameter %s)", (p) => {
    const norms = spreadNorms(24, "greedy");
    const { kept, cut } = rule.select(norms, p);
    const keptSet = new Set(kept);
    for (const j of kept) {
      expect(norms[j]).toBeGreaterThanOrEqual(cut);
      for (let i = 0; i < norms.length; i++) if (norms[i] > norms[j]) expect(keptSet.has(i)).toBe(true);
    }
    for (let i = 0; i < norms.length; i++) if (norms[i] > cut) expect(keptSet.has(i)).toBe(true);
  });

  it.each(parameters)("does not depend on the order of the columns (parameter %s)", (p) => {
    const norms = spreadNorms(24, "order");
    const perm = permutation(24, "order-perm");
    const permuted = perm.map((j) => norms[j]);
    const a = rule.select(norms, p);
    const b = rule.select(permuted, p);
    const keptNorms = (ns: number[], kept: number[]) => kept.map((j) => ns[j]).sort((x, y) => x - y);
    expect(keptNorms(permuted, b.kept)).toEqual(keptNorms(norms, a.kept));
    expect(b.cut).toBe(a.cut);
  });

  it("finds the r = 3 large columns of a regularized-looking model with its example parameter", () => {
    const norms = Array.from(randomArray(40, "regularized"), (x) => 1e-6 * Math.abs(x));
    norms[5] = 1.0;
    norms[17] = 0.6;
    norms[30] = 0.35;
    expect(rule.select(norms, rule.example).kept).toEqual([5, 17, 30]);
  });
});
