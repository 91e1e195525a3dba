/**
 * The linear rate of fine-tuning: the per-step contraction factor ρ of
 * v_t = ‖U_{t+1}U_{t+1}ᵀ − U_tU_tᵀ‖_F, fitted by least squares on log v_t over the
 * linear phase. v_t → 0 whether or not there is noise (the iterates converge to
 * the empirical minimizer), so the fit is meaningful in both cases.
 */

/** Values below this fraction of the largest are treated as round-off and excluded. */
export const ROUND_OFF_FLOOR = 1e-12;

/**
 * Fit ρ on the second half of the steps before v_t first falls to round-off
 * (the first half holds the transient). NaN when fewer than 3 usable points.
 * @example fitLinearRate(Float64Array.from({ length: 50 }, (_, t) => 0.9 ** t)) // ≈ 0.9
 */
export function fitLinearRate(v: ArrayLike<number>): number {
  let max = 0;
  for (let t = 0; t < v.length; t++) if (v[t] > max) max = v[t];
  if (!(max > 0) || !Number.isFinite(max)) return NaN;
  let end = 0;
  while (end < v.length && v[end] > max * ROUND_OFF_FLOOR) end++;
  const start = Math.floor(end / 2);
  const count = end - start;
  if (count < 3) return NaN;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let t = start; t < end; t++) {
    const y = Math.log(v[t]);
    sx += t;
    sy += y;
    sxx += t * t;
    sxy += t * y;
  }
  const slope = (count * sxy - sx * sy) / (count * sxx - sx * sx);
  return Math.exp(slope);
}
