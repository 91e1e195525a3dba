/**
 * Two real processes writing one results folder at once (same config; the same
 * shard twice; different configs): neither crashes nor deletes the other's temp
 * files, and once both have ended summary.csv lists every complete run.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../e2e/cli.js";
import { completeIds, FAULT_SWEEP, leftovers, start, summaryIds } from "./harness.js";

const TRIALS = 3;

/** Start both commands at once, wait for both, and check what every trial must show. */
async function both(a: string[], b: string[]): Promise<void> {
  const [ra, rb] = await Promise.all([start(a).done, start(b).done]);
  for (const r of [ra, rb]) {
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.code).toBe(0);
  }
}

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

  it(`the same shard twice (${TRIALS} trials): no crash, the shard's runs listed`, async () => {
    for (let t = 0; t < TRIALS; t++) {
      const dir = tempDir("conc-shard");
      const args = ["run", FAULT_SWEEP, "--out", dir, "--shard", "1/2", "--jobs", "1"];
      await both(args, args);
      expect(completeIds(dir)).toHaveLength(4);
      expect(summaryIds(join(dir, "summary-shard-1-of-2.csv"))).toEqual(completeIds(dir));
      expect(summaryIds(join(dir, "summary.csv"))).toEqual(completeIds(dir));
      expect(leftovers(dir)).toEqual([]);
    }
  });

  it(`different configs (${TRIALS} trials): both sweeps' runs and plans kept`, async () => {
    for (let t = 0; t < TRIALS; t++) {
      const dir = tempDir("conc-diff");
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
