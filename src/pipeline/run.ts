/**
 * One run: initialize → train (penalized, optionally perturbed GD) → prune →
 * fine-tune (GD on the loss alone), with the trace, the column norms at each
 * stage and the summary metrics. Knows one run only: sweeps and output files
 * live elsewhere.
 */
import type { ResolvedConfig } from "../config/resolved.js";
import type { Loss, Problem } from "../solvers/types.js";
import { stableStringify } from "../random/streams.js";
import type { DescentObserver, DescentOutcome } from "./descend.js";
import { descent, gradients, stepTogether, Thrown, type Stepper } from "./fused-descent.js";
import { columnNorms, prune } from "./prune.js";
import { fitLinearRate } from "./rate.js";
import { batchStream, curvatureStream, initStream, perturbStream } from "./seeds.js";
import { lanczosSmallest } from "./curvature.js";
import { LogRows, type Phase, type TraceRow } from "./log-rows.js";
import { penaltyFor } from "../methods/penalties/registry.js";

export type { Phase, TraceRow } from "./log-rows.js";
export type Stage = "init" | "trained" | "pruned" | "finetuned";
export type RunStatus = "ok" | "diverged" | "failed";

export interface ColumnRow {
  stage: Stage;
  /** Index of the column in the original U (kept columns keep their index). */
  column: number;
  norm: number;
  kept: boolean;
}

export interface RunMetrics {
  kept_columns: number;
  prune_cut: number;
  train_steps: number;
  kicks: number;
  grad_norm_trained: number;
  /** λ_min of ∇²f at the trained point (Lanczos on Hessian-vector products): ≥ −γ at an approximate SOSP. */
  hessian_min_eig_trained: number;
  train_loss_trained: number;
  test_loss_trained: number;
  recovery_error_trained: number;
  recovery_error_pruned: number;
  finetune_steps: number;
  train_loss: number;
  test_loss: number;
  recovery_error: number;
  finetune_rate: number;
  /**
   * The first logged training step from which at most r columns stay at or above ε (the
   * k − r small ones under it) to the end of training; NaN when training ends with more,
   * or when the prune rule has no absolute ε.
   */
  separation_step: number;
}

export interface RunResult {
  status: RunStatus;
  error: string;
  diverged_phase: Phase | "";
  diverged_step: number | null;
  metrics: RunMetrics;
  trace: TraceRow[];
  columns: ColumnRow[];
  /** What a user should hear about the run (not separated, nothing kept), one line each; `run` prints them. */
  diagnostics?: string[];
}

export type ProgressListener = (phase: Phase, step: number, total: number) => void;

/** Metrics of a run that produced none (NaN where undefined). */
export function emptyMetrics(): RunMetrics {
  return {
    kept_columns: NaN, prune_cut: NaN, train_steps: 0, kicks: 0, grad_norm_trained: NaN,
    hessian_min_eig_trained: NaN, train_loss_trained: NaN, test_loss_trained: NaN, recovery_error_trained: NaN,
    recovery_error_pruned: NaN, finetune_steps: 0, train_loss: NaN, test_loss: NaN,
    recovery_error: NaN, finetune_rate: NaN, separation_step: NaN,
  };
}

/**
 * Run the pipeline of `cfg` on `problem` (built from cfg.seed and cfg.problem).
 * A diverging phase ends the run with status "diverged"; it does not throw.
 */
export function runPipeline(
  cfg: ResolvedConfig, problem: Problem, onProgress?: ProgressListener, trainings?: TrainingCache,
): RunResult {
  const [result] = stepTogether([pipelineSteps(cfg, problem, onProgress, trainings)]);
  if (result instanceof Thrown) throw result.error;
  return result;
}

/** One run of a batch: its config, its problem (runs of a batch share the data) and its progress listener. */
export interface BatchRun {
  cfg: ResolvedConfig;
  problem: Problem;
  onProgress?: ProgressListener;
}

/**
 * The pipelines of several runs side by side: their descents on the same data step
 * in lockstep (pipeline/fused-descent.ts), each run's results exactly as runPipeline's.
 * A run that throws gets what it threw (a Thrown); the others go on. Runs in one call
 * should not share a trainingKey (each would train): give those to separate calls.
 */
