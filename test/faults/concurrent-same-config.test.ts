/**
 * Two real processes writing one results folder at once (same config; the same
 * shard twice; different configs): neither crashes nor deletes the other's temp
 * files, and once both have ended summary.csv lists every complete run.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { tempDir } from "../e2e/cli.js";
import { bothAtOnce as both, completeIds, FAULT_SWEEP, leftovers, summaryIds } from "./harness.js";

const TRIALS = 3;

describe("two writers on one folder", () => {
  it(`same config twice (${TRIALS} trials): no crash, every run listed`, async () => {
    for (let t = 0; t < TRIALS; t++) {
      const dir = tempDir("conc-same");
      await both(["run", FAULT_SWEEP, "--out", dir, "--jobs", "2"], ["run", FAULT_SWEEP, "--out", dir, "--jobs", "1"]);
      expect(completeIds(dir)).toHaveLength(8);
      expect(summaryIds(join(dir, "summary.csv"))).toEqual(completeIds(dir));
      expect(leftovers(dir)).toEqual([]);
    }
  });
});
