/**
 * The interface between the descent loop and an optimizer. An optimizer makes a
 * `StepRule` per phase: which gradient a step follows (the full one, or one on a
 * minibatch) and how U moves along it (a plain step, or with a velocity). The
 * loop itself adds the penalty's gradient, applies its prox and logs; it never
 * asks which optimizer it runs. Adding one is a file implementing `Optimizer`
 * and one line in ./registry.ts; test/methods/optimizer-suite.test.ts then checks it.
 */
import type { Rng } from "../../random/streams.js";
import type { Loss } from "../../solvers/types.js";

/** The resolved `train.optimizer` / `finetune.optimizer` block: a kind and that kind's parameters. */
export interface OptimizerConfig {
  kind: string;
  /** Samples per minibatch (sgd). */
  batch_size?: number;
  /** Heavy-ball coefficient μ ∈ [0, 1) (momentum). */
  momentum?: number;
  /** A plug-in optimizer's own parameters (src/plugins/), by name. */
  [param: string]: number | string | undefined;
}

/** A parameter an optimizer takes besides `kind`. */
export interface OptimizerParam {
  /** batch_size or momentum for the built-ins; a plug-in names its own. */
  name: string;
  default: number;
  description: string;
}

export interface StepContext {
  /** Entries of U (rows × k). */
  size: number;
  stepSize: number;
  config: OptimizerConfig;
  /** The run's seeded stream for minibatches (see pipeline/seeds.ts); null where none is needed. */
  rng: Rng | null;
}

/** One phase's stepping; all its buffers are allocated by `create`. */
export interface StepRule {
  /** Writes the gradient of the loss this step follows into grad (overwriting it) and returns that loss value. */
  gradient(U: Float64Array, k: number, grad: Float64Array): number;
  /** Moves U (in place) along grad, the gradient of the whole objective. */
  update(U: Float64Array, grad: Float64Array): void;
}

export interface Optimizer {
  /** The `optimizer.kind` that selects it. */
  kind: string;
  /** One line for the README and the schema. */
  description: string;
  params: readonly OptimizerParam[];
  /** Whether it needs a loss over samples (a minibatch gradient). */
  needsSamples: boolean;
  /** @throws {Error} when the loss lacks what the optimizer needs (config validation prevents it). */
  create(loss: Loss, o: StepContext): StepRule;
}
