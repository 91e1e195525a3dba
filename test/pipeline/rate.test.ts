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

describe("linear-rate fit: which points it uses", () => {
  it("fits from 3 usable points in the second half, and not from 2", () => {
    expect(fitLinearRate([1, 0.5, 0.25, 0.125, 0.0625])).toBeCloseTo(0.5, 12);
    expect(fitLinearRate([1, 0.5, 0.25, 0.125])).toBeNaN();
  });

  it("ends the fit at the first value at or under 1e-12 × the largest, ignoring what follows", () => {
    // after the floor: a value that would bend the fit if it were used
    expect(fitLinearRate([1, 0.5, 0.25, 0.125, 0.0625, 1e-12, 0.5, 0.5])).toBeCloseTo(0.5, 12);
    expect(fitLinearRate([1, 0.5, 0.25, 0.125, 0.0625, 0, 0.5, 0.5])).toBeCloseTo(0.5, 12);
  });

  it("is NaN when the steps are not finite", () => {
    expect(fitLinearRate([1, Infinity, 0.5, 0.25, 0.125, 0.0625])).toBeNaN();
    expect(fitLinearRate([-1, -2, -3, -4])).toBeNaN();
  });
});
