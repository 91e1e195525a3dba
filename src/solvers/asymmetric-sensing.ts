/**
 * Asymmetric matrix sensing: M* = U*V*ᵀ ∈ R^{d×d2} of rank r, the model UVᵀ with
 * the k columns of U (d×k) and V (d2×k) paired, measurements y_i = ⟨A_i, M*⟩ + σξ_i
 * with A_i ∈ R^{d×d2} of iid N(0, 1) entries (E⟨A, X⟩² = ‖X‖²_F), and
 *   L(U, V) = (1/n) Σ (⟨A_i, UVᵀ⟩ − y_i)² + μ‖UᵀU − VᵀV‖²_F   (μ = problem.balance, default 0).
 * The factor the pipeline sees is the stacked W = [U; V] ((d + d2)×k), so a
 * column is the pair [u_i; v_i]: the penalty and pruning act on pairs.
 * ∇_U = 2G·V + 4μ·U·B, ∇_V = 2Gᵀ·U − 4μ·V·B with G = (1/n) Σ r_i A_i, B = UᵀU − VᵀV.
 *
 * U* = Q_U·diag(s), V* = Q_V·diag(s) (s as for the symmetric models), so M* has
 * singular values s_i² like U*U*ᵀ. The loss is quadratic in x = vec(UVᵀ), so the
 * moments route of ./moments.ts applies: a step costs O(m²) + O(d·d2·k), m = d·d2.
 */
import { drawRows, type Rng } from "../random/streams.js";
import { addBalance, pairedGradient, pairedProduct } from "../linalg/paired.js";
import { packedRowMoments } from "../linalg/moments.js";
import { packedResidualAccumulate, packedResidualSse } from "../linalg/packed.js";
import { plantedSingularValues, randomOrthonormal } from "./ground-truth.js";
import { rowsResidualMean } from "./minibatch.js";
import { chooseSensingRoute, MOMENTS_LOG_FLOOR, momentsValueAndResidual, type Moments } from "./moments.js";
import type { GroundTruth, Loss, Problem, Solver } from "./types.js";

export interface DenseMeasurements {
  n: number;
  m: number;
  /** n×m, each row vec(A_i) (row-major d×d2). */
  A: Float64Array;
  y: Float64Array;
}

/** n measurements with iid N(0,1) entries; per measurement: m entries, then the noise draw. */
export function drawGaussianMeasurements(m: number, n: number, mstar: Float64Array, noise: number, rng: Rng): DenseMeasurements {
  const A = new Float64Array(n * m);
  const y = new Float64Array(n);
  drawRows(rng, n, m, (i, z, zo) => {
    let s = 0;
    for (let p = 0; p < m; p++) {
      const a = z[zo + p];
      A[i * m + p] = a;
      s += a * mstar[p];
    }
    y[i] = s + noise * z[zo + m];
  });
  return { n, m, A, y };
}

/** [U*; V*] stacked ((d + d2)×r), M* = U*V*ᵀ (d×d2). */
export function plantAsymmetric(d: number, d2: number, r: number, kappa: number, rng: Rng): GroundTruth {
  const s = plantedSingularValues(r, kappa);
  const Qu = randomOrthonormal(d, r, rng);
  const Qv = randomOrthonormal(d2, r, rng);
  const W = new Float64Array((d + d2) * r);
  for (let i = 0; i < d; i++) for (let j = 0; j < r; j++) W[i * r + j] = Qu[i * r + j] * s[j];
  for (let i = 0; i < d2; i++) for (let j = 0; j < r; j++) W[(d + i) * r + j] = Qv[i * r + j] * s[j];
  const Mstar = pairedProduct(W, d, d2, r, new Float64Array(d * d2));
  let norm = 0;
  for (let p = 0; p < Mstar.length; p++) norm += Mstar[p] * Mstar[p];
  return { d, r, Ustar: W, Mstar, singularValues: s, MstarNorm: Math.sqrt(norm) };
}

