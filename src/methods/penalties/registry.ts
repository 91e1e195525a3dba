/**
 * Penalties by `train.penalty.kind`. The descent loop never branches on a
 * penalty's name: adding one is a file in this folder plus one line below.
 */
import { groupLasso } from "./group-lasso.js";
import { none } from "./none.js";
import { smoothGroupLasso } from "./smooth-group-lasso.js";
import type { Penalty } from "./types.js";
import { weightDecay } from "./weight-decay.js";

const PENALTIES: Penalty[] = [smoothGroupLasso, groupLasso, weightDecay, none];

/** Every kind, built-ins first, then any registered by a plug-in (src/plugins/) in this thread. */
export const penaltyKinds: readonly string[] = PENALTIES.map((p) => p.kind);

/** Add a plug-in's penalty (src/plugins/ checks it first: a new kind, the functions it needs). */
export function registerPenalty(p: Penalty): void {
  PENALTIES.push(p);
  (penaltyKinds as string[]).push(p.kind);
}

/** The default: the paper's smooth group Lasso. */
export const DEFAULT_PENALTY = "smooth-group-lasso";

/** The penalty of a kind, or undefined (config validation reports unknown kinds). */
export function findPenalty(kind: string): Penalty | undefined {
  return PENALTIES.find((p) => p.kind === kind);
}

/**
 * The penalty of a kind.
 * @throws {Error} for an unregistered kind (config validation prevents it).
 */
export function penaltyOf(kind: string): Penalty {
  const p = findPenalty(kind);
  if (!p) throw new Error(`no penalty registered as ${kind}`);
  return p;
}

/**
 * The penalty a resolved `train.penalty` block selects, bound to the block's parameters
 * (a plug-in penalty's own, see Penalty.withParams).
 * @throws {Error} for an unregistered kind (config validation prevents it).
 */
export function penaltyFor(block: { kind: string }): Penalty {
  const p = penaltyOf(block.kind);
  return p.withParams ? p.withParams(block as Readonly<Record<string, unknown>>) : p;
}
