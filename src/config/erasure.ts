/**
 * When does the penalty erase a true component? Take one column u = √a·q_j along
 * the j-th true direction (singular value σ_j of U*) with the other columns fitting
 * M* exactly. Then L = c(a − σ_j²)² (c = 1 for sensing, 3 for the quadratic net) and
 * the column's gradient of L + λR_β is u·[4c(a − σ_j²) + λ(a + 2β)/(a + β)^{3/2}]
 * (penalty.ts). A nonzero stationary point needs
 *   h(a) = 4c(σ_j² − a) − λ(a + 2β)/(a + β)^{3/2} = 0 for some a ∈ (0, σ_j²],
 * and h is concave (the penalty factor is convex and decreasing in a), so there is
 * one iff max h ≥ 0. The weakest column (σ_r) is the first to go.
 * Substituting a = σ²t, β = bσ², λ = lσ³ gives h = σ²[4c(1 − t) − l(t + 2b)/(t + b)^{3/2}]:
 * with λ ∝ σ_r³ and β ∝ σ_r² the condition no longer depends on σ_r (configs/ill-conditioned.yaml).
 */

/** The penalty's per-column gradient factor (a + 2β)/(a + β)^{3/2}, a = ‖u‖². */
function penaltyFactor(a: number, beta: number): number {
  return (a + 2 * beta) / ((a + beta) * Math.sqrt(a + beta));
}

/**
 * max over a ∈ [0, σ²] of h(a) (see above), by ternary search on the concave h.
 * @example maxStationarityGap(1, 0.1, 0.1, 1) > 0 // → true: the column survives
 */
export function maxStationarityGap(sigma: number, lambda: number, beta: number, lossFactor: number): number {
  const h = (a: number): number => 4 * lossFactor * (sigma * sigma - a) - lambda * penaltyFactor(a, beta);
  let lo = 0;
  let hi = sigma * sigma;
  for (let i = 0; i < 200; i++) {
    const m1 = lo + (hi - lo) / 3;
    const m2 = hi - (hi - lo) / 3;
    if (h(m1) < h(m2)) lo = m1;
    else hi = m2;
  }
  return Math.max(h(0), h((lo + hi) / 2));
}

/** Whether the weakest true column (σ_r) has a nonzero stationary point under L + λR_β. */
export function weakestColumnSurvives(sigmaR: number, lambda: number, beta: number, lossFactor: number): boolean {
  return lambda === 0 || maxStationarityGap(sigmaR, lambda, beta, lossFactor) >= 0;
}

/** The warning `validate` and `run` print when it does not (one line, the same for every run of a sweep). */
export const ERASURE_WARNING =
  "train.lambda, train.beta: too large against sigma_r: the weakest true column has no nonzero stationary point " +
  "under L + λR_β, so training will erase it (fewer than r columns kept); scale them as configs/ill-conditioned.yaml " +
  "does (λ ∝ σ_r³, β ∝ σ_r²)";
