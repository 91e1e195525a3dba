/**
 * The shared checks of a model (solvers/types.ts), on each of its routes: the
 * gradient matches finite differences, all routes agree, the data are
 * deterministic and held out as they should be, noise draws scale with σ, plain
 * gradient descent fits a trivial instance, and a gradient step keeps no memory.
 */
import { problemStreams } from "../pipeline/seeds.js";
import type { ProblemSpec, Solver } from "../solvers/types.js";
import { heapGrowth, GROWTH_LIMIT, GROWTH_STEPS, kib, num, numericalGradient, randomArray, relativeMaxError } from "./numeric.js";
import { outcome, type Check } from "./types.js";

export function solverSpec(kind: string, over: Partial<ProblemSpec> = {}): ProblemSpec {
  return { kind, d: 5, r: 2, kappa: 2, n: 60, n_test: 30, noise: 0.1, ...over };
}

export function solverChecks(solver: Solver): Check[] {
  const kind = solver.kind;
  const build = (over: Partial<ProblemSpec> = {}, seed = 7) => {
    const s = solverSpec(kind, over);
    return solver.createProblem(s, problemStreams(seed, s));
  };
  const problem = build();
  // rows of the factor the loss takes (spec.d, or d + d2 for a stacked [U; V])
  const d = problem.factorRows;
  const checks: Check[] = [];
  for (const route of problem.routes) {
    for (const k of [1, 3, 4]) {
      checks.push({
        name: `route ${route}: has a gradient equal to finite differences (k = ${k})`,
        run() {
          const loss = problem.createLoss(k, route);
          const U = randomArray(d * k, `${kind}-${route}-${k}`, 0.7);
          const grad = new Float64Array(d * k);
          const value = loss.valueAndGradient(U, k, grad);
          const train = loss.trainLoss(U, k);
          const numeric = numericalGradient((W) => loss.trainLoss(W, k), U);
          const err = relativeMaxError(grad, numeric);
          // toBeCloseTo(train, 9): |value − train| < 5e-10
          const gap = Math.abs(value - train);
          return outcome(gap < 5e-10 && err < 1e-6, `max relative gradient error ${num(err)} (limit 1e-6); |value − trainLoss| ${num(gap)} (limit 5e-10)`);
        },
      });
    }
    checks.push({
      name: `route ${route}: agrees with every other route`,
      run() {
        const k = 3;
        const U = randomArray(d * k, `${kind}-agree`, 0.5);
        const ref = new Float64Array(d * k);
        const refValue = problem.createLoss(k, problem.routes[0]).valueAndGradient(U, k, ref);
        const grad = new Float64Array(d * k);
        const value = problem.createLoss(k, route).valueAndGradient(U, k, grad);
        const gap = Math.abs(value - refValue);
        const err = relativeMaxError(grad, ref);
        return outcome(gap < 1e-10 * Math.max(1, refValue) && err < 1e-10, `value differs by ${num(gap)}, gradient by ${num(err)} relative (limits 1e-10)`);
      },
    });
  }
  checks.push({
    name: "logs the same train loss on every route: to 1e-9 relative when large, exactly at round-off level",
    run() {
      const k = 3;
      const U = randomArray(d * k, `${kind}-logged`, 0.5);
      const values = problem.routes.map((route) => problem.createLoss(k, route).trainLoss(U, k));
      const spread = Math.max(...values.map((v) => Math.abs(v - values[0])));
      // at the planted solution (noise-free problem) the loss is pure round-off: computed directly on every route
      const exact = build({ noise: 0 });
      const Ustar = exact.truth.Ustar;
      const tiny = Math.max(...exact.routes.map((route) => exact.createLoss(exact.spec.r, route).trainLoss(Ustar, exact.spec.r)));
      return outcome(spread < 1e-9 * values[0] && tiny < 1e-25, `routes differ by ${num(spread)}; train loss at the planted U* without noise ${num(tiny)} (limit 1e-25)`);
    },
  });
  checks.push({
    name: "draws the same data for the same seed and problem, other data for another seed",
    run() {
      const U = randomArray(d * 2, `${kind}-det`);
      const a = build().createLoss(2).trainLoss(U, 2);
      const b = build().createLoss(2).trainLoss(U, 2);
      const c = build({}, 8).createLoss(2).trainLoss(U, 2);
      return outcome(a === b && c !== a, `train loss ${a}, again ${b}; with seed 8: ${c}`);
    },
  });
  // a model without samples (the population loss) has no test set and no noise draws: these two are not declared for it
  if (solver.usesSamples) {
    checks.push({
      name: "holds out its test loss: n_test fresh draws, independent of the training set",
      run() {
        const k = 3;
        const U = randomArray(d * k, `${kind}-heldout`, 0.5);
        for (const route of problem.routes) {
          const at = (over: Partial<ProblemSpec>) => {
            const loss = build(over).createLoss(k, route);
            return { train: loss.trainLoss(U, k), test: loss.testLoss(U, k) };
          };
          const base = at({});
          // more training data changes the train loss, not the test loss; more test data the reverse
          const moreTrain = at({ n: 90 });
          const moreTest = at({ n_test: 45 });
          if (base.test === base.train) return outcome(false, `route ${route}: test loss equals train loss (${base.test})`);
          if (moreTrain.train === base.train || moreTrain.test !== base.test) return outcome(false, `route ${route}: n 60 → 90 moved train ${base.train} → ${moreTrain.train}, test ${base.test} → ${moreTrain.test} (train should move, test not)`);
          if (moreTest.test === base.test || moreTest.train !== base.train) return outcome(false, `route ${route}: n_test 30 → 45 moved test ${base.test} → ${moreTest.test}, train ${base.train} → ${moreTest.train} (test should move, train not)`);
        }
        return outcome(true, "n moves only the train loss, n_test only the test loss");
      },
    });
    checks.push({
      name: "scales the same noise draws by σ, σ = 0 included (losses quadratic in σ)",
      run() {
        // from the same streams, y_i(σ) = y_i(0) + σξ_i with the same inputs and ξ for every σ, so
        // L(U; σ) is a quadratic in σ and its third difference over σ = 0, 1, 2, 3 vanishes; skipping
        // the ξ draw at σ = 0 would shift every later draw and break it
        const k = 2;
        const U = randomArray(d * k, `${kind}-noise`, 0.5);
        const sameStreams = (noise: number) => solver.createProblem(solverSpec(kind, { noise }), problemStreams(7, solverSpec(kind, { noise: 0 })));
        let worst = 0;
        for (const route of problem.routes) {
          for (const which of ["trainLoss", "testLoss"] as const) {
            const L = [0, 1, 2, 3].map((noise) => sameStreams(noise).createLoss(k, route)[which](U, k));
            worst = Math.max(worst, Math.abs(L[3] - 3 * L[2] + 3 * L[1] - L[0]) / Math.max(...L));
          }
        }
        return outcome(worst < 1e-9, `third difference over σ = 0…3 relative to the loss: ${num(worst)} (limit 1e-9)`);
      },
    });
  }
  checks.push({
    name: "fits a trivial noiseless instance by plain gradient descent (k = r)",
    run() {
      const p = build({ d: 4, r: 1, kappa: 1, n: 200, n_test: 50, noise: 0 }, 3);
      const k = 1;
      const loss = p.createLoss(k);
      const U = randomArray(p.factorRows * k, `${kind}-fit`, 0.3);
      const grad = new Float64Array(p.factorRows * k);
      const first = loss.trainLoss(U, k);
      for (let t = 0; t < 3000; t++) {
        loss.valueAndGradient(U, k, grad);
        for (let i = 0; i < U.length; i++) U[i] -= 0.02 * grad[i];
      }
      const last = loss.trainLoss(U, k);
      return outcome(last < 1e-10 * Math.max(1, first), `train loss ${num(first)} → ${num(last)} in 3000 steps of size 0.02 (limit 1e-10·max(1, start))`);
    },
  });
  checks.push({
    name: `keeps no memory per gradient (heap after ${GROWTH_STEPS} gradients)`,
    run() {
      const k = 3;
      const loss = problem.createLoss(k);
      const U = randomArray(d * k, `${kind}-mem`, 0.5);
      const grad = new Float64Array(d * k);
      const growth = heapGrowth(() => void loss.valueAndGradient(U, k, grad));
      return outcome(growth < GROWTH_LIMIT, `heap change ${growth >= 0 ? "+" : ""}${kib(growth)} (limit +${kib(GROWTH_LIMIT)})`);
    },
  });
  return checks;
}
