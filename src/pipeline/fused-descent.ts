/**
 * Descent of many runs on the same data in lockstep, by the fused WebAssembly
 * step (linalg/fused.ts): one call per logged interval steps every run, H read
 * once per step for all of them. The loop is ./descend.ts's, step for step (the
 * same tests in the same order, the same observed steps, the same outcome), and
 * the fused step computes each run's bits as the per-run path does, so a run's
 * files do not depend on whether, or with which runs, it went through here.
 *
 * Covered: plain gradient descent with the smooth group Lasso or no penalty,
 * without perturbation, on a loss with a fused route (the moments route with the
 * WebAssembly kernels). Anything else takes descend().
 */
import { FusedParam as P, fusedEngine } from "../linalg/fused.js";
import { none } from "../methods/penalties/none.js";
import { smoothGroupLasso } from "../methods/penalties/smooth-group-lasso.js";
import type { Penalty } from "../methods/penalties/types.js";
import type { Loss } from "../solvers/types.js";
import { answerAsk, type GradientAsk, type GradientFn } from "./curvature.js";
import { BLOWUP_FACTOR, descend, type DescentObserver, type DescentOptions, type DescentOutcome } from "./descend.js";

/** One descent to run with others: descend(loss, U, options, observe)'s arguments. */
export interface DescentRequest {
  kind: "descent";
  loss: Loss;
  U: Float64Array;
  options: DescentOptions;
  observe: DescentObserver;
}

/** The penalties the fused step computes, by the code it replays (penalty → its code in the kernel). */
const FUSED_PENALTIES = new Map<Penalty, number>([[none, 0], [smoothGroupLasso, 1]]);

/**
 * Gradients of f = L + λR at some points, to compute with others' (the curvature check's
 * Lanczos, ./curvature.ts): `gradient` is how one is computed alone (loss.valueAndGradient
 * then penalty.addGradient); the fused evaluation gives the same bits.
 */
export interface GradientsRequest {
  kind: "gradients";
  loss: Loss;
  d: number;
  k: number;
  lambda: number;
  beta: number;
  penalty: Penalty;
  ask: GradientAsk;
  gradient: GradientFn;
}

/** What a Stepper yields: a descent, or gradients, to be computed with other runs' on the same data. */
export type StepRequest = DescentRequest | GradientsRequest;

/** Whether the fused evaluation can compute gradients of L + λ·penalty on this loss (else one by one). */
export function fusedCoversGradients(loss: Loss, d: number, penalty: Penalty): boolean {
  return loss.fused !== undefined && loss.fused.rows === d && FUSED_PENALTIES.has(penalty);
}

/** Whether the fused step can run this descent (else descend() does). */
export function fusedCovers(loss: Loss, o: DescentOptions): boolean {
  return loss.fused !== undefined && loss.fused.rows === o.d && (o.optimizer?.kind ?? "gd") === "gd"
    && FUSED_PENALTIES.has(o.penalty ?? smoothGroupLasso) && o.perturb === null;
}

/**
 * A slot's parameters cleared (step 0, no step size, no stop test but the blow-up
 * bound, no Gram steps), then set to the objective L + λR_β of k columns: what an
 * evaluation needs; a descent adds its step size and stops.
 */
function setObjective(params: Float64Array, k: number, lambda: number, beta: number, penalty: Penalty): void {
  params.fill(0);
  params[P.k] = k;
  params[P.lambda] = lambda;
  params[P.beta] = beta;
  params[P.penalty] = FUSED_PENALTIES.get(penalty)!;
  params[P.limit] = Infinity;
}

/** The key of the data a request's fused step reads: requests with equal keys step together. */
export function fusedData(r: StepRequest): object {
  return r.loss.fused!.moments;
}

/**
 * Run descents that fusedCovers, all on the same moments, in lockstep; each gets
 * the outcome descend() would give it. A run that stops (its steps, grad_tol, a
 * divergence) leaves the others going. U of each is updated in place.
 */
