/**
 * The planted factor U* = Q·diag(s): Q a random d×r matrix with orthonormal
 * columns (Gram–Schmidt of a Gaussian matrix), s evenly spaced from 1 down to
 * 1/κ (paper.md, "The models").
 */
import type { Rng } from "../random/streams.js";
import { gram, sumSquares } from "../linalg/dense.js";
import type { GroundTruth } from "./types.js";

/** Singular values of U*: linspace(1, 1/κ, r). */
export function plantedSingularValues(r: number, kappa: number): number[] {
  if (r === 1) return [1];
  return Array.from({ length: r }, (_, i) => 1 + (i / (r - 1)) * (1 / kappa - 1));
}

/**
 * Hessian scale of ‖UUᵀ − M*‖²_F at U*: along E = u_1/σ_1, L(U* + tE) ≈ ‖U*Eᵀ + EU*ᵀ‖²t² = 4σ_1²t²,
 * so the top eigenvalue is 8σ_1². Population loss and matrix sensing (E⟨A, X⟩² = ‖X‖²_F).
 */
export function sensingCurvature(singularValues: readonly number[]): number {
  return 8 * singularValues[0] ** 2;
}

/** Draw Q (d×r, orthonormal columns) by modified Gram–Schmidt on N(0,1) entries. */
export function randomOrthonormal(d: number, r: number, rng: Rng): Float64Array {
  const Q = rng.fillNormal(new Float64Array(d * r));
  for (let j = 0; j < r; j++) {
    for (let p = 0; p < j; p++) {
      let proj = 0;
      for (let i = 0; i < d; i++) proj += Q[i * r + j] * Q[i * r + p];
      for (let i = 0; i < d; i++) Q[i * r + j] -= proj * Q[i * r + p];
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += Q[i * r + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < d; i++) Q[i * r + j] /= norm;
  }
  return Q;
}

export function plantGroundTruth(d: number, r: number, kappa: number, rng: Rng): GroundTruth {
  const s = plantedSingularValues(r, kappa);
  const Ustar = randomOrthonormal(d, r, rng);
  for (let i = 0; i < d; i++) for (let j = 0; j < r; j++) Ustar[i * r + j] *= s[j];
  const Mstar = gram(Ustar, d, r, new Float64Array(d * d));
  return { d, r, Ustar, Mstar, singularValues: s, MstarNorm: Math.sqrt(sumSquares(Mstar)) };
}
