/** Comparing a reproduction's digest with a reference: tolerances, sampling, and claims or figures on one side only. */
import { describe, expect, it } from "vitest";
import {
  compareToReference, figureDigest, numbersAgree, printedNumbers, sampleIndices, SAMPLED_ROWS, type ReferenceEntry,
} from "../../src/reproduce/compare.js";

const entry = (measured: string, values: number[], holds = true): ReferenceEntry => ({
  claims: { "exact-r": { config: "pruning", holds, measured } },
  figures: { "pruning/trace-x": figureDigest({ layer: [{ data: { values: values.map((value, step) => ({ step, value })) } }] }) },
});

describe("numbersAgree", () => {
  it.each([
    [1, 1.0099, 0, true],
    [1, 1.011, 0, false],
    [1e-30, 3e-20, 0, true], // both round-off
    [1e-8, 2e-8, 0, false],
    [36, 37, 0, false], // counts get no slack
    [0.63, 0.64, 0.01, true], // one unit of the printed digit
    [0.63, 0.65, 0.01, false],
    [NaN, NaN, 0, true],
    [Infinity, 1e300, 0, false],
  ])("%s vs %s (unit %s): %s", (a, b, unit, agree) => {
    expect(numbersAgree(a, b, unit)).toBe(agree);
  });
});

describe("printedNumbers", () => {
  it("reads integers, decimals, exponents and minus signs, but not en-dash ranges, with their last-digit unit", () => {
    const got = printedNumbers("ms: 33–38 kept, rate 0.850, ‖∇f‖ ≤ 9.8e-8, λ_min ≥ -1.2e-7, slope -1.07");
    expect(got.map((x) => x.value)).toEqual([33, 38, 0.85, 9.8e-8, -1.2e-7, -1.07]);
    expect(got[0].unit).toBe(0);
    expect(got[2].unit).toBeCloseTo(0.001, 12);
    expect(got[3].unit).toBeCloseTo(1e-9, 20);
  });
});

describe("sampleIndices", () => {
  it("keeps every index of a short array, and evenly spaced ones with both ends of a long one", () => {
    expect(sampleIndices(3)).toEqual([0, 1, 2]);
    const long = sampleIndices(1509);
    expect(long).toHaveLength(SAMPLED_ROWS);
    expect(long[0]).toBe(0);
    expect(long[long.length - 1]).toBe(1508);
    expect(new Set(long).size).toBe(SAMPLED_ROWS);
  });
});

describe("compareToReference", () => {
  it("finds nothing between a digest and itself", () => {
    const e = entry("kept = r in 5/5 runs, rate 0.858", [1, 0.5, 1e-30]);
    expect(compareToReference(e, e)).toEqual({ drifts: [], missing: [], dropped: [], compared: { claims: 1, figures: 1 } });
  });

  it("names a claim whose number moved, with its config's figures, and a figure whose data moved", () => {
    const ref = entry("rate 0.858", [1, 0.5]);
    const now = entry("rate 0.901", [1, 0.6]);
    const { drifts } = compareToReference(ref, now);
    expect(drifts.map((d) => [d.what, d.key])).toEqual([["claim", "exact-r"], ["figure", "pruning/trace-x"]]);
    expect(drifts[0].detail).toBe('0.901 where the reference has 0.858 (number 1 of "rate 0.901"; reference "rate 0.858") (its figures: pruning/trace-x)');
    expect(drifts[1].detail).toBe(".layer[0] row 1 value: 0.6 where the reference has 0.5");
  });

  it("names a claim whose status flipped, and a figure whose row count changed", () => {
    const { drifts } = compareToReference(entry("rate 0.858", [1, 2]), entry("rate 0.858", [1, 2, 3], false));
    expect(drifts[0].detail).toMatch(/^fails, the reference holds/);
    expect(drifts[1].detail).toBe(".layer[0]: 3 rows where the reference has 2");
  });

  it("reports claims and figures on one side only, without calling them drift", () => {
    const ref = entry("rate 0.858", [1]);
    const now: ReferenceEntry = { claims: { ...ref.claims, "new-claim": { config: "x", holds: true, measured: "1" } }, figures: {} };
    const cmp = compareToReference(ref, now);
    expect(cmp.drifts).toEqual([]);
    expect(cmp.missing).toEqual(["claim new-claim"]);
    expect(cmp.dropped).toEqual(["figure pruning/trace-x"]);
  });
});
