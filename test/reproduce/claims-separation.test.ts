/** separation-time on hand-made records: steps ∝ 1/λ pass; ∝ 1/√λ, a run not separated, or too few seeds fail. */
import { describe, expect, it } from "vitest";
import { check, overSeeds, record } from "./fake-records.js";

const runs = (power: number, seeds = 3) =>
  overSeeds((seed) => [0.0125, 0.05, 0.2].map((lambda) => record({ lambda, seed }, { separation_step: Math.round(20 * (1 + 0.1 * seed) * lambda ** -power), kept_columns: 2 })), seeds);

describe("separation-time", () => {
  it("PASSES when the steps until separation grow like 1/λ", () => {
    const v = check("separation-time", runs(1));
    expect(v.holds).toBe(true);
    expect(v.measured).toMatch(/^matrix-sensing: slope -1\.00 \[-1\.00, -1\.00\] \(95%, 3 seeds\) over λ = 0\.0125…0\.2; mean steps /);
  });

  it("FAILS when they grow like 1/√λ, or not at all", () => {
    expect(check("separation-time", runs(0.5)).holds).toBe(false);
    expect(check("separation-time", runs(0)).holds).toBe(false);
  });

  it("FAILS, naming the run, when one run never separated (NaN), and with fewer than 3 seeds", () => {
    const recs = runs(1);
    recs[0].metrics.separation_step = NaN;
    const v = check("separation-time", recs);
    expect(v.holds).toBe(false);
    expect(v.measured).toContain(`not separated: ?/${recs[0].run_id} (λ = 0.0125, seed 1)`);
    expect(check("separation-time", runs(1, 2)).holds).toBe(false);
  });
});
