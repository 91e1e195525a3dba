/**
 * The interface between the pipeline and a model. A solver turns a problem
 * description into data (ground truth plus measurements) and a loss over the
 * factor U; the pipeline only ever sees `Loss`. Adding a model means one new
 * file implementing `Solver` and one line in ./registry.ts.
 */
import type { Rng } from "../random/streams.js";
import type { SecondMoments } from "../linalg/moments.js";

/** The resolved `problem:` block of a config. */
export interface ProblemSpec {
  kind: string;
  d: number;
  r: number;
  kappa: number;
  n: number;
  n_test: number;
  noise: number;
  /** Columns of M* (asymmetric-sensing only; d when absent). */
  d2?: number;
  /** Weight μ of the balancing term μ‖UᵀU − VᵀV‖²_F (asymmetric-sensing only; 0 when absent). */
  balance?: number;
  /** A plug-in model's own parameters (src/plugins/), by name. */
  [param: string]: number | string | undefined;
}

/**
 * U* (d×r) = Q·diag(s) and M* = U*U*ᵀ (d×d), row-major. For a model whose factor
 * stacks several matrices (asymmetric sensing: [U*; V*]), Ustar is the planted
 * factor in that layout and Mstar the planted matrix (d×d2).
 */
export interface GroundTruth {
  d: number;
  r: number;
  Ustar: Float64Array;
  Mstar: Float64Array;
  /** Singular values of U*, largest first (s_1 = sigma_1, s_r = sigma_r). */
  singularValues: number[];
  /** ‖M*‖_F, the denominator of the relative recovery error. */
  MstarNorm: number;
}

/**
 * A loss L(U) over U ∈ R^{d×k} (row-major), for any k ≤ kMax. Implementations
 * own their scratch buffers, sized once in `createLoss`; no call allocates.
 */
export interface Loss {
  /** L(U), and ∇L written into grad (d×k). May use a fast route whose value is exact to ~1e-16·scale. */
  valueAndGradient(U: Float64Array, k: number, grad: Float64Array): number;
  /**
   * L(U) evaluated directly on the training data (the value written to logs). `known`, when
   * given, is what valueAndGradient returned at this very U: a route whose logged value is
   * that number (the moments route while it is accurate) takes it instead of computing it again.
   */
  trainLoss(U: Float64Array, k: number, known?: number): number;
  /** The held-out loss (population: the population loss itself). */
  testLoss(U: Float64Array, k: number): number;
  /**
   * trainLoss(Us[i], k, known[i]) and testLoss(Us[i], k) into train[i] and test[i], with
   * their bits, for many points at once (the logged steps of a run): present when the
   * direct losses then read the data once for all the points instead of once each.
   */
  logLosses?(Us: readonly Float64Array[], k: number, known: readonly (number | undefined)[], train: Float64Array, test: Float64Array): void;
  /** The loss over a subset of the training samples, for minibatch SGD; absent for a loss without samples. */
  minibatch?: Minibatch;
  /**
   * Present when valueAndGradient is the moments route on the WebAssembly kernels: descent
   * may then take the fused step over these moments (linalg/fused.ts), with the same bits.
   */
  fused?: FusedSource;
}

/** The second moments of a loss quadratic in pack(UUᵀ), U with `rows` rows. */
export interface FusedSource {
  moments: SecondMoments;
  rows: number;
}

/** A loss as a mean over training samples, any subset of which gives an unbiased estimate. */
export interface Minibatch {
  /** Number of training samples (indices 0 … samples − 1). */
  samples: number;
  /**
   * The mean loss over the samples rows[offset … offset + count), and its gradient
   * written into grad (overwritten). No allocation.
   */
  valueAndGradient(U: Float64Array, k: number, rows: Int32Array, offset: number, count: number, grad: Float64Array): number;
}

/** Ground truth plus data for one problem; shared by all runs with the same seed and problem. */
export interface Problem {
  spec: ProblemSpec;
  truth: GroundTruth;
  /**
   * A loss with scratch space for up to kMax columns. `route` picks one of
   * `routes` (equal results, different costs); the default is the cheapest.
   */
  createLoss(kMax: number, route?: string): Loss;
  /** The computational routes this problem offers, for tests and the benchmark. */
  routes: readonly string[];
  /** Rows of the factor the loss takes (d; d + d2 for asymmetric sensing's stacked [U; V]). */
  factorRows: number;
  /** Relative recovery error of the model's matrix (‖UUᵀ − M*‖_F/‖M*‖_F); not in a hot loop. */
  recoveryError(U: Float64Array, k: number): number;
}

/** Random streams a solver may draw its data from (see pipeline/seeds.ts). */
export interface ProblemStreams {
  truth: Rng;
  train: Rng;
  test: Rng;
}

/**
 * Where a solver may keep arrays derived from its training data (the samples and
 * their second moments) across processes: a content-addressed cache on disk
 * (cache/store.ts), already scoped by the caller to everything the data depend
 * on, so the solver only names its arrays. Reads return exactly the bits written.
 */
export interface DataStore {
  get(): Record<string, Float64Array> | null;
  put(arrays: Record<string, Float64Array>): void;
}

/** Cache a data set's moments only when building them costs more than reading them back: n·m² ≥ this. */
export const MIN_CACHED_WORK = 1e8;

export interface Solver {
  /** The `problem.kind` that selects this solver. */
  kind: string;
  /** One line for `--help` and the README. */
  description: string;
  /** Whether problem.n / n_test / noise mean anything (false for the population loss). */
  usesSamples: boolean;
  /**
   * The largest eigenvalue of the population loss's Hessian at U* (or a bound), from the
   * singular values of U*, largest first: the smoothness that limits the step size near
   * the solution (the formula quantity `curvature`). Solvers without it get
   * sensingCurvature (ground-truth.ts).
   */
  curvature?(singularValues: readonly number[]): number;
  /**
   * c with L = c·(a − σ_j²)² (in expectation) when one column is √a times the j-th true
   * direction and the other columns fit M* exactly: 1 for the population loss and matrix
   * sensing, 3 for the quadratic net (E(xᵀΔx)² = 2‖Δ‖²_F + tr(Δ)²). Used by the warning
   * that the penalty erases the weakest column (config/erasure.ts); 1 when not given.
   */
  columnLossFactor?: number;
  /**
   * The noise's pull on a column at zero: the expected largest eigenvalue of the loss's
   * gradient in M at the truth, ‖(2σ/n) Σ ξ_i A_i‖ (the edge of its spectrum, for the
   * solver's measurement ensemble), in the units of the quadratic form uᵀ∇_M L u. A
   * column grows out of zero iff this exceeds the penalty's curvature there, λ/√β
   * (the exact-r condition of src/reproduce/conditions.ts). 0 without noise or samples.
   */
  noiseEdge?(spec: ProblemSpec): number;
  /** `store`: optional cache of the training data and what is derived from them (see DataStore). */
  createProblem(spec: ProblemSpec, streams: ProblemStreams, store?: DataStore): Problem;
}
