/**
 * What every solver promises beyond its gradient (solver-suite.test.ts): the
 * registry, the planted ground truth, the recovery error, the curvature and
 * column-loss factor the config's formulas and warnings use, a test loss of
 * nothing when n_test = 0, the training data read back from a data store
 * instead of drawn, and the routes each model chooses.
 */
import { describe, expect, it } from "vitest";
import { findSolver, solverKinds } from "../../src/solvers/registry.js";
import { problemStreams } from "../../src/pipeline/seeds.js";
import { plantedSingularValues, plantGroundTruth, randomOrthonormal, sensingCurvature } from "../../src/solvers/ground-truth.js";
import { drawSensingMeasurements } from "../../src/solvers/matrix-sensing.js";
import { chooseQuadraticRoute, drawQuadraticSamples } from "../../src/solvers/quadratic-net.js";
import { packedRowMoments, rankOneMoments } from "../../src/linalg/moments.js";
import { chooseSensingRoute, MAX_MOMENTS_SIZE, momentsValueAndResidual } from "../../src/solvers/moments.js";
import { rowsResidualMean } from "../../src/solvers/minibatch.js";
import { createStream } from "../../src/random/streams.js";
import { MIN_CACHED_WORK, type DataStore, type ProblemSpec } from "../../src/solvers/types.js";
import { randomArray } from "../helpers.js";

const build = (kind: string, over: Partial<ProblemSpec> = {}, seed = 7, store?: DataStore) => {
  const s: ProblemSpec = { kind, d: 5, r: 2, kappa: 2, n: 60, n_test: 30, noise: 0.1, ...over };
  return findSolver(kind)!.createProblem(s, problemStreams(seed, s), store);
};

describe("the registry", () => {
  it("lists the four models by kind, and knows no other", () => {
    expect(solverKinds).toEqual(["population", "matrix-sensing", "quadratic-net", "asymmetric-sensing"]);
    for (const kind of solverKinds) expect(findSolver(kind)!.kind).toBe(kind);
    expect(findSolver("sensing")).toBeUndefined();
  });

  it("says which models have samples (n, n_test, noise mean something)", () => {
    expect(solverKinds.map((k) => findSolver(k)!.usesSamples)).toEqual([false, true, true, true]);
    for (const kind of solverKinds) expect(findSolver(kind)!.description.length).toBeGreaterThan(10);
  });

  it("gives the curvature at U* (8σ_1² for sensing, 16σ_1² + 8Σσ_j² for the quadratic net) and the column-loss factor (3 for the net)", () => {
    const s = [2, 1];
    expect(findSolver("population")!.curvature!(s)).toBe(32);
    expect(findSolver("matrix-sensing")!.curvature!(s)).toBe(32);
    expect(sensingCurvature(s)).toBe(32);
    expect(findSolver("quadratic-net")!.curvature!(s)).toBe(64 + 8 * 5);
    expect(findSolver("quadratic-net")!.columnLossFactor).toBe(3);
    expect(findSolver("matrix-sensing")!.columnLossFactor).toBeUndefined();
  });
});

describe("the planted ground truth", () => {
  it("has singular values evenly spaced from 1 to 1/κ (just 1 when r = 1)", () => {
    expect(plantedSingularValues(1, 10)).toEqual([1]);
    expect(plantedSingularValues(3, 4)).toEqual([1, 0.625, 0.25]);
    expect(plantedSingularValues(2, 1)).toEqual([1, 1]);
  });

  it("is U* = Q·diag(s) with orthonormal Q, M* = U*U*ᵀ and ‖M*‖_F = sqrt(Σ s⁴)", () => {
    const Q = randomOrthonormal(6, 3, createStream("q"));
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let dot = 0;
        for (let i = 0; i < 6; i++) dot += Q[i * 3 + a] * Q[i * 3 + b];
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
      }
    }
    const t = plantGroundTruth(6, 3, 4, createStream("q"));
    expect([t.d, t.r, t.singularValues]).toEqual([6, 3, [1, 0.625, 0.25]]);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 3; j++) expect(t.Ustar[i * 3 + j]).toBeCloseTo(Q[i * 3 + j] * t.singularValues[j], 14);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        let m = 0;
        for (let c = 0; c < 3; c++) m += t.Ustar[i * 3 + c] * t.Ustar[j * 3 + c];
        expect(t.Mstar[i * 6 + j]).toBeCloseTo(m, 14);
      }
    }
    expect(t.MstarNorm).toBeCloseTo(Math.sqrt(1 + 0.625 ** 4 + 0.25 ** 4), 12);
  });

  it("gives recovery error 0 at U* and 1 at U = 0, for every model", () => {
    for (const kind of solverKinds) {
      const p = build(kind);
      expect(p.recoveryError(p.truth.Ustar, 2), kind).toBeLessThan(1e-15);
      expect(p.recoveryError(new Float64Array(p.factorRows * 2), 2), kind).toBe(1);
      // half of U*: UUᵀ = M*/4 (symmetric) or UVᵀ = M*/4 (asymmetric): error 3/4
      expect(p.recoveryError(p.truth.Ustar.map((x) => x / 2), 2), kind).toBeCloseTo(0.75, 14);
    }
  });
});