export function descendTogether(requests: readonly DescentRequest[]): (DescentOutcome | Thrown)[] {
  const n = requests.length;
  const source = requests[0].loss.fused!;
  const d = source.rows;
  let kcap = 1;
  for (const r of requests) kcap = Math.max(kcap, r.options.k);
  const engine = fusedEngine(source.moments, d, n, kcap);
  // no room for the engine (a 32-bit address space): each run on its own, by the per-run path
  if (!engine) return requests.map((r) => tryDescend(r));
  const outcomes: (DescentOutcome | Thrown | null)[] = requests.map(() => null);
  const gramSteps = requests.map((r) => new Float64Array(r.options.trackGramSteps ? r.options.steps : 0));
  const lastLogged = requests.map(() => -1);
  for (let s = 0; s < n; s++) {
    const { options: o, U } = requests[s];
    const { params, U: slotU } = engine.slot(s);
    setObjective(params, o.k, o.lambda, o.beta, o.penalty ?? smoothGroupLasso);
    params[P.eta] = o.stepSize;
    params[P.tol] = o.gradTol;
    params[P.track] = o.trackGramSteps ? 1 : 0;
    slotU.set(U.subarray(0, o.d * o.k));
  }
  const all = requests.map((_, s) => s);
  engine.advance(all, 1, true);

  /** descend()'s tests after evaluating step t: finish the run or set where its next call stops. */
  const settle = (s: number): void => {
    const { options: o, U, observe } = requests[s];
    const { params, U: slotU } = engine.slot(s);
    const t = params[P.t], objective = params[P.objective], gradNorm = params[P.gradNorm];
    const size = o.d * o.k;
    const finish = (divergedAt: number | null, steps: Float64Array): void => {
      U.set(slotU.subarray(0, size));
      outcomes[s] = { steps: t, divergedAt, objective, gradNorm, kicks: 0, gramSteps: steps };
    };
    if (!Number.isFinite(objective) || !Number.isFinite(gradNorm) || objective > params[P.limit]) {
      finish(t, gramSteps[s]);
      return;
    }
    if (t === 0) params[P.limit] = BLOWUP_FACTOR * Math.max(1, objective);
    if (t % o.logEvery === 0 || t === o.steps) {
      U.set(slotU.subarray(0, size));
      observe(t, U, objective, gradNorm, params[P.value]);
      lastLogged[s] = t;
    }
    if (t === o.steps || (o.gradTol > 0 && gradNorm < o.gradTol)) {
      if (lastLogged[s] !== t) {
        U.set(slotU.subarray(0, size));
        observe(t, U, objective, gradNorm, params[P.value]);
      }
      finish(null, gramSteps[s].subarray(0, t));
      return;
    }
    params[P.until] = Math.min(o.steps, (Math.floor(t / o.logEvery) + 1) * o.logEvery);
    params[P.stopped] = 0;
  };
  /** settle, but an exception (of an observer) ends that run alone: its pipeline hears it. */
  const settleOrFail = (s: number): void => {
    try {
      settle(s);
    } catch (err) {
      outcomes[s] = new Thrown(err);
    }
  };
  for (let s = 0; s < n; s++) settleOrFail(s);

  let going = all.filter((s) => outcomes[s] === null);
  while (going.length) {
    let most = 0;
    for (const s of going) {
      const { params } = engine.slot(s);
      params[P.steps] = 0;
      most = Math.max(most, params[P.until] - params[P.t]);
    }
    const from = going.map((s) => engine.slot(s).params[P.t]);
    engine.advance(going, most);
    going.forEach((s, i) => {
      const { params, gramSteps: steps } = engine.slot(s);
      if (requests[s].options.trackGramSteps) gramSteps[s].set(steps.subarray(0, params[P.steps]), from[i]);
      if (params[P.stopped]) settleOrFail(s);
    });
    going = going.filter((s) => outcomes[s] === null);
  }
  return outcomes as (DescentOutcome | Thrown)[];
}

/**
 * Compute the gradients all `requests` ask for (all on the same moments), in one fused
 * evaluation: every point in a slot of the engine, ∇f written into the request's `out`.
 * Each point's gradient has the bits of its request's `gradient` (the fused step's
 * evaluation is the per-run path's, operation for operation).
 */
