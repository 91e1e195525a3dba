/**
 * Two real processes writing one results folder at once (two different configs whose runs overlap): neither
 * crashes nor deletes the other's temp files, and once both have ended
 * summary.csv lists every complete run.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { bothAtOnce as both, completeIds, FAULT_SWEEP, leftovers, scratch, summaryIds } from "./harness.js";

const TRIALS = 3;

describe("two writers on one folder", () => {
  it(`different configs (${TRIALS} trials): both sweeps' runs and plans kept`, async () => {
    for (let t = 0; t < TRIALS; t++) {
      const dir = scratch("conc-diff");
      // 8 + 6 runs, 2 of them shared (λ = 0.1, seeds 3 and 4)
      const other = ["--set", "train.lambda=0.1,0.05", "--set", "seed=3,4,5"];
      await both(["run", FAULT_SWEEP, "--out", dir, "--jobs", "1"], ["run", FAULT_SWEEP, "--out", dir, "--jobs", "1", ...other]);
      expect(completeIds(dir)).toHaveLength(12);
      expect(summaryIds(join(dir, "summary.csv"))).toEqual(completeIds(dir));
      const header = readFileSync(join(dir, "summary.csv"), "utf8").split("\n")[0].split(",");
      expect(header.slice(-1)).toEqual(["train.lambda"]);
      expect(leftovers(dir)).toEqual([]);
    }
  });
});
