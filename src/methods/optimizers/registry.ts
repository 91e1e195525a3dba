/**
 * Optimizers by `optimizer.kind`. The descent loop never branches on an
 * optimizer's name: adding one is a file in this folder plus one line below.
 */
import { gd } from "./gd.js";
import { momentum } from "./momentum.js";
import { sgd } from "./sgd.js";
import type { Optimizer } from "./types.js";

const OPTIMIZERS: Optimizer[] = [gd, sgd, momentum];

/** Every kind, built-ins first, then any registered by a plug-in (src/plugins/) in this thread. */
export const optimizerKinds: readonly string[] = OPTIMIZERS.map((o) => o.kind);

/** Add a plug-in's optimizer (src/plugins/ checks it first). */
export function registerOptimizer(o: Optimizer): void {
  OPTIMIZERS.push(o);
  (optimizerKinds as string[]).push(o.kind);
}

/** The optimizer of a kind, or undefined (config validation reports unknown kinds). */
export function findOptimizer(kind: string): Optimizer | undefined {
  return OPTIMIZERS.find((o) => o.kind === kind);
}

/**
 * The optimizer of a kind.
 * @throws {Error} for an unregistered kind (config validation prevents it).
 */
export function optimizerOf(kind: string): Optimizer {
  const o = findOptimizer(kind);
  if (!o) throw new Error(`no optimizer registered as ${kind}`);
  return o;
}
