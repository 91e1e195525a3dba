/**
 * The shared checks of a pruning rule (methods/prune/types.ts): it keeps a subset
 * of the columns (each once, ascending), it is deterministic, it does not depend on
 * the order of the columns, a rule on the norms is greedy by norm (a kept column's
 * larger neighbours are kept) and its cut bounds what it kept, and with its example
 * parameter it finds the r large columns of a regularized-looking model.
 *
 * A rule that reads the gradient (`usesGradient`) gets a model at a stationary point
 * of the paper's objective: columns of the given norms in seeded random directions,
 * and ∇L = −λ∇R_β(U) (λ = 0.1, β = 0.1), which is what training leaves behind.
 */
import type { PruneContext, PruneRule, Selection } from "../methods/prune/types.js";
import { randomArray } from "./numeric.js";
import { outcome, type Check } from "./types.js";

/** Rows of the model a gradient rule is shown. */
const ROWS = 4;

/** |N(0,1)| norms with a few ties and zeros: the hard cases for order and ties. */
export function spreadNorms(k: number, key: string): number[] {
  const norms = Array.from(randomArray(k, key), Math.abs);
  if (k >= 6) {
    norms[1] = norms[4];
    norms[k - 1] = 0;
    norms[k - 2] = 0;
  }
  return norms;
}

/** A permutation of 0..k-1 (seeded). */
export function permutation(k: number, key: string): number[] {
  const keys = randomArray(k, key);
  return Array.from({ length: k }, (_, j) => j).sort((a, b) => keys[a] - keys[b]);
}

/**
 * A ROWS×k model with column j of norm norms[j] along direction order[j] of a seeded set
 * (so permuting norms and order together permutes the columns), and ∇L = −λ∇R_β(U).
 */
function contextFor(norms: readonly number[], order: readonly number[]): PruneContext {
  const k = norms.length;
  const directions = randomArray(ROWS * k, `prune-dir-${k}`);
  const U = new Float64Array(ROWS * k);
  const gradient = new Float64Array(ROWS * k);
  const [lambda, beta] = [0.1, 0.1];
  for (let j = 0; j < k; j++) {
    const c = order[j];
    let sq = 0;
    for (let i = 0; i < ROWS; i++) sq += directions[i * k + c] ** 2;
    const s = norms[j] ** 2;
    const factor = (lambda * (s + 2 * beta)) / ((s + beta) * Math.sqrt(s + beta));
    for (let i = 0; i < ROWS; i++) {
      U[i * k + j] = (norms[j] * directions[i * k + c]) / Math.sqrt(sq);
      gradient[i * k + j] = -factor * U[i * k + j];
    }
  }
  return { U, d: ROWS, k, gradient };
}

const identity = (k: number): number[] => Array.from({ length: k }, (_, j) => j);

/** The rule's selection; a gradient rule also gets the model (columns in directions `order`). */
function selectWith(rule: PruneRule, norms: number[], p: number, order: readonly number[] = identity(norms.length)): Selection {
  return rule.select(norms, p, rule.usesGradient ? contextFor(norms, order) : undefined);
}

/** The parameters every check runs at: the example, and values across the constraint's range. */
export function pruneParameters(rule: PruneRule): number[] {
  return [rule.example, ...(rule.constraint === "count" ? [1, 7, 40] : rule.constraint === "atLeastOne" ? [1, 1.5, 1e6] : [0, 0.3, 1])];
}

/** What is wrong with a kept list for k columns (undefined when it is a strictly ascending list of column indices). */
function keptProblem(kept: unknown, k: number): string | undefined {
  if (!Array.isArray(kept)) return `kept is ${typeof kept}, not a list`;
  for (let i = 0; i < kept.length; i++) {
    const j = kept[i];
    if (!Number.isInteger(j) || j < 0 || j >= k) return `kept[${i}] = ${j} is no column of ${k}`;
    if (i > 0 && j === kept[i - 1]) return `column ${j} is kept twice`;
    if (i > 0 && j < kept[i - 1]) return `kept is not ascending (${kept[i - 1]} before ${j})`;
  }
  return undefined;
}

