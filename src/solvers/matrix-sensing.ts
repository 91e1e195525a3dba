/**
 * Matrix sensing from n symmetric Gaussian measurements (paper.md, model 2):
 * A_i = (G_i + G_iᵀ)/2, y_i = ⟨A_i, M*⟩ + σξ_i, L(U) = (1/n) Σ (⟨A_i, UUᵀ⟩ − y_i)²,
 * ∇L = (4/n) Σ r_i A_i U. A fresh set of n_test measurements gives the test loss.
 *
 * Each A_i is stored packed with doubled off-diagonals (linalg/packed.ts): a step
 * is one pass to form the residuals and Σ r_i a_i, O(n·d²) + O(d²·k), never
 * O(n·d²·k). When d(d+1)/2 ≤ MAX_MOMENTS_SIZE and < 2n the data are reduced once
 * to their second moments (./moments.ts) and a step costs O(d⁴/4) + O(d²·k).
 */
import { drawRows, type Rng } from "../random/streams.js";
import { gram } from "../linalg/dense.js";
import { packSymmetric, packedSize, packedResidualAccumulate } from "../linalg/packed.js";
import { momentsOf, packedRowMoments, streamRowMoments } from "../linalg/moments.js";
import { rowsResidualSse, type RowsSse } from "../linalg/rows.js";
import { SYRK_PANEL } from "../linalg/threads/chunks.js";
import { plantGroundTruth, sensingCurvature, symmetricRecoveryError } from "./ground-truth.js";
import { rowsResidualMean } from "./minibatch.js";
import { chooseSensingRoute, gradientFromPackedResidual, momentsRoute, type Moments } from "./moments.js";
import { MIN_CACHED_WORK, type DataStore, type Loss, type Problem, type Solver } from "./types.js";

export interface PackedMeasurements {
  n: number;
  m: number;
  /** n×m packed sensing matrices, off-diagonals doubled. */
  A: Float64Array;
  y: Float64Array;
}

/**
 * Draw n symmetric Gaussian measurements of Mstar (d×d). The off-diagonal entry
 * of A is (G_ij + G_ji)/2 ~ N(0, 1/2), so its doubled packed value is √2·N(0,1).
 * Per measurement: m entries, then the noise draw, so the first n measurements
 * of a larger set are the same. `A` (n×m) is where to draw them; `onRows(count)`
 * hears every SYRK_PANEL rows (and the last) that they are drawn: a helper thread
 * reduces each panel as it lands.
 */
export function drawSensingMeasurements(
  d: number, n: number, Mstar: Float64Array, noise: number, rng: Rng,
  A: Float64Array = new Float64Array(n * packedSize(d)), onRows?: (count: number) => void,
): PackedMeasurements {
  const m = packedSize(d);
  const y = new Float64Array(n);
  const mstar = packSymmetric(Mstar, d, new Float64Array(m));
  drawRows(rng, n, m, (i, z, zo) => {
    const o = i * m;
    let p = 0;
    let s = 0;
    for (let a = 0; a < d; a++) {
      const diag = z[zo + p];
      A[o + p] = diag;
      s += diag * mstar[p++];
      for (let b = a + 1; b < d; b++) {
        const v = Math.SQRT2 * z[zo + p];
        A[o + p] = v;
        s += v * mstar[p++];
      }
    }
    y[i] = s + noise * z[zo + m];
    if (onRows && ((i + 1) % SYRK_PANEL === 0 || i + 1 === n)) onRows(i + 1);
  });
  return { n, m, A, y };
}

/** The training set and its moments from the store, when it holds them whole at these sizes. */
function cachedSensing(store: DataStore | undefined, n: number, m: number): { train: PackedMeasurements; moments: Moments } | null {
  const a = store?.get();
  if (!a || a.A?.length !== n * m || a.y?.length !== n || a.H?.length !== m * m || a.b?.length !== m || a.c?.length !== 1) return null;
  return { train: { n, m, A: a.A, y: a.y }, moments: momentsOf(m, a.H, a.b, a.c[0]) };
}

