/**
 * Kernels for a factor that stacks two matrices with paired columns,
 * W = [U; V] ((d + d2)×k, row-major: U is rows 0 … d−1, V rows d … d+d2−1),
 * as in the asymmetric model UVᵀ. They index W by offsets, so no call
 * allocates a view. Knows nothing of the rest of the project.
 */

/** out (d×d2) = U·Vᵀ. O(d·d2·k). */
export function pairedProduct(W: Float64Array, d: number, d2: number, k: number, out: Float64Array): Float64Array {
  const v0 = d * k;
  for (let i = 0; i < d; i++) {
    const ui = i * k;
    for (let j = 0; j < d2; j++) {
      const vj = v0 + j * k;
      let s = 0;
      for (let c = 0; c < k; c++) s += W[ui + c] * W[vj + c];
      out[i * d2 + j] = s;
    }
  }
  return out;
}

/**
 * The gradient of ⟨G, UVᵀ⟩·s for G (d×d2): rows of U get s·G·V, rows of V get
 * s·Gᵀ·U, written into grad ((d + d2)×k, overwritten). O(2·d·d2·k), one pass over G.
 */
export function pairedGradient(G: Float64Array, W: Float64Array, d: number, d2: number, k: number, s: number, grad: Float64Array): Float64Array {
  const v0 = d * k;
  grad.fill(0, 0, (d + d2) * k);
  for (let i = 0; i < d; i++) {
    const ui = i * k;
    for (let j = 0; j < d2; j++) {
      const g = s * G[i * d2 + j];
      if (g === 0) continue;
      const vj = v0 + j * k;
      for (let c = 0; c < k; c++) {
        grad[ui + c] += g * W[vj + c];
        grad[vj + c] += g * W[ui + c];
      }
    }
  }
  return grad;
}

/**
 * The balancing term μ‖UᵀU − VᵀV‖²_F: returns its value and adds its gradient
 * (U: 4μ·U·B, V: −4μ·V·B with B = UᵀU − VᵀV) to grad. B (k×k) is scratch.
 * O((d + d2)·k²).
 */
export function addBalance(W: Float64Array, d: number, d2: number, k: number, mu: number, grad: Float64Array | null, B: Float64Array): number {
  B.fill(0, 0, k * k);
  for (let i = 0; i < d + d2; i++) {
    const sign = i < d ? 1 : -1;
    const o = i * k;
    for (let a = 0; a < k; a++) {
      const wa = sign * W[o + a];
      for (let b = 0; b < k; b++) B[a * k + b] += wa * W[o + b];
    }
  }
  let value = 0;
  for (let p = 0; p < k * k; p++) value += B[p] * B[p];
  if (grad) {
    for (let i = 0; i < d + d2; i++) {
      const s = (i < d ? 4 : -4) * mu;
      const o = i * k;
      for (let b = 0; b < k; b++) {
        let t = 0;
        for (let a = 0; a < k; a++) t += W[o + a] * B[a * k + b];
        grad[o + b] += s * t;
      }
    }
  }
  return mu * value;
}
