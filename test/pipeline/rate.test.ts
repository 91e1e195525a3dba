import { describe, expect, it } from "vitest";
import { fitLinearRate } from "../../src/pipeline/rate.js";

describe("linear-rate fit", () => {
  it("recovers the contraction factor of a geometric sequence", () => {
    expect(fitLinearRate(Float64Array.from({ length: 200 }, (_, t) => 3 * 0.93 ** t))).toBeCloseTo(0.93, 10);
  });
  it("ignores the round-off floor reached at the end", () => {
    const v = Float64Array.from({ length: 400 }, (_, t) => Math.max(0.8 ** t, 1e-17 * (1 + (t % 3))));
    expect(fitLinearRate(v)).toBeCloseTo(0.8, 6);
  });
  it("ignores a slower transient at the start", () => {
    const v = Float64Array.from({ length: 100 }, (_, t) => (t < 20 ? 0.99 ** t : 0.99 ** 20 * 0.7 ** (t - 20)));
    expect(fitLinearRate(v)).toBeCloseTo(0.7, 6);
  });
  it("is NaN without enough usable points", () => {
    expect(fitLinearRate([])).toBeNaN();
    expect(fitLinearRate([0, 0, 0])).toBeNaN();
  });
});
