/**
 * Two-layer network with quadratic activation (paper.md, model 3): x ~ N(0, I_d),
 * teacher y = ‖U*ᵀx‖² + σξ, student ŷ(x) = Σ_j (u_jᵀx)² = ‖Uᵀx‖², second layer
 * fixed to 1, a column of U is a hidden neuron. L = (1/n) Σ (ŷ_i − y_i)²,
 * ∇L = (4/n) Xᵀ diag(r) X U. This is matrix sensing with rank-one measurements
 * x_i x_iᵀ, so three routes compute the same step at different costs:
 *   xu       P = XU, r, then (4/n)·Xᵀ(r∘P)                 O(2·n·d·k)
 *   gram     W = UUᵀ, r_i = x_iᵀWx_i − y_i, (4/n)(Σ r_i x_i x_iᵀ)U   O(1.5·n·d² + 1.5·d²·k)
 *   moments  second moments of pack(x_i x_iᵀ), once           O(d⁴/4 + 1.5·d²·k)
 * No route forms a d×d matrix per sample.
 */
import { drawRows, type Rng } from "../random/streams.js";
import { gram, matmul, matmulTransA, copyPrefix } from "../linalg/dense.js";
import { packedSize } from "../linalg/packed.js";
import { projectedResiduals, quadFormResidualGram } from "../linalg/quadratic.js";
import { createWasmWorkspace, quadScratchSize } from "../linalg/wasm/kernels.js";
import { momentsOf, rankOneMoments } from "../linalg/moments.js";
import { inputsQuadSse } from "../linalg/rows.js";
import { plantGroundTruth, symmetricRecoveryError } from "./ground-truth.js";
import { MAX_MOMENTS_SIZE, momentsRoute, type Moments } from "./moments.js";
import { MIN_CACHED_WORK, type DataStore, type Loss, type Problem, type Solver } from "./types.js";

export interface QuadraticSamples {
  n: number;
  /** n×d inputs, one per row. */
  X: Float64Array;
  y: Float64Array;
}

/** Draw n inputs x ~ N(0, I_d) and teacher outputs ‖U*ᵀx‖² + σξ; per sample: x, then ξ. */
export function drawQuadraticSamples(d: number, r: number, n: number, Ustar: Float64Array, noise: number, rng: Rng): QuadraticSamples {
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  drawRows(rng, n, d, (i, z, zo) => {
    const o = i * d;
    for (let a = 0; a < d; a++) X[o + a] = z[zo + a];
    let s = 0;
    for (let j = 0; j < r; j++) {
      let p = 0;
      for (let a = 0; a < d; a++) p += X[o + a] * Ustar[a * r + j];
      s += p * p;
    }
    y[i] = s + noise * z[zo + d];
  });
  return { n, X, y };
}

export type QuadraticRoute = "moments" | "gram" | "xu";

/** Cheapest route per step by operation count (the moments' one-off cost amortizes over a run). */
export function chooseQuadraticRoute(d: number, k: number, n: number): QuadraticRoute {
  const m = packedSize(d);
  const xu = 2 * n * d * k;
  const gramCost = 1.5 * n * d * d + 1.5 * d * d * k;
  if (m <= MAX_MOMENTS_SIZE && m < n && m * m < Math.min(xu, gramCost)) return "moments";
  return xu < gramCost ? "xu" : "gram";
}

/** Second moments of pack(x_i x_iᵀ) without storing the packed rows: the fourth moments of the inputs, O(n·d⁴/24). */
function momentsOfSamples(data: QuadraticSamples, d: number): Moments {
  return rankOneMoments(data.X, data.n, d, data.y);
}

/** The training set and its moments from the store, when it holds them whole at these sizes. */
function cachedSamples(store: DataStore | undefined, n: number, d: number): { train: QuadraticSamples; moments: Moments } | null {
  const m = packedSize(d);
  const a = store?.get();
  if (!a || a.X?.length !== n * d || a.y?.length !== n || a.H?.length !== m * m || a.b?.length !== m || a.c?.length !== 1) return null;
  return { train: { n, X: a.X, y: a.y }, moments: momentsOf(m, a.H, a.b, a.c[0]) };
}