export const asymmetricSensing: Solver = {
  kind: "asymmetric-sensing",
  description: "n Gaussian measurements ⟨A_i, U*V*ᵀ⟩ + σξ of a d×d2 matrix, model UVᵀ",
  // a paired column (u, v) meets uᵀGv ≥ −‖G‖(‖u‖² + ‖v‖²)/2, G = (2σ/n)Σ ξ_i A_i with a d×d2 Gaussian edge √d + √d2
  noiseEdge: (spec) => spec.noise * (Math.sqrt(spec.d) + Math.sqrt(spec.d2 ?? spec.d)) / Math.sqrt(spec.n),
  usesSamples: true,
  createProblem(spec, streams): Problem {
    const { d, r } = spec;
    const d2 = spec.d2 ?? d;
    const mu = spec.balance ?? 0;
    const rows = d + d2;
    const m = d * d2;
    const truth = plantAsymmetric(d, d2, r, spec.kappa, streams.truth);
    const train = drawGaussianMeasurements(m, spec.n, truth.Mstar, spec.noise, streams.train);
    const test = drawGaussianMeasurements(m, spec.n_test, truth.Mstar, spec.noise, streams.test);
    let moments: Moments | undefined;
    const getMoments = (): Moments => (moments ??= packedRowMoments(train.A, train.n, m, train.y));
    const P = new Float64Array(m);
    return {
      spec,
      truth,
      routes: ["moments", "direct"],
      factorRows: rows,
      recoveryError(W, k) {
        pairedProduct(W, d, d2, k, P);
        let s = 0;
        for (let p = 0; p < m; p++) s += (P[p] - truth.Mstar[p]) ** 2;
        return Math.sqrt(s) / truth.MstarNorm;
      },
      createLoss(kMax: number, route: string = chooseSensingRoute(m, spec.n)): Loss {
        const x = new Float64Array(m);
        const g = new Float64Array(m);
        const B = new Float64Array(kMax * kMax);
        const mo = route === "moments" ? getMoments() : undefined;
        const directMse = (data: DenseMeasurements, W: Float64Array, k: number): number => {
          if (data.n === 0) return NaN;
          return packedResidualSse(data.A, data.n, m, pairedProduct(W, d, d2, k, x), data.y) / data.n;
        };
        const balance = (W: Float64Array, k: number, grad: Float64Array | null): number => (mu === 0 ? 0 : addBalance(W, d, d2, k, mu, grad, B));
        return {
          // O(m²) (moments) or O(2·n·m) (direct), plus O(3·d·d2·k) and the balance's O((d + d2)·k²)
          valueAndGradient(W, k, grad) {
            pairedProduct(W, d, d2, k, x);
            const value = mo ? momentsValueAndResidual(mo, x, g) : packedResidualAccumulate(train.A, train.n, m, x, train.y, g) / train.n;
            if (!mo) for (let p = 0; p < m; p++) g[p] /= train.n;
            pairedGradient(g, W, d, d2, k, 2, grad);
            return value + balance(W, k, grad);
          },
          trainLoss(W, k) {
            let value: number | null = null;
            if (mo) {
              value = momentsValueAndResidual(mo, pairedProduct(W, d, d2, k, x), g);
              if (value <= MOMENTS_LOG_FLOOR * mo.c) value = null;
            }
            return (value ?? directMse(train, W, k)) + balance(W, k, null);
          },
          testLoss: (W, k) => directMse(test, W, k),
          minibatch: {
            samples: train.n,
            valueAndGradient(W, k, batch, offset, count, grad) {
              pairedProduct(W, d, d2, k, x);
              const value = rowsResidualMean(train.A, m, train.y, batch, offset, count, x, g);
              pairedGradient(g, W, d, d2, k, 2, grad);
              return value + balance(W, k, grad);
            },
          },
        };
      },
    };
  },
};
