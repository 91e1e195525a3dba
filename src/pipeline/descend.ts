/**
 * Descent on f(U) = L(U) + λ·R(U), shared by training (λ ≥ 0) and fine-tuning
 * (λ = 0): the optimizer (./optimizers/) picks the gradient a step follows and
 * moves U; the penalty (./penalties/) adds its gradient, or, if it is applied by
 * a proximal step, maps U through its prox after the move; perturbed GD adds
 * kicks. All buffers are allocated before the loop.
 */
import type { PerturbConfig } from "../config/resolved.js";
import { axpy, gram, sumSquaredDiff, sumSquares } from "../linalg/dense.js";
import type { Rng } from "../random/streams.js";
import type { Loss } from "../solvers/types.js";
import { optimizerOf } from "../methods/optimizers/registry.js";
import type { OptimizerConfig } from "../methods/optimizers/types.js";
import { penaltyOf } from "../methods/penalties/registry.js";
import type { Penalty } from "../methods/penalties/types.js";

export interface DescentOptions {
  /** Rows of the factor U. */
  d: number;
  k: number;
  lambda: number;
  beta: number;
  /** The penalty R (default: the smooth group Lasso). */
  penalty?: Penalty;
  /** The optimizer (default: gradient descent). */
  optimizer?: OptimizerConfig;
  /** The stream minibatches are drawn from (needed by sgd). */
  batchRng?: Rng | null;
  stepSize: number;
  steps: number;
  /** Stop when ‖∇f‖_F < gradTol (0: never); with perturbation, only once a kick had `every` steps to act. */
  gradTol: number;
  perturb: PerturbConfig | null;
  perturbRng: Rng | null;
  logEvery: number;
  /** Record ‖U_{t+1}U_{t+1}ᵀ − U_tU_tᵀ‖_F for every step (for the linear-rate fit). */
  trackGramSteps: boolean;
}

export interface DescentOutcome {
  /** Steps taken (updates of U, kicks included). */
  steps: number;
  /** Step at which f or ∇f became NaN/Inf or f blew up; null if none. */
  divergedAt: number | null;
  objective: number;
  gradNorm: number;
  kicks: number;
  /** ‖X_{t+1} − X_t‖_F per step when trackGramSteps, else empty. */
  gramSteps: Float64Array;
}

/** Observer of the state at logged steps (t = 0, every logEvery, and the last). */
/**
 * Called at logged steps. `loss` is L(U) as loss.valueAndGradient returned it at this U when the
 * step's gradient is the full loss's (plain gradient descent), else undefined: logs reuse it
 * (Loss.trainLoss's `known`).
 */
export type DescentObserver = (t: number, U: Float64Array, objective: number, gradNorm: number, loss?: number) => void;

/** f above this multiple of max(1, f(U₀)) counts as blowing up. */
export const BLOWUP_FACTOR = 1e8;

/**
 * Run descent on U in place.
 * @example descend(loss, U, { d, k, lambda: 0.1, beta: 0.1, stepSize: 0.05, steps: 100, ... }, () => {})
 */
export function descend(loss: Loss, U: Float64Array, o: DescentOptions, observe: DescentObserver): DescentOutcome {
  const { d, k } = o;
  const size = d * k;
  const grad = new Float64Array(size);
  const colSq = new Float64Array(k);
  const penalty = o.penalty ?? penaltyOf("smooth-group-lasso");
  const prox = penalty.prox && o.lambda !== 0 ? penalty.prox : null;
  const proxT = o.stepSize * o.lambda;
  const proxed = new Float64Array(prox ? size : 0);
  const config = o.optimizer ?? { kind: "gd" };
  const rule = optimizerOf(config.kind).create(loss, {
    size, stepSize: o.stepSize, config, rng: o.batchRng ?? null,
  });
  const gramSteps = new Float64Array(o.trackGramSteps ? o.steps : 0);
  const Xprev = new Float64Array(o.trackGramSteps ? d * d : 0);
  const Xcur = new Float64Array(o.trackGramSteps ? d * d : 0);
  if (o.trackGramSteps) gram(U, d, k, Xprev);

  let limit = Infinity;
  let lastKick = -Infinity;
  let kicks = 0;
  let objective = NaN;
  let gradNorm = NaN;
  // L(U) of the last evaluation, handed to the observer when it is the full loss's (gd)
  const fullLoss = config.kind === "gd";
  let value = NaN;
  let lastLogged = -1;
  let t = 0;
  const evaluate = (): number => {
    grad.fill(0);
    value = rule.gradient(U, k, grad);
    const r = penalty.addGradient(U, d, k, o.beta, o.lambda, grad, colSq);
    if (prox) {
      // the stationarity measure of a proximal method: the gradient mapping ‖U − prox(U − η∇L)‖/η
      for (let i = 0; i < size; i++) proxed[i] = U[i] - o.stepSize * grad[i];
      prox(proxed, d, k, o.beta, proxT, colSq);
      gradNorm = Math.sqrt(sumSquaredDiff(U, proxed, size)) / o.stepSize;
    } else gradNorm = Math.sqrt(sumSquares(grad, size));
    return value + o.lambda * r;
  };

  for (; ; t++) {
    objective = evaluate();
    if (!Number.isFinite(objective) || !Number.isFinite(gradNorm) || objective > limit) {
      return { steps: t, divergedAt: t, objective, gradNorm, kicks, gramSteps };
    }
    if (t === 0) limit = BLOWUP_FACTOR * Math.max(1, objective);
    if (t % o.logEvery === 0 || t === o.steps) {
      observe(t, U, objective, gradNorm, fullLoss ? value : undefined);
      lastLogged = t;
    }
    if (t === o.steps) break;
    const small = o.gradTol > 0 && gradNorm < o.gradTol;
    if (small && (!o.perturb || (kicks > 0 && t - lastKick >= o.perturb.every))) break;
    if (o.perturb && o.perturbRng && gradNorm < o.perturb.grad_tol && t - lastKick >= o.perturb.every) {
      kickInBall(U, size, o.perturb.radius, o.perturbRng, grad);
      lastKick = t;
      kicks++;
    } else {
      rule.update(U, grad);
      if (prox) prox(U, d, k, o.beta, proxT, colSq);
    }
    if (o.trackGramSteps) {
      gram(U, d, k, Xcur);
      gramSteps[t] = Math.sqrt(sumSquaredDiff(Xcur, Xprev, d * d));
      Xprev.set(Xcur);
    }
  }
  if (lastLogged !== t) observe(t, U, objective, gradNorm, fullLoss ? value : undefined);
  return { steps: t, divergedAt: null, objective, gradNorm, kicks, gramSteps: gramSteps.subarray(0, t) };
}

/** U += a point drawn uniformly from the ball of `radius` in R^{size}; `scratch` (≥ size) is overwritten. */
export function kickInBall(U: Float64Array, size: number, radius: number, rng: Rng, scratch: Float64Array): void {
  rng.fillNormal(scratch, 1, size);
  const norm = Math.sqrt(sumSquares(scratch, size));
  const scale = (radius * Math.pow(rng.uniform(), 1 / size)) / norm;
  axpy(scale, scratch, U, size);
}
