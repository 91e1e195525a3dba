/**
 * Two real processes writing one results folder at once (the same shard twice, as when a Slurm array task is resubmitted): neither
 * crashes nor deletes the other's temp files, and once both have ended
 * summary.csv lists every complete run.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";

import { bothAtOnce as both, completeIds, FAULT_SWEEP, leftovers, scratch, summaryIds } from "./harness.js";

const TRIALS = 3;

describe("two writers on one folder", () => {
  it(`the same shard twice (${TRIALS} trials): no crash, the shard's runs listed`, async () => {
    for (let t = 0; t < TRIALS; t++) {
      const dir = scratch("conc-shard");
      const args = ["run", FAULT_SWEEP, "--out", dir, "--shard", "1/2", "--jobs", "1"];
      await both(args, args);
      expect(completeIds(dir)).toHaveLength(4);
      expect(summaryIds(join(dir, "summary-shard-1-of-2.csv"))).toEqual(completeIds(dir));
      expect(summaryIds(join(dir, "summary.csv"))).toEqual(completeIds(dir));
      expect(leftovers(dir)).toEqual([]);
    }
  });
});