export function runPipelines(runs: readonly BatchRun[], trainings?: TrainingCache): (RunResult | Thrown)[] {
  return stepTogether(runs.map((r) => pipelineSteps(r.cfg, r.problem, r.onProgress, trainings)));
}

/** runPipeline as a Stepper: it yields its descents, so that several runs can step together. */
export function* pipelineSteps(
  cfg: ResolvedConfig, problem: Problem, onProgress?: ProgressListener, trainings?: TrainingCache,
): Stepper<RunResult> {
  // rows of the factor: d, or d + d2 for a stacked [U; V]
  const d = problem.factorRows;
  const k = cfg.model.k;
  const loss = problem.createLoss(k);
  const penalty = penaltyFor(cfg.train.penalty);
  const trace: TraceRow[] = [];
  const columns: ColumnRow[] = [];
  const metrics = emptyMetrics();

  const U = cfg.model.init === "oracle" ? oracleStart(problem, d, k) : initStream(cfg).fillNormal(new Float64Array(d * k), cfg.model.init_scale);
  const initNorms = columnNorms(U, d, k);

  const logs = new LogRows(loss, problem, penalty, d, k, cfg.train.beta, trace);
  const diverged = (phase: Phase, offset: number, out: DescentOutcome, kk: number): RunResult => {
    trace.push({
      phase, step: offset + out.steps, train_loss: NaN, test_loss: NaN, objective: out.objective,
      recovery_error: NaN, grad_norm: out.gradNorm, columns: kk,
    });
    return {
      status: "diverged",
      error: `${phase} diverged at step ${offset + out.steps}: objective ${out.objective}, gradient norm ${out.gradNorm}`,
      diverged_phase: phase, diverged_step: offset + out.steps, metrics, trace, columns,
    };
  };

  // 1. Train on L + λR_β (or reuse an identical training of an earlier run).
  const key = trainingKey(cfg);
  let trainedState = trainings?.get(key);
  if (trainedState) onProgress?.("train", cfg.train.steps, cfg.train.steps);
  else {
    const normsAt: LoggedNorms[] = [];
    trainedState = yield* trainPhase(cfg, d, U, loss, (t, W, _objective, gradNorm, known) => {
      logs.add("train", t, W, k, cfg.train.lambda, gradNorm, known);
      // logged steps only (every log.every): the separation time is read from these, not re-run
      normsAt.push({ step: t, norms: columnNorms(W, d, k) });
      onProgress?.("train", t, cfg.train.steps);
    });
    logs.flush();
    trainedState.normsAt = normsAt;
    trainedState.trace = trace.slice();
    trainings?.set(key, trainedState);
  }
  const trained = trainedState.outcome;
  // the training rows (computed now or by an earlier run); a loop, not a spread, since a
  // long run can log more rows than a call may take arguments
  trace.length = 0;
  for (const row of trainedState.trace) trace.push(row);
  U.set(trainedState.U);
  metrics.train_steps = trained.steps;
  metrics.kicks = trained.kicks;
  if (trained.divergedAt !== null) {
    pushStage(columns, "init", initNorms, null);
    return diverged("train", 0, trained, k);
  }
  const last = trace[trace.length - 1];
  metrics.grad_norm_trained = trained.gradNorm;
  metrics.hessian_min_eig_trained = trainedState.hessianMinEig;
  metrics.train_loss_trained = last.train_loss;
  metrics.test_loss_trained = last.test_loss;
  metrics.recovery_error_trained = last.recovery_error;
  const eps = cfg.prune.threshold;
  metrics.separation_step = eps === null ? NaN : separationStep(trainedState.normsAt, eps, problem.truth.r);

  // 2. Prune by the config's rule.
  const trainedNorms = columnNorms(U, d, k);
  const pruned = prune(U, d, k, trainedNorms, cfg.prune, () => {
    const g = new Float64Array(d * k);
    loss.valueAndGradient(U, k, g);
    return g;
  });
  const kk = pruned.kept.length;
  const keptSet = new Set(pruned.kept);
  pushStage(columns, "init", initNorms, keptSet);
  pushStage(columns, "trained", trainedNorms, keptSet);
  pushStage(columns, "pruned", columnNorms(pruned.U, d, kk), keptSet, pruned.kept);
  metrics.kept_columns = kk;
  metrics.prune_cut = pruned.cut;
  // without a penalty (λ = 0) nothing is meant to separate: only a penalized run is told to train longer
  const diagnostics = runDiagnostics(trainedNorms, cfg.train.lambda > 0 ? eps : null, kk, cfg.model.k, problem.truth.r);
  const offset = trained.steps;
  const prunedRow = logs.now("prune", offset, pruned.U, kk, 0, NaN);
  metrics.recovery_error_pruned = prunedRow.recovery_error;

  // 3. Fine-tune on L alone.
  const tuned = yield* descent(
    loss, pruned.U,
    {
      d, k: kk, lambda: 0, beta: cfg.train.beta, stepSize: cfg.finetune.step_size, steps: cfg.finetune.steps,
      optimizer: cfg.finetune.optimizer, batchRng: batchStream(cfg, "finetune"),
      gradTol: cfg.finetune.grad_tol, perturb: null, perturbRng: null, logEvery: cfg.log.every, trackGramSteps: true,
    },
    (t, W, _objective, gradNorm, known) => {
      logs.add("finetune", offset + t, W, kk, 0, gradNorm, known);
      onProgress?.("finetune", t, cfg.finetune.steps);
    },
  );
  logs.flush();
  metrics.finetune_steps = tuned.steps;
  if (tuned.divergedAt !== null) return diverged("finetune", offset, tuned, kk);
  pushStage(columns, "finetuned", columnNorms(pruned.U, d, kk), keptSet, pruned.kept);
  const final = trace[trace.length - 1];
  metrics.train_loss = final.train_loss;
  metrics.test_loss = final.test_loss;
  metrics.recovery_error = final.recovery_error;
  metrics.finetune_rate = fitLinearRate(tuned.gramSteps);
  return { status: "ok", error: "", diverged_phase: "", diverged_step: null, metrics, trace, columns, ...(diagnostics.length ? { diagnostics } : {}) };
}

