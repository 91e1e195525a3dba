/**
 * Batches: groups of runs (each group trains once, see run-sweep.ts groupByTraining)
 * on the same data, handed to one worker together so that their descents step in
 * lockstep (pipeline/fused-descent.ts: H read once per step for the whole batch).
 * Batching changes who computes a run and when, never its files.
 */
import { problemKey } from "../pipeline/seeds.js";
import { trainingKey } from "../pipeline/run.js";
import type { PlannedRun } from "./plan.js";

/**
 * Trainings stepped in lockstep at most. Measured (docs/speed.md: 32 runs in batches of
 * 1…32, one thread, this shared 2-core machine, µs per step of one run): at d = 20 (H in
 * L2) 25 alone, 13–16 for every width from 2 to 32; at d = 40 (H 5.4 MB, read panel by
 * panel) 420–450 alone, 240–370 at 2–8, 320–370 at 16–32 (the batch's slots crowd the
 * caches). Two runs take most of the gain (the H product's tile is a pair of runs); 8 is
 * at or near the best in both.
 */
export const BATCH_WIDTH = 8;

/**
 * Join the groups on each data set into batches of at most `width` groups, and of at
 * most a `jobs`-th of that data set's groups (so that every worker gets a share). The
 * order of `groups` is kept: a batch comes where its first group was.
 */
export function batchGroups(groups: readonly PlannedRun[][], jobs: number, width: number = BATCH_WIDTH): PlannedRun[][] {
  const byData = groupBy(groups, (group) => problemKey(group[0].config));
  const per = new Map<string, number>();
  for (const [key, list] of byData) per.set(key, Math.max(1, Math.min(width, Math.ceil(list.length / Math.max(1, jobs)))));
  const open = new Map<string, { batch: PlannedRun[]; groups: number }>();
  const batches: PlannedRun[][] = [];
  for (const group of groups) {
    const key = problemKey(group[0].config);
    let current = open.get(key);
    if (!current || current.groups >= per.get(key)!) {
      current = { batch: [], groups: 0 };
      open.set(key, current);
      batches.push(current.batch);
    }
    current.batch.push(...group);
    current.groups++;
  }
  return batches;
}

/** The items by key, keys in order of first appearance, each list in the items' order. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The runs of a batch by training (trainingKey), in order. */
export function byTraining(runs: readonly PlannedRun[]): PlannedRun[][] {
  return [...groupBy(runs, (run) => trainingKey(run.config)).values()];
}

/** A `take` over groups (claims, run-sweep.ts) applied to a batch: group by group, in order. */
export function takeByGroup(take: (group: readonly PlannedRun[]) => readonly PlannedRun[]): (batch: readonly PlannedRun[]) => PlannedRun[] {
  return (batch) => byTraining(batch).flatMap((group) => [...take(group)]);
}
