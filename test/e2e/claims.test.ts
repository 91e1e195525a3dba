/**
 * The paper's claims, through the real binary with the bundled configs, over
 * five seeds each: the penalty makes greedy pruning keep exactly r columns,
 * without it the same threshold keeps many more, and fine-tuning the pruned
 * model converges linearly to the ground truth.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { cli, readCsv, tempDir } from "./cli.js";

const SEEDS = "seed=1,2,3,4,5";

function runConfig(config: string) {
  const out = tempDir(config);
  const r = cli(["run", `configs/${config}.yaml`, "--set", SEEDS, "--out", out, "--jobs", "2"]);
  expect(r.stderr).not.toMatch(/error/);
  expect(r.code).toBe(0);
  return readCsv(join(out, "summary.csv"));
}

describe.each([
  ["matrix sensing", "default", "unregularized"],
  ["population loss", "population", "population-unregularized"],
  ["quadratic network", "quadratic-net", "quadratic-net-unregularized"],
])("%s", (_name, regularized, unregularized) => {
  const withPenalty = runConfig(regularized);
  const without = runConfig(unregularized);

  it("keeps exactly r columns after regularized training, for every seed", () => {
    expect(withPenalty).toHaveLength(5);
    for (const row of withPenalty) {
      expect(row.status).toBe("ok");
      expect(Number(row.kept_columns)).toBe(Number(row.r));
    }
  });

  it("keeps clearly more than r columns with the same threshold when λ = 0", () => {
    expect(without).toHaveLength(5);
    for (const row of without) {
      expect(Number(row.lambda)).toBe(0);
      expect(Number(row.threshold)).toBe(Number(withPenalty[0].threshold));
      expect(Number(row.kept_columns)).toBeGreaterThanOrEqual(3 * Number(row.r));
    }
  });

  it("fine-tunes the pruned model to relative recovery error < 1e-3 at a linear rate < 1", () => {
    for (const row of withPenalty) {
      expect(Number(row.noise)).toBe(0);
      expect(Number(row.recovery_error)).toBeLessThan(1e-3);
      const rate = Number(row.finetune_rate);
      expect(rate).toBeGreaterThan(0);
      expect(rate).toBeLessThan(1);
    }
  });
});