describe("losses", () => {
  it.each(solverKinds.filter((k) => findSolver(k)!.usesSamples))("%s: no held-out set (n_test = 0) gives a test loss of NaN, not 0", (kind) => {
    const p = build(kind, { n_test: 0 });
    for (const route of p.routes) expect(p.createLoss(2, route).testLoss(p.truth.Ustar, 2), route).toBeNaN();
  });

  it("population: the loss is ‖UUᵀ − M*‖²_F and the test loss is the same", () => {
    const p = build("population");
    const loss = p.createLoss(2);
    expect(loss.trainLoss(new Float64Array(10), 2)).toBeCloseTo(p.truth.MstarNorm ** 2, 12);
    const U = randomArray(10, "pop", 0.5);
    expect(loss.testLoss(U, 2)).toBe(loss.trainLoss(U, 2));
    expect(loss.minibatch).toBeUndefined();
    // the gradient at U = 0 vanishes, and at U* too
    const grad = new Float64Array(10).fill(9);
    expect(loss.valueAndGradient(p.truth.Ustar, 2, grad)).toBeLessThan(1e-28);
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-14);
  });

  it("sample models: the train loss of the zero factor is the mean of y² (a sum over the n training samples, divided by n)", () => {
    for (const kind of ["matrix-sensing", "quadratic-net", "asymmetric-sensing"]) {
      const noisy = build(kind, { noise: 0 });
      const zero = new Float64Array(noisy.factorRows * 2);
      // E y² = ‖M*‖²_F for sensing (isometry); any finite positive value is fine here: the routes must agree on it
      const values = noisy.routes.map((route) => noisy.createLoss(2, route).trainLoss(zero, 2));
      for (const v of values) expect(v / values[0], kind).toBeCloseTo(1, 9);
      const grad = new Float64Array(noisy.factorRows * 2);
      for (const route of noisy.routes) expect(noisy.createLoss(2, route).valueAndGradient(zero, 2, grad) / values[0], `${kind} ${route}`).toBeCloseTo(1, 9);
    }
  });

  it("sample models: trainLoss given valueAndGradient's value at U (the logs' reuse) is trainLoss computed afresh, bit for bit, above and below the moments' accuracy floor", () => {
    for (const kind of ["matrix-sensing", "quadratic-net", "asymmetric-sensing"]) {
      const p = build(kind, { noise: 0 });
      const rows = p.factorRows;
      // far from the truth (the moments' value is logged) and at it (L ≈ 0: the direct loss is)
      const far = randomArray(rows * 2, `${kind}-known`, 0.5);
      for (const [where, U] of [["far", far], ["at U*", p.truth.Ustar]] as const) {
        for (const route of p.routes) {
          const loss = p.createLoss(2, route);
          const known = loss.valueAndGradient(U, 2, new Float64Array(rows * 2));
          const afresh = p.createLoss(2, route).trainLoss(U, 2);
          expect(Object.is(loss.trainLoss(U, 2, known), afresh), `${kind} ${route} ${where}`).toBe(true);
        }
      }
    }
  });

  it("quadratic-net refuses a route it does not have", () => {
    expect(() => build("quadratic-net").createLoss(2, "fast")).toThrow("quadratic-net: unknown route fast");
  });

  it("moments: the value never goes below 0 from cancellation", () => {
    // H = [1], b = [1], c = 1 - 1e-17: xᵀHx − 2bᵀx + c at x = 1 is slightly negative in exact arithmetic of these inputs
    const mo = { m: 1, H: Float64Array.of(1), b: Float64Array.of(1), c: 1 - 2 ** -52, symv: (x: Float64Array, out: Float64Array) => ((out[0] = x[0]), out) };
    const g = new Float64Array(1);
    expect(momentsValueAndResidual(mo as never, Float64Array.of(1), g)).toBe(0);
    expect(g[0]).toBe(0);
    expect(momentsValueAndResidual(mo as never, Float64Array.of(3), g)).toBeCloseTo(4, 12);
  });

  it("minibatch: the mean residual and gradient over the listed rows only", () => {
    // A = rows [1, 0], [0, 2], [1, 1]; y = [1, 1, 1]; x = [1, 1]
    const A = Float64Array.of(1, 0, 0, 2, 1, 1);
    const y = Float64Array.of(1, 1, 1);
    const g = new Float64Array(2).fill(7);
    // rows 1 and 2 (offset 1, count 2 of [0, 1, 2]): residuals 1 and 1
    const value = rowsResidualMean(A, 2, y, Int32Array.of(0, 1, 2), 1, 2, Float64Array.of(1, 1), g);
    expect(value).toBe(1);
    expect([...g]).toEqual([0.5, 1.5]);
  });
});

