/**
 * Pruning rules by their key under `prune:`. The config schema and the pipeline look
 * rules up here and never branch on a key: adding a rule is one file in this folder
 * plus one line below.
 */
import { gap } from "./gap.js";
import { keep } from "./keep.js";
import { relativeThreshold } from "./relative-threshold.js";
import { threshold } from "./threshold.js";
import type { PruneRule } from "./types.js";

/** Every rule, built-ins first, then any registered by a plug-in (src/plugins/) in this thread. */
export const PRUNE_RULES: readonly PruneRule[] = [threshold, relativeThreshold, keep, gap];

export const pruneRuleKeys: readonly string[] = PRUNE_RULES.map((r) => r.key);

/** Add a plug-in's rule (src/plugins/ checks it first). */
export function registerPruneRule(rule: PruneRule): void {
  (PRUNE_RULES as PruneRule[]).push(rule);
  (pruneRuleKeys as string[]).push(rule.key);
}

/** The rule for a key, or undefined. */
export function findPruneRule(key: string): PruneRule | undefined {
  return PRUNE_RULES.find((r) => r.key === key);
}