/** Column norms at one logged training step. */
export interface LoggedNorms {
  step: number;
  norms: Float64Array;
}

/** The trained state of a run: all a run needs from training to prune and fine-tune. */
export interface TrainedState {
  U: Float64Array;
  outcome: DescentOutcome;
  trace: TraceRow[];
  hessianMinEig: number;
  /** Column norms at each logged training step (for the separation step at any ε). */
  normsAt: LoggedNorms[];
}

/**
 * The first logged step from which at most r columns are ≥ ε at every later logged
 * step (the k − r small columns under ε for good); NaN when the last logged step has more.
 */
export function separationStep(normsAt: readonly LoggedNorms[], eps: number, r: number): number {
  const above = (norms: Float64Array) => {
    let c = 0;
    for (let j = 0; j < norms.length; j++) if (norms[j] >= eps) c++;
    return c;
  };
  let from = NaN;
  for (let i = normsAt.length - 1; i >= 0; i--) {
    if (above(normsAt[i].norms) > r) break;
    from = normsAt[i].step;
  }
  return from;
}

/** Columns in [ε/10, 10ε] after training are not separated: pruning at ε is then a coin toss. */
export const UNSEPARATED_FACTOR = 10;

/**
 * The lines a user should read about a finished run: columns beyond the r largest still
 * near ε after training (the true columns, of the order of σ_r, may sit in the band too), and
 * nothing kept.
 */
export function runDiagnostics(trainedNorms: Float64Array, eps: number | null, kept: number, k: number, r: number): string[] {
  const out: string[] = [];
  if (eps !== null) {
    const small = [...trainedNorms].sort((a, b) => b - a).slice(r);
    const near = small.filter((x) => x >= eps / UNSEPARATED_FACTOR && x <= eps * UNSEPARATED_FACTOR).length;
    if (near > 0) out.push(`not separated: ${near} of the ${k - r} columns beyond the r = ${r} largest end training between ε/10 and 10·ε (ε = ${eps}): train longer or raise λ`);
  }
  if (kept === 0) {
    out.push("pruning kept 0 columns: every column ended training below the cut (U = 0 is stationary, e.g. the exact group Lasso from U₀ in its dead zone): raise model.init_scale or lower λ");
  }
  return out;
}