export function gradientsTogether(requests: readonly GradientsRequest[]): (Thrown | undefined)[] {
  const source = requests[0].loss.fused!;
  let points = 0, kcap = 1;
  for (const r of requests) {
    points += r.ask.points.length;
    kcap = Math.max(kcap, r.k);
  }
  // the engine the descents made (its copy of H, from L3 or memory, is not made twice), its width at a time
  const engine = fusedEngine(source.moments, source.rows, 1, kcap);
  // no room for the engine (a 32-bit address space): each gradient on its own
  if (!engine) {
    return requests.map((r) => {
      try {
        answerAsk(r.ask, r.gradient);
        return undefined;
      } catch (err) {
        return new Thrown(err);
      }
    });
  }
  const all = requests.flatMap((r) => r.ask.points.map((W, i) => ({ r, W, out: r.ask.out[i] })));
  for (let first = 0; first < points; first += engine.width) {
    const chunk = all.slice(first, first + engine.width);
    chunk.forEach(({ r, W }, s) => {
      const { params, U } = engine.slot(s);
      setObjective(params, r.k, r.lambda, r.beta, r.penalty);
      U.set(W.subarray(0, r.d * r.k));
    });
    engine.advance(chunk.map((_, s) => s), 1, true);
    chunk.forEach(({ r, out }, s) => out.set(engine.slot(s).grad.subarray(0, r.d * r.k)));
  }
  return requests.map(() => undefined);
}

/** What a computation threw (any value, as thrown), standing in for its result. */
export class Thrown {
  constructor(readonly error: unknown) {}
}

function tryDescend(r: DescentRequest): DescentOutcome | Thrown {
  try {
    return descend(r.loss, r.U, r.options, r.observe);
  } catch (err) {
    return new Thrown(err);
  }
}

/**
 * A computation that yields the descents and gradients it needs (to be computed together
 * with other computations') and ends with a T. It is resumed with a descent's outcome, or
 * with nothing once gradients are written.
 */
export type Stepper<T> = Generator<StepRequest, T, DescentOutcome | undefined>;

/** descend(loss, U, o, observe) inside a Stepper: yielded to run with others when fusedCovers, else run now. */
export function* descent(loss: Loss, U: Float64Array, o: DescentOptions, observe: DescentObserver): Stepper<DescentOutcome> {
  if (!fusedCovers(loss, o)) return descend(loss, U, o, observe);
  return (yield { kind: "descent", loss, U, options: o, observe }) as DescentOutcome;
}

/**
 * The gradients a generator of asks (Lanczos) needs, inside a Stepper: yielded to be
 * computed with others' when the fused evaluation covers them, else computed now by
 * `request.gradient`. Returns the generator's result.
 */
export function* gradients<R>(asks: Generator<GradientAsk, R, void>, request: Omit<GradientsRequest, "kind" | "ask">): Stepper<R> {
  const together = fusedCoversGradients(request.loss, request.d, request.penalty);
  for (;;) {
    const r = asks.next();
    if (r.done) return r.value;
    if (together) yield { kind: "gradients", ...request, ask: r.value };
    else answerAsk(r.value, request.gradient);
  }
}

/**
 * Run computations side by side: whenever each has yielded a descent (or ended),
 * the descents on the same data step together (descendTogether), and each
 * computation resumes with its outcome. A computation that throws ends with what
 * it threw (a Thrown); the others go on.
 */
export function stepTogether<T>(steppers: readonly Stepper<T>[]): (T | Thrown)[] {
  const results: (T | Thrown | undefined)[] = steppers.map(() => undefined);
  const waiting = new Map<number, StepRequest>();
  const resume = (i: number, input: DescentOutcome | Thrown | undefined): void => {
    try {
      const r = input instanceof Thrown ? steppers[i].throw(input.error) : steppers[i].next(input);
      if (r.done) results[i] = r.value;
      else waiting.set(i, r.value);
    } catch (err) {
      results[i] = new Thrown(err);
    }
  };
  steppers.forEach((_, i) => resume(i, undefined));
  while (waiting.size) {
    // descents on the same data together, and gradients on the same data together
    const descents = new Map<object, [number, DescentRequest][]>();
    const asks = new Map<object, [number, GradientsRequest][]>();
    for (const [i, request] of waiting) {
      const key = fusedData(request);
      if (request.kind === "descent") push(descents, key, [i, request]);
      else push(asks, key, [i, request]);
    }
    waiting.clear();
    for (const members of descents.values()) {
      const outcomes = descendTogether(members.map(([, r]) => r));
      members.forEach(([i], j) => resume(i, outcomes[j]));
    }
    for (const members of asks.values()) {
      const outcomes = gradientsTogether(members.map(([, r]) => r));
      members.forEach(([i], j) => resume(i, outcomes[j]));
    }
  }
  return results as (T | Thrown)[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
