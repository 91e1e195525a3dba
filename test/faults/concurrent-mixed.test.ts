/**
 * run, merge and plot on one folder at the same time: none crashes, and when the
 * last has ended summary.csv lists every complete run.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { tempDir } from "../e2e/cli.js";
import { completeIds, FAULT_SWEEP, leftovers, start, summaryIds } from "./harness.js";

const TRIALS = 2;

describe("run, merge and plot on one folder at once", () => {
  it(`never crash (${TRIALS} trials), and the last to end lists every run`, async () => {
    for (let t = 0; t < TRIALS; t++) {
      const dir = tempDir("conc-mixed");
      const first = await start(["run", FAULT_SWEEP, "--out", dir, "--shard", "1/2", "--jobs", "1"]).done;
      expect(first.code).toBe(0);
      const [run, merge, plot] = await Promise.all([
        start(["run", FAULT_SWEEP, "--out", dir, "--shard", "2/2", "--jobs", "1"]).done,
        start(["merge", dir]).done,
        start(["plot", dir, "--no-png"]).done,
      ]);
      for (const r of [run, merge, plot]) expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(run.code).toBe(0);
      expect(plot.code).toBe(0);
      // merge may finish before the second shard: then it reports the missing runs (exit 1)
      expect([0, 1]).toContain(merge.code);
      expect(completeIds(dir)).toHaveLength(8);
      expect(summaryIds(join(dir, "summary.csv"))).toEqual(completeIds(dir));
      expect(leftovers(dir)).toEqual([]);
    }
  });
});