export const quadraticNet: Solver = {
  kind: "quadratic-net",
  description: "two-layer network ŷ = ‖Uᵀx‖², x ~ N(0, I), a column is a neuron",
  // A_i = x_i x_iᵀ: Σ ξ_i x_i x_iᵀ has mean 0 and entries of variance ~1, so its edge is ≈ √n·2√d
  noiseEdge: (spec) => 4 * spec.noise * Math.sqrt(spec.d / spec.n),
  usesSamples: true,
  // E(xᵀΔx)² = 2‖Δ‖²_F + tr(Δ)²: the Frobenius part doubles sensing's 8σ_1², and the trace part
  // adds at most 2·(2 tr(U*ᵀE))² ≤ 8‖U*‖²_F = 8 Σσ_j² (E = U*/‖U*‖_F)
  columnLossFactor: 3,
  curvature: (s) => 16 * s[0] ** 2 + 8 * s.reduce((sum, x) => sum + x * x, 0),
  createProblem(spec, streams, store?: DataStore): Problem {
    const truth = plantGroundTruth(spec.d, spec.r, spec.kappa, streams.truth);
    const { d, r } = spec;
    const m = packedSize(d);
    const cached = cachedSamples(store, spec.n, d);
    const train = cached?.train ?? drawQuadraticSamples(d, r, spec.n, truth.Ustar, spec.noise, streams.train);
    const test = drawQuadraticSamples(d, r, spec.n_test, truth.Ustar, spec.noise, streams.test);
    // the direct losses of log rows (the inputs copied into WebAssembly on first use, once per data set)
    const trainSse = inputsQuadSse(train.X, train.n, d, train.y);
    const testSse = inputsQuadSse(test.X, test.n, d, test.y);
    let moments: Moments | undefined = cached?.moments;
    const buildMoments = (): Moments => {
      const mo = momentsOfSamples(train, d);
      if (store && train.n * m * m >= MIN_CACHED_WORK) {
        store.put({ X: train.X, y: train.y, H: mo.H, b: mo.b, c: Float64Array.of(mo.c) });
      }
      return mo;
    };
    return {
      spec,
      truth,
      routes: ["moments", "gram", "xu"],
      factorRows: d,
      recoveryError: symmetricRecoveryError(truth),
      createLoss(kMax: number, route: string = chooseQuadraticRoute(d, kMax, spec.n)): Loss {
        const W = new Float64Array(d * d);
        const G = new Float64Array(d * d);
        const t = new Float64Array(d);
        const P = route === "xu" ? new Float64Array(spec.n * kMax) : new Float64Array(0);
        if (route === "moments") moments ??= buildMoments();
        const fast = route === "moments" ? momentsRoute(moments!, d, kMax) : undefined;
        // gram route in WebAssembly when the kernels are built: the training set is copied in once
        // (n·d doubles), then each step copies U in and the gradient out
        const ws = route === "gram"
          ? createWasmWorkspace({ X: train.n * d, y: train.n, U: d * kMax, W: d * d, G: d * d, t: quadScratchSize(d), GU: d * kMax })
          : null;
        ws?.arrays.X.view.set(train.X);
        ws?.arrays.y.view.set(train.y);
        const mse = (data: QuadraticSamples, U: Float64Array, k: number): number => {
          if (data.n === 0) return NaN;
          if (ws && data === train) {
            const A = ws.arrays;
            copyPrefix(U, A.U.view, d * k);
            ws.gram(A.U, d, k, A.W);
            return ws.quadFormSse(A.X, data.n, d, A.W, A.y, A.t) / data.n;
          }
          return (data === train ? trainSse : testSse)(gram(U, d, k, W)) / data.n;
        };
        const scaleInto = (grad: Float64Array, k: number, s: number): void => {
          for (let i = 0; i < d * k; i++) grad[i] *= s;
        };
        const steps: Record<QuadraticRoute, (U: Float64Array, k: number, grad: Float64Array) => number> = {
          moments: (U, k, grad) => fast!.valueAndGradient(U, k, grad),
          gram(U, k, grad) {
            if (ws) {
              const A = ws.arrays;
              copyPrefix(U, A.U.view, d * k);
              ws.gram(A.U, d, k, A.W);
              const sse = ws.quadFormResidualGram(A.X, train.n, d, A.W, A.y, A.G, A.t);
              const GU = ws.matmul(A.G, d, d, A.U, k, A.GU);
              const s = 4 / train.n;
              for (let i = 0; i < d * k; i++) grad[i] = s * GU[i];
              return sse / train.n;
            }
            const sse = quadFormResidualGram(train.X, train.n, d, gram(U, d, k, W), train.y, G, t);
            matmul(G, d, d, U, k, grad);
            scaleInto(grad, k, 4 / train.n);
            return sse / train.n;
          },
          xu(U, k, grad) {
            const sse = projectedResiduals(train.X, train.n, d, U, k, train.y, P);
            matmulTransA(train.X, train.n, d, P, k, grad);
            scaleInto(grad, k, 4 / train.n);
            return sse / train.n;
          },
        };
        const p = new Float64Array(kMax);
        // (1/B) Σ_batch r_i², ∇ = (4/B) Σ r_i x_i (Uᵀx_i)ᵀ: O(B·d·k), no d×d matrix
        const minibatchStep = (U: Float64Array, k: number, rows: Int32Array, offset: number, count: number, grad: Float64Array): number => {
          grad.fill(0, 0, d * k);
          let sse = 0;
          for (let b = offset; b < offset + count; b++) {
            const o = rows[b] * d;
            p.fill(0, 0, k);
            for (let a = 0; a < d; a++) {
              const xa = train.X[o + a];
              const ua = a * k;
              for (let j = 0; j < k; j++) p[j] += xa * U[ua + j];
            }
            let yhat = 0;
            for (let j = 0; j < k; j++) yhat += p[j] * p[j];
            const r = yhat - train.y[rows[b]];
            sse += r * r;
            const s = (4 * r) / count;
            for (let a = 0; a < d; a++) {
              const xa = s * train.X[o + a];
              const ua = a * k;
              for (let j = 0; j < k; j++) grad[ua + j] += xa * p[j];
            }
          }
          return sse / count;
        };
        const step = steps[route as QuadraticRoute];
        if (!step) throw new Error(`quadratic-net: unknown route ${route}`);
        return {
          valueAndGradient: step,
          trainLoss: (U, k, known) => fast?.lossIfAccurate(U, k, known) ?? mse(train, U, k),
          testLoss: (U, k) => mse(test, U, k),
          fused: fast?.fused,
          minibatch: { samples: train.n, valueAndGradient: minibatchStep },
        };
      },
    };
  },
};
