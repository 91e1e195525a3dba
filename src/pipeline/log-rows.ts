/**
 * The trace rows of a run's logged steps. For a loss with logLosses (matrix sensing) they
 * are made a few at a time: a logged step's U is copied, and the rows are made once
 * LOG_BATCH steps wait or the phase ends, so that its training and test data are read
 * once for all of them instead of once per step; other losses' rows are made at their
 * step. Each row, and the order of the rows, is what making it at its step gives.
 */
import type { Penalty } from "../methods/penalties/types.js";
import type { Loss, Problem } from "../solvers/types.js";

export type Phase = "train" | "prune" | "finetune";

export interface TraceRow {
  phase: Phase;
  /** Global step: training steps count from 0, fine-tuning continues from the last training step. */
  step: number;
  train_loss: number;
  test_loss: number;
  objective: number;
  recovery_error: number;
  grad_norm: number;
  columns: number;
}

/** Logged steps whose rows are made together (8: a kernel call of rowsResidualSse's atMany). */
export const LOG_BATCH = 8;

interface Waiting {
  phase: Phase;
  step: number;
  W: Float64Array;
  kk: number;
  lambda: number;
  gradNorm: number;
  known: number | undefined;
}

export class LogRows {
  readonly #waiting: Waiting[] = [];
  readonly #copies: Float64Array[];
  readonly #colSq: Float64Array;

  /** Rows go to `trace`; U has d rows and at most kMax columns; β is the penalty's. */
  constructor(
    private readonly loss: Loss, private readonly problem: Problem, private readonly penalty: Penalty,
    private readonly d: number, kMax: number, private readonly beta: number, private readonly trace: TraceRow[],
  ) {
    this.#copies = Array.from({ length: LOG_BATCH }, () => new Float64Array(d * kMax));
    this.#colSq = new Float64Array(kMax);
  }

  /**
   * Log step `step` of a phase at W (d×kk); `known`: L(W) as the step computed it (Loss.trainLoss).
   * Only a loss with logLosses waits for the batch; any other's row is made now, at its step, as
   * before (a plug-in's losses are called when and where they always were).
   */
  add(phase: Phase, step: number, W: Float64Array, kk: number, lambda: number, gradNorm: number, known?: number): void {
    if (!this.loss.logLosses) {
      this.trace.push(this.#rowNow({ phase, step, W, kk, lambda, gradNorm, known }));
      return;
    }
    const copy = this.#copies[this.#waiting.length].subarray(0, this.d * kk);
    copy.set(W.subarray(0, this.d * kk));
    this.#waiting.push({ phase, step, W: copy, kk, lambda, gradNorm, known });
    if (this.#waiting.length === LOG_BATCH) this.flush();
  }

  /** Make the rows of the steps waiting (call when a phase ends, before the trace is read). */
  flush(): void {
    const waiting = this.#waiting;
    // only a loss with logLosses has steps waiting (add)
    for (let i = 0; i < waiting.length;) {
      // the points of one evaluation share their columns (a phase's steps do)
      let j = i + 1;
      while (j < waiting.length && waiting[j].kk === waiting[i].kk) j++;
      const group = waiting.slice(i, j);
      const train = new Float64Array(group.length), test = new Float64Array(group.length);
      this.loss.logLosses!(group.map((w) => w.W), group[0].kk, group.map((w) => w.known), train, test);
      group.forEach((w, g) => this.trace.push(this.#row(w, train[g], test[g])));
      i = j;
    }
    waiting.length = 0;
  }

  /** The row of one step, made now (after the steps waiting): the pruned model's. */
  now(phase: Phase, step: number, W: Float64Array, kk: number, lambda: number, gradNorm: number): TraceRow {
    this.flush();
    const row = this.#rowNow({ phase, step, W, kk, lambda, gradNorm, known: undefined });
    this.trace.push(row);
    return row;
  }

  /** The row of a step, its losses computed now. */
  #rowNow(w: Waiting): TraceRow {
    return this.#row(w, this.loss.trainLoss(w.W, w.kk, w.known), this.loss.testLoss(w.W, w.kk));
  }

  // Logged values come from the losses' trainLoss/testLoss, not from the step's
  // value: accurate to 1e-9 relative while large and exact near round-off.
  #row(w: Waiting, trainLoss: number, testLoss: number): TraceRow {
    const { phase, step, W, kk, lambda, gradNorm } = w;
    return {
      phase, step,
      train_loss: trainLoss,
      test_loss: testLoss,
      objective: lambda === 0 ? trainLoss : trainLoss + lambda * this.penalty.addGradient(W, this.d, kk, this.beta, 0, W, this.#colSq),
      recovery_error: this.problem.recoveryError(W, kk),
      grad_norm: gradNorm,
      columns: kk,
    };
  }
}