export const matrixSensing: Solver = {
  kind: "matrix-sensing",
  description: "n symmetric Gaussian measurements ⟨A_i, M*⟩ + σξ",
  // A_i is a GOE-like matrix (diagonal N(0,1), off-diagonal N(0,1/2)): Σ ξ_i A_i ≈ √n·edge √(2d)
  noiseEdge: (spec) => 2 * spec.noise * Math.sqrt((2 * spec.d) / spec.n),
  usesSamples: true,
  curvature: sensingCurvature,
  createProblem(spec, streams, store?: DataStore): Problem {
    const truth = plantGroundTruth(spec.d, spec.r, spec.kappa, streams.truth);
    const d = spec.d;
    const m = packedSize(d);
    const cached = cachedSensing(store, spec.n, m);
    // the moments will be built from these draws: a helper thread reduces them while they are drawn
    const stream = !cached && chooseSensingRoute(m, spec.n) === "moments" ? streamRowMoments(spec.n, m) : null;
    const train = cached?.train
      ?? drawSensingMeasurements(d, spec.n, truth.Mstar, spec.noise, streams.train, stream?.rows, stream?.publish);
    const test = drawSensingMeasurements(d, spec.n_test, truth.Mstar, spec.noise, streams.test);
    let moments: Moments | undefined = cached?.moments;
    // the direct losses of log rows (the rows copied into WebAssembly on first use, once per data set)
    const trainSse = rowsResidualSse(train.A, train.n, m, train.y);
    const testSse = rowsResidualSse(test.A, test.n, m, test.y);
    const getMoments = (): Moments => {
      if (!moments) {
        moments = packedRowMoments(train.A, train.n, m, train.y);
        if (store && train.n * m * m >= MIN_CACHED_WORK) {
          store.put({ A: train.A, y: train.y, H: moments.H, b: moments.b, c: Float64Array.of(moments.c) });
        }
      }
      return moments;
    };
    return {
      spec,
      truth,
      routes: ["moments", "direct"],
      factorRows: d,
      recoveryError: symmetricRecoveryError(truth),
      createLoss(kMax: number, route: string = chooseSensingRoute(m, spec.n)): Loss {
        const X = new Float64Array(d * d);
        const x = new Float64Array(m);
        const g = new Float64Array(m);
        const G = new Float64Array(d * d);
        const fast = route === "moments" ? momentsRoute(getMoments(), d, kMax) : undefined;
        const directMse = (data: PackedMeasurements, sse: RowsSse, U: Float64Array, k: number): number => {
          if (data.n === 0) return NaN;
          packSymmetric(gram(U, d, k, X), d, x);
          return sse.at(x) / data.n;
        };
        return {
          valueAndGradient(U, k, grad) {
            if (fast) return fast.valueAndGradient(U, k, grad);
            packSymmetric(gram(U, d, k, X), d, x);
            const value = packedResidualAccumulate(train.A, train.n, m, x, train.y, g) / train.n;
            for (let p = 0; p < m; p++) g[p] /= train.n;
            gradientFromPackedResidual(g, d, U, k, G, grad);
            return value;
          },
          trainLoss: (U, k, known) => fast?.lossIfAccurate(U, k, known) ?? directMse(train, trainSse, U, k),
          testLoss: (U, k) => directMse(test, testSse, U, k),
          logLosses(Us, k, known, trainOut, testOut) {
            const B = Us.length;
            // every point's x as directMse packs it, then each data set read once for all of them
            const xs = new Float64Array(B * m);
            Us.forEach((U, i) => packSymmetric(gram(U, d, k, X), d, xs.subarray(i * m, (i + 1) * m)));
            const direct: number[] = [];
            Us.forEach((U, i) => {
              const value = fast?.lossIfAccurate(U, k, known[i]) ?? null;
              if (value === null) direct.push(i);
              else trainOut[i] = value;
            });
            if (direct.length) {
              const sub = new Float64Array(direct.length * m);
              direct.forEach((i, j) => sub.set(xs.subarray(i * m, (i + 1) * m), j * m));
              const sse = trainSse.atMany(sub, direct.length, new Float64Array(direct.length));
              direct.forEach((i, j) => (trainOut[i] = train.n === 0 ? NaN : sse[j] / train.n));
            }
            const sse = testSse.atMany(xs, B, new Float64Array(B));
            for (let i = 0; i < B; i++) testOut[i] = test.n === 0 ? NaN : sse[i] / test.n;
          },
          fused: fast?.fused,
          minibatch: {
            samples: train.n,
            // O(count·m) + O(d²k): the fused pass over the batch's packed rows
            valueAndGradient(U, k, rows, offset, count, grad) {
              packSymmetric(gram(U, d, k, X), d, x);
              const value = rowsResidualMean(train.A, m, train.y, rows, offset, count, x, g);
              gradientFromPackedResidual(g, d, U, k, G, grad);
              return value;
            },
          },
        };
      },
    };
  },
};
