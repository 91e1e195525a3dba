/**
 * Two real processes running the same config into one folder at once: neither
 * crashes nor deletes the other's temp files, and once both have ended the
 * folder holds what one uninterrupted process writes.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { cli } from "../e2e/cli.js";
import { bothAtOnce as both, completeIds, FAULT_SWEEP, leftovers, scratch, snapshot, summaryIds } from "./harness.js";

const TRIALS = 3;

describe("two writers on one folder", () => {
  it(`same config twice (${TRIALS} trials): no crash, every run listed, the files of a single writer`, async () => {
    const single = scratch("conc-single");
    expect(cli(["run", FAULT_SWEEP, "--out", single, "--jobs", "1"]).code).toBe(0);
    for (let t = 0; t < TRIALS; t++) {
      const dir = scratch("conc-same");
      await both(["run", FAULT_SWEEP, "--out", dir, "--jobs", "2"], ["run", FAULT_SWEEP, "--out", dir, "--jobs", "1"]);
      expect(completeIds(dir)).toHaveLength(8);
      expect(summaryIds(join(dir, "summary.csv"))).toEqual(completeIds(dir));
      expect(leftovers(dir)).toEqual([]);
      expect(snapshot(dir)).toEqual(snapshot(single));
    }
  });
});