describe("routes", () => {
  it("each model lists the routes it offers and the rows of the factor its loss takes", () => {
    expect(solverKinds.map((k) => [k, build(k).routes, build(k).factorRows])).toEqual([
      ["population", ["dense"], 5],
      ["matrix-sensing", ["moments", "direct"], 5],
      ["quadratic-net", ["moments", "gram", "xu"], 5],
      ["asymmetric-sensing", ["moments", "direct"], 10],
    ]);
  });


  it("sensing takes the moments while the packed size fits and is below 2n", () => {
    expect(chooseSensingRoute(100, 51)).toBe("moments");
    expect(chooseSensingRoute(100, 50)).toBe("direct");
    expect(chooseSensingRoute(MAX_MOMENTS_SIZE, 10 ** 6)).toBe("moments");
    expect(chooseSensingRoute(MAX_MOMENTS_SIZE + 1, 10 ** 6)).toBe("direct");
  });

  it("the quadratic net takes the moments only when they fit, m < n and m² is below both per-step costs", () => {
    // d = 4: m = 10; xu = 2·n·d·k, gram = 1.5·n·d² + 1.5·d²·k
    expect(chooseQuadraticRoute(4, 2, 11)).toBe("moments");
    expect(chooseQuadraticRoute(4, 2, 10)).toBe("xu");
    // k = 1, n = 12: m² = 100 is not below xu's 2·12·4·1 = 96
    expect(chooseQuadraticRoute(4, 1, 12)).toBe("xu");
    expect(chooseQuadraticRoute(4, 1, 13)).toBe("moments");
    // d = 80: m = 3240 > MAX_MOMENTS_SIZE
    expect(chooseQuadraticRoute(80, 1000, 10 ** 6)).toBe("gram");
    expect(chooseQuadraticRoute(80, 2, 10 ** 6)).toBe("xu");
    // d = 8, k = 1, n = 81: m² = 1296 equals xu's 2·81·8 and is not below it
    expect(chooseQuadraticRoute(8, 1, 81)).toBe("xu");
    // d = 2, n = 3 (m = 3 is not below n): xu 24 < gram 1.5·3·4 + 1.5·4·2 = 30; at k = 3 both are 36 and gram wins the tie
    expect(chooseQuadraticRoute(2, 2, 3)).toBe("xu");
    expect(chooseQuadraticRoute(2, 3, 3)).toBe("gram");
  });
});

/** A store that records what was put, and returns what it was given. */
function memoryStore(initial: Record<string, Float64Array> | null = null) {
  const store = { held: initial, puts: 0, get: () => store.held, put: (a: Record<string, Float64Array>) => ((store.held = a), store.puts++) };
  return store;
}

