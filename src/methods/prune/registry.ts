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

export const PRUNE_RULES: readonly PruneRule[] = [threshold, relativeThreshold, keep, gap];

export const pruneRuleKeys: readonly string[] = PRUNE_RULES.map((r) => r.key);

/** The rule for a key, or undefined. */
export function findPruneRule(key: string): PruneRule | undefined {
  return PRUNE_RULES.find((r) => r.key === key);
}
