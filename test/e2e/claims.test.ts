/**
 * The paper's claims, through the real binary with the bundled configs, over
 * five seeds each: the penalty makes greedy pruning keep exactly r columns,
 * without it the same threshold keeps many more, and fine-tuning the pruned
 * model converges linearly to the ground truth.
 */
import { beforeAll, describe, expect, it } from "vitest";
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

/**
 * Per model: the fitted fine-tuning rate the README reports. The band was that spread plus ±0.01
 * on 0.1's data (seeds 1–5: sensing 0.850–0.860, population 0.600, quadratic network 0.865–0.871);
 * on the data of stream ziggurat-1 the spreads are 0.848–0.862, 0.600 and 0.860–0.879, inside the
 * same bands, kept as they were: a different step size or a broken gradient moves the rate by more.
 * And the fewest of the 40 columns kept without the penalty (docs/configs.md's range): 35 for
 * sensing and population (37–39 on seeds 1–5); 34 for the quadratic network, whose seed 3 keeps
 * 34 on ziggurat-1's data (35–40 on 0.1's).
 */
describe.each([
  ["matrix sensing", "default", "unregularized", [0.84, 0.87], 35],
  // population: the slowest direction contracts by 1 − 8ησ_r² = 0.6 (η = 0.05, σ_r = 1)
  ["population loss", "population", "population-unregularized", [0.59, 0.61], 35],
  ["quadratic network", "quadratic-net", "quadratic-net-unregularized", [0.855, 0.88], 34],
] as const)("%s", (_name, regularized, unregularized, rateBand, fewestKept) => {
  let withPenalty: Array<Record<string, string>>;
  let without: Array<Record<string, string>>;
  beforeAll(() => {
    withPenalty = runConfig(regularized);
    without = runConfig(unregularized);
  }, 240_000);

  it("keeps exactly r columns after regularized training, for every seed", () => {
    expect(withPenalty).toHaveLength(5);
    for (const row of withPenalty) {
      expect(row.status).toBe("ok");
      expect(Number(row.kept_columns)).toBe(Number(row.r));
    }
  });

  it(`keeps ${fewestKept}–40 of the 40 columns with the same threshold when λ = 0 (the documented range)`, () => {
    expect(without).toHaveLength(5);
    for (const row of without) {
      expect(Number(row.lambda)).toBe(0);
      expect(Number(row.threshold)).toBe(Number(withPenalty[0].threshold));
      expect(Number(row.kept_columns)).toBeGreaterThanOrEqual(fewestKept);
      expect(Number(row.kept_columns)).toBeLessThanOrEqual(40);
    }
  });

  it("fine-tunes the pruned model to round-off: relative recovery error < 1e-12, at the README's linear rate", () => {
    for (const row of withPenalty) {
      expect(Number(row.noise)).toBe(0);
      // noiseless and r columns: fine-tuning reaches round-off (≤ 3.1e-15 on seeds 1–5); 1e-12 leaves 300× for other platforms
      expect(Number(row.recovery_error)).toBeLessThan(1e-12);
      const rate = Number(row.finetune_rate);
      expect(rate).toBeGreaterThanOrEqual(rateBand[0]);
      expect(rate).toBeLessThanOrEqual(rateBand[1]);
    }
  });

  it("crawls without the penalty: rate above 0.999 and error still above 1e-5 when fine-tuning stops", () => {
    // README: 37 columns fine-tune at rate 0.9999 and stop near 2e-4
    for (const row of without) {
      expect(Number(row.finetune_rate)).toBeGreaterThan(0.999);
      expect(Number(row.recovery_error)).toBeGreaterThan(1e-5);
    }
  });
});