/** What a store holds for `kind`'s training set at this spec and seed: the samples and their second moments. */
function storedData(kind: string, spec: ProblemSpec, seed: number): Record<string, Float64Array> {
  const streams = problemStreams(seed, spec);
  const truth = plantGroundTruth(spec.d, spec.r, spec.kappa, streams.truth);
  if (kind === "matrix-sensing") {
    const t = drawSensingMeasurements(spec.d, spec.n, truth.Mstar, spec.noise, streams.train);
    const mo = packedRowMoments(t.A, t.n, t.m, t.y);
    return { A: t.A, y: t.y, H: mo.H, b: mo.b, c: Float64Array.of(mo.c) };
  }
  const t = drawQuadraticSamples(spec.d, spec.r, spec.n, truth.Ustar, spec.noise, streams.train);
  const mo = rankOneMoments(t.X, t.n, spec.d, t.y);
  return { X: t.X, y: t.y, H: mo.H, b: mo.b, c: Float64Array.of(mo.c) };
}

describe.each(["matrix-sensing", "quadratic-net"])("%s with a data store", (kind) => {
  it("puts its training set and moments when they are worth caching (n·m² ≥ 1e8), and not when cheaper to rebuild", () => {
    // d = 20: m = 210, n = 2300
    expect(2300 * 210 * 210).toBeGreaterThanOrEqual(MIN_CACHED_WORK);
    const store = memoryStore();
    build(kind, { d: 20, n: 2300, n_test: 1, noise: 0 }, 7, store).createLoss(2, "moments");
    expect(store.puts).toBe(1);
    expect(Object.keys(store.held!).sort()).toEqual(kind === "matrix-sensing" ? ["A", "H", "b", "c", "y"] : ["H", "X", "b", "c", "y"]);
    const small = memoryStore();
    build(kind, { n: 100 }, 7, small).createLoss(2, "moments");
    expect(small.puts).toBe(0);
  });

  const spec = { kind, d: 5, r: 2, kappa: 2, n: 60, n_test: 30, noise: 0.1 };

  it("reads the training set from the store instead of drawing it (the test set is drawn as always)", () => {
    const fromStore = build(kind, {}, 7, memoryStore(storedData(kind, spec, 8)));
    const own = build(kind, {}, 7);
    const fromSeed8 = build(kind, {}, 8);
    const U = randomArray(5 * 2, `${kind}-store`, 0.3);
    for (const route of fromStore.routes) {
      // the stored (seed 8) training data, this seed's test data
      expect(fromStore.createLoss(2, route).trainLoss(U, 2), route).toBe(fromSeed8.createLoss(2, route).trainLoss(U, 2));
      expect(fromStore.createLoss(2, route).testLoss(U, 2), route).toBe(own.createLoss(2, route).testLoss(U, 2));
    }
  });

  it("ignores a store whose arrays do not fit these sizes, and draws its own", () => {
    const U = randomArray(5 * 2, `${kind}-store-misfit`, 0.3);
    const own = build(kind, {}, 7).createLoss(2).trainLoss(U, 2);
    for (const misfit of ["y", "H", "b", "c", kind === "matrix-sensing" ? "A" : "X"]) {
      const held = storedData(kind, spec, 8);
      held[misfit] = new Float64Array(held[misfit].length + 1);
      expect(build(kind, {}, 7, memoryStore(held)).createLoss(2).trainLoss(U, 2), misfit).toBe(own);
    }
  });

  it("ignores a store that lacks one of its arrays (an older or damaged cache), and draws its own", () => {
    const U = randomArray(5 * 2, `${kind}-store-missing`, 0.3);
    const own = build(kind, {}, 7).createLoss(2).trainLoss(U, 2);
    for (const missing of [kind === "matrix-sensing" ? "A" : "X", "y", "H", "b", "c"]) {
      const held = storedData(kind, spec, 8);
      delete held[missing];
      expect(build(kind, {}, 7, memoryStore(held)).createLoss(2).trainLoss(U, 2), missing).toBe(own);
    }
  });
});
