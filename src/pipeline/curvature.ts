/**
 * Is the trained point an approximate second-order stationary point? The
 * smallest eigenvalue of the Hessian of f = L + λR_β, estimated by Lanczos
 * iterations on Hessian-vector products, each a central difference of two
 * gradients: Hv ≈ (∇f(U + hv) − ∇f(U − hv)) / 2h. No Hessian is ever formed.
 */
import { axpy, dot, sumSquares } from "../linalg/dense.js";
import { createWasmWorkspace } from "../linalg/wasm/kernels.js";
import type { Rng } from "../random/streams.js";

/** Writes ∇f(U) into out. */
export type GradientFn = (U: Float64Array, out: Float64Array) => void;

/**
 * Smallest eigenvalue of a symmetric tridiagonal matrix (diagonal a, off-diagonal b)
 * by bisection on Sturm sequence counts: exact to `tol`, robust, tiny.
 */
export function smallestTridiagonalEigenvalue(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-13): number {
  const n = a.length;
  // Gershgorin bounds
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.abs(b[i - 1]) : 0) + (i < n - 1 ? Math.abs(b[i]) : 0);
    lo = Math.min(lo, a[i] - r);
    hi = Math.max(hi, a[i] + r);
  }
  // number of eigenvalues below x = sign changes of the LDLᵀ pivots
  const countBelow = (x: number): number => {
    let count = 0;
    let q = 1;
    for (let i = 0; i < n; i++) {
      q = a[i] - x - (i > 0 ? (b[i - 1] * b[i - 1]) / q : 0);
      if (q === 0) q = -1e-300;
      if (q < 0) count++;
    }
    return count;
  };
  while (hi - lo > tol * Math.max(1, Math.abs(lo), Math.abs(hi))) {
    const mid = 0.5 * (lo + hi);
    if (countBelow(mid) >= 1) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}

/** Gradients Lanczos asks for: ∇f at each of `points`, written into the `out` of the same index. */
export interface GradientAsk {
  points: Float64Array[];
  out: Float64Array[];
}

/**
 * Lanczos estimate (with full reorthogonalization) of λ_min(∇²f(U)) over
 * `iterations` Hessian-vector products. The estimate converges from above.
 * @example smallestHessianEigenvalue(grad, U, rng, 30) // ≈ −1e-6 at a local minimum's flat directions
 */
export function smallestHessianEigenvalue(gradient: GradientFn, U: Float64Array, rng: Rng, iterations = 30): number {
  const steps = lanczosSmallest(U, rng, iterations);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    answerAsk(r.value, gradient);
  }
}

/** Answer an ask here, one gradient after another. */
export function answerAsk(ask: GradientAsk, gradient: GradientFn): void {
  ask.points.forEach((W, i) => gradient(W, ask.out[i]));
}

/**
 * smallestHessianEigenvalue as a generator: it yields the two gradients each
 * Hessian-vector product needs (at U ± hv) and goes on once the caller has
 * written them, so that the gradients of many runs on the same data can be
 * computed together (pipeline/fused-descent.ts). The Krylov basis lives in a
 * kernels workspace when they are built: its reorthogonalization
 * (O(iterations²·size), as much as the gradients at small sizes) then runs in
 * WebAssembly, with the same bits as the TypeScript loop.
 */
export function* lanczosSmallest(U: Float64Array, rng: Rng, iterations = 30): Generator<GradientAsk, number, void> {
  const size = U.length;
  const m = Math.min(iterations, size);
  const ws = createWasmWorkspace({ Q: m * size, w: size });
  // Q: the basis, one vector of `size` per row; w: the vector being made orthogonal to them
  const Q = ws ? ws.arrays.Q.view : new Float64Array(m * size);
  const w = ws ? ws.arrays.w.view : new Float64Array(size);
  const row = (j: number): Float64Array => Q.subarray(j * size, (j + 1) * size);
  const reorthogonalize = (count: number): void => {
    if (ws) ws.reorthogonalize(ws.arrays.Q, count, ws.arrays.w, size);
    // twice is enough to keep the Krylov basis orthogonal
    else for (let pass = 0; pass < 2; pass++) for (let p = 0; p < count; p++) axpy(-dot(row(p), w), row(p), w);
  };
  const alpha: number[] = [];
  const beta: number[] = [];
  const ask: GradientAsk = { points: [new Float64Array(size), new Float64Array(size)], out: [new Float64Array(size), new Float64Array(size)] };
  const [plus, minus] = ask.points;
  const [gPlus, gMinus] = ask.out;
  const h = 1e-5 * Math.max(1, Math.sqrt(sumSquares(U)));
  const first = row(0);
  rng.fillNormal(first);
  let norm = Math.sqrt(sumSquares(first));
  divideInto(first, norm, first);
  for (let j = 0; j < m; j++) {
    const q = row(j);
    // Hq ≈ (∇f(U + hq) − ∇f(U − hq)) / 2h, into w
    plus.set(U);
    axpy(h, q, plus);
    minus.set(U);
    axpy(-h, q, minus);
    yield ask;
    centralDifference(gPlus, gMinus, h, w);
    alpha.push(dot(q, w));
    reorthogonalize(j + 1);
    norm = Math.sqrt(sumSquares(w));
    if (j === m - 1 || norm < 1e-10 * Math.max(1, Math.abs(alpha[j]))) break;
    beta.push(norm);
    divideInto(w, norm, row(j + 1));
  }
  return smallestTridiagonalEigenvalue(alpha, beta.slice(0, alpha.length - 1));
}

// lanczosSmallest's loops over the vectors live in plain functions: inside the generator
// they ran at interpreter speed (a generator is resumed, never entered, so V8 did not
// optimize them: a profile put half the curvature check's time in one such loop).

/** out[i] = (plus[i] − minus[i]) / 2h. */
function centralDifference(plus: Float64Array, minus: Float64Array, h: number, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = (plus[i] - minus[i]) / (2 * h);
}

/** out[i] = v[i] / norm (out may be v). */
function divideInto(v: Float64Array, norm: number, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = v[i] / norm;
}