export function pruneRuleChecks(rule: PruneRule): Check[] {
  const checks: Check[] = [];
  for (const p of pruneParameters(rule)) {
    checks.push({
      name: `keeps a subset of the columns, each once, in ascending order (parameter ${p})`,
      run() {
        for (const k of [1, 2, 9, 24]) {
          const problem = keptProblem(selectWith(rule, spreadNorms(k, `subset-${k}`), p).kept, k);
          if (problem) return outcome(false, `k = ${k}: ${problem}`);
        }
        return outcome(true, "k = 1, 2, 9, 24: every kept list is ascending column indices");
      },
    });
    if (!rule.usesGradient) {
      checks.push({
        name: `is greedy by norm, and keeps every column above its cut (parameter ${p})`,
        run() {
          const norms = spreadNorms(24, "greedy");
          const { kept, cut } = rule.select(norms, p);
          const keptSet = new Set(kept);
          for (const j of kept) {
            if (!(norms[j] >= cut)) return outcome(false, `kept column ${j} has norm ${norms[j]} < cut ${cut}`);
            for (let i = 0; i < norms.length; i++) if (norms[i] > norms[j] && !keptSet.has(i)) return outcome(false, `kept column ${j} (norm ${norms[j]}) but not the larger column ${i} (norm ${norms[i]})`);
          }
          for (let i = 0; i < norms.length; i++) if (norms[i] > cut && !keptSet.has(i)) return outcome(false, `column ${i} has norm ${norms[i]} > cut ${cut} and is not kept`);
          return outcome(true, `${kept.length} of 24 kept, cut ${cut}`);
        },
      });
    }
    checks.push({
      name: `does not depend on the order of the columns (parameter ${p})`,
      run() {
        const norms = spreadNorms(24, "order");
        const perm = permutation(24, "order-perm");
        const permuted = perm.map((j) => norms[j]);
        const a = selectWith(rule, norms, p);
        const b = selectWith(rule, permuted, p, perm);
        const keptNorms = (ns: number[], kept: number[]) => kept.map((j) => ns[j]).sort((x, y) => x - y);
        const same = JSON.stringify(keptNorms(permuted, b.kept)) === JSON.stringify(keptNorms(norms, a.kept));
        return outcome(same && Object.is(b.cut, a.cut),
          same ? (Object.is(b.cut, a.cut) ? `the same ${a.kept.length} norms kept, cut ${a.cut}` : `cut ${a.cut} becomes ${b.cut} when the columns are permuted`)
            : `${a.kept.length} columns kept, ${b.kept.length} after permuting them (other norms)`);
      },
    });
    checks.push({
      name: `is deterministic: the same norms give the same selection (parameter ${p})`,
      run() {
        const norms = spreadNorms(24, "deterministic");
        const a = selectWith(rule, norms, p);
        const b = selectWith(rule, norms, p);
        const same = JSON.stringify(a.kept) === JSON.stringify(b.kept) && Object.is(a.cut, b.cut);
        return outcome(same, same ? `kept ${JSON.stringify(a.kept)}` : `kept ${JSON.stringify(a.kept)} then ${JSON.stringify(b.kept)}`);
      },
    });
  }
  checks.push({
    name: "finds the r = 3 large columns of a regularized-looking model with its example parameter",
    run() {
      const norms = Array.from(randomArray(40, "regularized"), (x) => 1e-6 * Math.abs(x));
      norms[5] = 1.0;
      norms[17] = 0.6;
      norms[30] = 0.35;
      const { kept } = selectWith(rule, norms, rule.example);
      return outcome(JSON.stringify(kept) === "[5,17,30]", `kept ${JSON.stringify(kept)} (expected [5,17,30]) with parameter ${rule.example}`);
    },
  });
  return checks;
}