/**
 * What training depends on. Runs with equal keys (a sweep over ε, or over
 * fine-tuning settings) train identically, so the training is done once.
 */
export function trainingKey(cfg: ResolvedConfig): string {
  return stableStringify({ seed: cfg.seed, problem: cfg.problem, model: cfg.model, train: cfg.train, log: cfg.log });
}

/** Trained states by trainingKey, most recent last, at most `capacity` kept. */
export class TrainingCache {
  private readonly entries = new Map<string, TrainedState>();
  constructor(private readonly capacity = 2) {}
  get(key: string): TrainedState | undefined {
    return this.entries.get(key);
  }
  set(key: string, state: TrainedState): void {
    this.entries.delete(key);
    this.entries.set(key, state);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** Train U (rows×k) in place on L + λR; the returned state holds a copy of the result. */
function* trainPhase(
  cfg: ResolvedConfig, rows: number, U: Float64Array, loss: Loss,
  observe: DescentObserver,
): Stepper<TrainedState> {
  const outcome = yield* descent(
    loss, U,
    {
      d: rows, k: cfg.model.k, lambda: cfg.train.lambda, beta: cfg.train.beta, stepSize: cfg.train.step_size,
      penalty: penaltyFor(cfg.train.penalty), optimizer: cfg.train.optimizer, batchRng: batchStream(cfg, "train"),
      steps: cfg.train.steps, gradTol: cfg.train.grad_tol, perturb: cfg.train.perturb,
      perturbRng: cfg.train.perturb ? perturbStream(cfg) : null, logEvery: cfg.log.every, trackGramSteps: false,
    },
    observe,
  );
  // a penalty applied by its prox makes f non-smooth where columns are zero: no Hessian to report
  const smooth = !penaltyFor(cfg.train.penalty).prox || cfg.train.lambda === 0;
  const hessianMinEig = outcome.divergedAt === null && smooth ? yield* objectiveCurvature(cfg, rows, U, loss) : NaN;
  return { U: Float64Array.from(U), outcome, trace: [], hessianMinEig, normsAt: [] };
}

/** Lanczos iterations for λ_min(∇²f): 2 gradients each, ~2% of a default training. */
export const CURVATURE_ITERATIONS = 30;

/**
 * λ_min of the Hessian of the smooth training objective L + λR at U (rows×k). Its
 * gradients are yielded, so that the runs of a batch compute theirs together.
 */
function objectiveCurvature(cfg: ResolvedConfig, rows: number, U: Float64Array, loss: Loss): Stepper<number> {
  const k = cfg.model.k;
  const colSq = new Float64Array(k);
  const penalty = penaltyFor(cfg.train.penalty);
  const { lambda, beta } = cfg.train;
  const gradient = (W: Float64Array, out: Float64Array): void => {
    out.fill(0);
    loss.valueAndGradient(W, k, out);
    penalty.addGradient(W, rows, k, beta, lambda, out, colSq);
  };
  return gradients(lanczosSmallest(U, curvatureStream(cfg), CURVATURE_ITERATIONS), { loss, d: rows, k, lambda, beta, penalty, gradient });
}

/**
 * The oracle baseline's U₀ (model.init: oracle): U* in the first r columns, zeros in the
 * rest. Zero columns get zero gradient from L and from the penalty (both are u times a
 * matrix), so they stay zero, pruning drops them, and descent fits the rank-r model from
 * the truth's factor: the r-column estimator the pruned model should match.
 */
export function oracleStart(problem: Problem, rows: number, k: number): Float64Array {
  const { Ustar, r } = problem.truth;
  if (Ustar.length !== rows * r || k < r) throw new Error(`oracle start: U* is ${Ustar.length / r}×${r}, the model ${rows}×${k}`);
  const U = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) for (let j = 0; j < r; j++) U[i * k + j] = Ustar[i * r + j];
  return U;
}

/** Column rows of one stage; `indices` maps positions to original column numbers (default identity). */
function pushStage(
  out: ColumnRow[], stage: Stage, norms: Float64Array, kept: Set<number> | null, indices?: number[],
): void {
  for (let j = 0; j < norms.length; j++) {
    const column = indices ? indices[j] : j;
    out.push({ stage, column, norm: norms[j], kept: kept ? kept.has(column) : false });
  }
}
