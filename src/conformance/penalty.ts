/**
 * The shared checks of a penalty (methods/penalties/types.ts): the value/gradient
 * contract, a finite-difference check of the gradient of a smooth penalty at
 * several sizes and scales, for a penalty applied by its prox the optimality of
 * the prox subproblem, determinism, and no memory kept per call.
 */
import type { Penalty } from "../methods/penalties/types.js";
import { heapGrowth, GROWTH_LIMIT, GROWTH_STEPS, kib, num, numericalGradient, randomArray, relativeMaxError } from "./numeric.js";
import { outcome, type Check } from "./types.js";

/** |a − b| < this is vitest's toBeCloseTo(b, 12). */
const CLOSE_12 = 5e-13;

export function penaltyChecks(penalty: Penalty): Check[] {
  const kind = penalty.kind;
  const value = (U: Float64Array, d: number, k: number, beta: number): number =>
    penalty.addGradient(U, d, k, beta, 0, new Float64Array(d * k), new Float64Array(k));
  const [d, k, beta] = [4, 5, 0.1];
  const checks: Check[] = [
    {
      name: "is zero at U = 0 and nonnegative elsewhere",
      run() {
        const zero = value(new Float64Array(d * k), d, k, beta);
        let min = Infinity;
        for (let s = 0; s < 5; s++) min = Math.min(min, value(randomArray(d * k, `pen-${kind}-${s}`), d, k, beta));
        return outcome(zero === 0 && min >= 0, `R(0) = ${num(zero)}; smallest R at 5 random U: ${num(min)}`);
      },
    },
    {
      name: "returns R(U) whatever λ, adds nothing to the gradient at λ = 0, and λ·(its gradient) at λ",
      run() {
        const U = randomArray(d * k, `pen-${kind}-lin`, 0.6);
        const g0 = new Float64Array(d * k);
        const r0 = penalty.addGradient(U, d, k, beta, 0, g0, new Float64Array(k));
        const touched = g0.filter((x) => x !== 0).length;
        const g1 = new Float64Array(d * k).fill(1);
        const g3 = new Float64Array(d * k).fill(1);
        const r1 = penalty.addGradient(U, d, k, beta, 1, g1, new Float64Array(k));
        penalty.addGradient(U, d, k, beta, 3, g3, new Float64Array(k));
        let worst = 0;
        for (let i = 0; i < d * k; i++) worst = Math.max(worst, Math.abs(g3[i] - 1 - 3 * (g1[i] - 1)));
        return outcome(touched === 0 && r1 === r0 && worst < CLOSE_12,
          `${touched} gradient entries changed at λ = 0; R at λ = 1 ${r1 === r0 ? "equals" : `is ${num(r1)}, not`} R at λ = 0; ` +
          `max |(λ = 3) − 3·(λ = 1)| ${num(worst)} (limit ${CLOSE_12})`);
      },
    },
    {
      name: "does not depend on the order of the columns",
      run() {
        const U = randomArray(d * k, `pen-${kind}-perm`);
        const P = new Float64Array(d * k);
        for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) P[i * k + j] = U[i * k + (k - 1 - j)];
        const diff = Math.abs(value(P, d, k, beta) - value(U, d, k, beta));
        return outcome(diff < CLOSE_12, `|R(U permuted) − R(U)| ${num(diff)} (limit ${CLOSE_12})`);
      },
    },
    {
      name: "is deterministic: the same U gives the same value and gradient, bit for bit",
      run() {
        const U = randomArray(d * k, `pen-${kind}-det`, 0.5);
        const once = () => {
          const g = new Float64Array(d * k);
          const r = penalty.addGradient(U, d, k, beta, 0.3, g, new Float64Array(k));
          const V = Float64Array.from(U);
          penalty.prox?.(V, d, k, beta, 0.1, new Float64Array(k));
          return [r, ...g, ...V];
        };
        const a = once();
        const b = once();
        const differ = a.filter((x, i) => !Object.is(x, b[i])).length;
        return outcome(differ === 0, `${differ} of ${a.length} numbers differ between two calls`);
      },
    },
    {
      name: `keeps no memory per call (heap after ${GROWTH_STEPS} calls)`,
      run() {
        const U = randomArray(d * k, `pen-${kind}-mem`, 0.5);
        const grad = new Float64Array(d * k);
        const colSq = new Float64Array(k);
        const growth = heapGrowth(() => {
          penalty.addGradient(U, d, k, beta, 0.1, grad, colSq);
          penalty.prox?.(U, d, k, beta, 1e-12, colSq);
        });
        return outcome(growth < GROWTH_LIMIT, `heap change ${growth >= 0 ? "+" : ""}${kib(growth)} (limit +${kib(GROWTH_LIMIT)})`);
      },
    },
  ];
  const prox = penalty.prox;
  if (!prox) {
    for (const [dd, kk, b] of [[4, 3, 0.1], [1, 1, 1e-3], [7, 5, 2]]) {
      checks.push({
        name: `has λ∇R equal to finite differences (d=${dd}, k=${kk}, β=${b})`,
        run() {
          const lambda = 0.3;
          const U = randomArray(dd * kk, `pen-fd-${kind}-${dd}-${kk}`, 0.4);
          const grad = new Float64Array(dd * kk);
          penalty.addGradient(U, dd, kk, b, lambda, grad, new Float64Array(kk));
          const numeric = numericalGradient((W) => lambda * value(W, dd, kk, b), U);
          const err = relativeMaxError(grad, numeric);
          return outcome(err < 1e-7, `max relative error ${num(err)} (limit 1e-7)`);
        },
      });
    }
    return checks;
  }
  // φ(V) = ½‖V − U‖² + t·R(V) is convex, so V = prox(U) is its minimizer iff every
  // one-sided directional derivative φ'(V; δ) is ≥ 0: checked along coordinates and random directions
  for (const t of [0.05, 0.5, 2]) {
    checks.push({
      name: `solves its subproblem: no direction decreases ½‖V − U‖² + t·R(V) at V = prox(U) (t = ${t})`,
      run() {
        const U = randomArray(d * k, `prox-${kind}-${t}`);
        const V = Float64Array.from(U);
        prox(V, d, k, beta, t, new Float64Array(k));
        const phi = (W: Float64Array): number => {
          let s = 0;
          for (let i = 0; i < W.length; i++) s += 0.5 * (W[i] - U[i]) ** 2;
          return s + t * value(W, d, k, beta);
        };
        const base = phi(V);
        const h = 1e-7;
        const directions: Float64Array[] = [];
        for (let i = 0; i < d * k; i++) {
          for (const sign of [1, -1]) {
            const e = new Float64Array(d * k);
            e[i] = sign;
            directions.push(e);
          }
        }
        for (let s = 0; s < 50; s++) directions.push(randomArray(d * k, `prox-dir-${kind}-${s}`));
        let worst = Infinity;
        for (const e of directions) {
          const W = Float64Array.from(V);
          for (let i = 0; i < W.length; i++) W[i] += h * e[i];
          worst = Math.min(worst, (phi(W) - base) / h);
        }
        return outcome(worst > -1e-6, `smallest directional derivative ${num(worst)} (limit −1e-6)`);
      },
    });
  }
  checks.push({
    name: "is the identity at t = 0",
    run() {
      const U = randomArray(d * k, `prox-id-${kind}`);
      const V = Float64Array.from(U);
      prox(V, d, k, beta, 0, new Float64Array(k));
      const err = relativeMaxError(V, U);
      return outcome(err < 1e-15, `max relative change ${num(err)} (limit 1e-15)`);
    },
  });
  return checks;
}
