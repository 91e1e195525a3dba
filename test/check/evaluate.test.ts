/**
 * The claims evaluator on runs made in memory: every comparison operator and
 * every test (every, aggregate, ratio, difference, slope, trend) with a case
 * that passes and one that fails, the exceptions listed by id with the values
 * that broke the claim, and the bootstrap interval of a slope on data whose
 * slope is known.
 */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { evaluateClaim, evaluateClaims, intervalMeets, meets } from "../../src/check/evaluate.js";
import type { Value } from "../../src/check/expr.js";
import { claimsFrom } from "../../src/check/parse.js";
import type { Row } from "../../src/check/rows.js";
import { fitLogLogSlope, median } from "../../src/stats/stats.js";
import { createStream } from "../../src/random/streams.js";

const row = (id: string, fields: Record<string, Value>): Row => ({ id, fields: new Map(Object.entries({ folder: ".", ...fields })) });

/** Six runs: λ ∈ {0, 0.1} × seeds 1–3; kept = r with the penalty, 10 + seed without; one text column. */
const ROWS: Row[] = [1, 2, 3].flatMap((seed) => [
  row(`a${seed}`, { problem: "matrix-sensing", status: "ok", lambda: 0.1, seed, r: 3, kept_columns: 3, recovery_error: 0.01 * seed, "train.lambda": 0.1 }),
  row(`b${seed}`, { problem: "matrix-sensing", status: "ok", lambda: 0, seed, r: 3, kept_columns: 10 + seed, recovery_error: 0.04 * seed, "train.lambda": 0 }),
]);

const claim = (body: Record<string, unknown>) => claimsFrom({ claims: [{ id: "c", statement: "s", ...body }] })[0];
const verdict = (body: Record<string, unknown>, rows = ROWS) => evaluateClaim(claim(body), rows);

describe("comparisons: each operator passes and fails", () => {
  it.each([
    [3, { eq: 3 }, true], [3, { eq: 4 }, false],
    ["ok", { eq: "ok" }, true], ["failed", { eq: "ok" }, false],
    [0.1, { eq: "0.1" }, true], ["0.1", { eq: 0.1 }, true],
    [3, { ne: 4 }, true], [3, { ne: 3 }, false],
    [1, { lt: 2 }, true], [2, { lt: 2 }, false],
    [2, { le: 2 }, true], [2.5, { le: 2 }, false],
    [3, { gt: 2 }, true], [2, { gt: 2 }, false],
    [2, { ge: 2 }, true], [1.9, { ge: 2 }, false],
    [-1, { between: [-1.3, -0.7] }, true], [-0.7, { between: [-1.3, -0.7] }, true], [-0.5, { between: [-1.3, -0.7] }, false],
    ["gd", { in: ["gd", "sgd"] }, true], ["momentum", { in: ["gd", "sgd"] }, false],
    [0, { exists: true }, true], [null, { exists: true }, false], [null, { exists: false }, true],
    [5, { ge: 3, lt: 5 }, false], [4, { ge: 3, lt: 5 }, true],
    // a missing value or NaN meets no bound
    [null, { lt: 1 }, false], [NaN, { lt: 1 }, false], [NaN, { ne: 1 }, true], [null, { ne: 1 }, false],
    ["matrix-sensing", { lt: 1 }, false],
  ] as Array<[Value, object, boolean]>)("%j meets %j: %s", (v, cmp, holds) => {
    expect(meets(v, cmp)).toBe(holds);
  });

  it.each([
    [-1.1, -0.9, { between: [-1.3, -0.7] }, true],
    [-1.4, -0.9, { between: [-1.3, -0.7] }, false],
    [-1.1, -0.5, { between: [-1.3, -0.7] }, false],
    [0.2, 0.4, { lt: 0.5 }, true], [0.2, 0.6, { lt: 0.5 }, false],
    [0.2, 0.4, { ne: 0 }, true], [-0.2, 0.4, { ne: 0 }, false],
    [NaN, NaN, { lt: 1 }, false],
  ] as Array<[number, number, object, boolean]>)("the interval [%d, %d] lies inside %j: %s", (lo, hi, cmp, holds) => {
    expect(intervalMeets(lo, hi, cmp)).toBe(holds);
  });
});

describe("every: each run meets the conditions; exceptions are listed by id with their values", () => {
  const why = "exactly r";
  it("passes when no run breaks it", () => {
    const v = verdict({ where: { lambda: { gt: 0 } }, every: { status: "ok", "kept_columns - r": { eq: 0, why } } });
    expect([v.holds, v.measured]).toEqual([true, "3 runs, no exception"]);
  });

  it("fails and names every run that breaks it, with the value", () => {
    const v = verdict({ every: { "kept_columns - r": { eq: 0, why } } });
    expect(v.holds).toBe(false);
    expect(v.measured).toBe("3 of 6 runs break it: b1 (kept_columns - r = 8), b2 (kept_columns - r = 9), b3 (kept_columns - r = 10)");
    expect(v.groups[0].exceptions!.map((e) => e.id)).toEqual(["b1", "b2", "b3"]);
  });

  it("allows exceptions.max of them, and says so", () => {
    const v = verdict({ every: { "kept_columns - r": { eq: 0, why } }, exceptions: { max: 3, why: "λ = 0 runs are not promised r" } });
    expect([v.holds, v.measured.startsWith("3 of 6 runs break it (at most 3 allowed): ")]).toEqual([true, true]);
    expect(verdict({ every: { "kept_columns - r": { eq: 0, why } }, exceptions: { max: 2, why: "w" } }).holds).toBe(false);
  });

  it("lists the runs outside the promised condition (exempt) without counting them", () => {
    const v = verdict({ every: { "kept_columns - r": { eq: 0, why } }, exempt: { lambda: 0 } });
    expect(v.holds).toBe(true);
    expect(v.measured).toBe("6 runs, no exception; outside the condition (exempt): b1 (kept_columns - r = 8), b2 (kept_columns - r = 9), b3 (kept_columns - r = 10)");
    expect(v.groups[0].exempt!.map((e) => e.id)).toEqual(["b1", "b2", "b3"]);
  });

  it("checks each group of group_by, and fails when one group fails", () => {
    const v = verdict({ group_by: "lambda", every: { "kept_columns / r": { le: 1, why } } });
    expect(v.groups.map((g) => [g.key, g.holds])).toEqual([[{ lambda: 0.1 }, true], [{ lambda: 0 }, false]]);
    expect(v.holds).toBe(false);
    expect(v.measured).toMatch(/^0\.1: 3 runs, no exception; 0: 3 of 3 runs break it/);
  });

  it("fails when where selects no run, saying which filter", () => {
    const v = verdict({ where: { lambda: 5 }, every: { status: "ok" } });
    expect([v.holds, v.measured]).toEqual([false, "no runs with lambda = 5 (of 6)"]);
  });
});

describe("aggregate: a statistic over a group's runs against a number", () => {
  const why = "w";
  it.each([
    ["mean", { le: 0.02, why }, true, 0.02], ["mean", { lt: 0.02, why }, false, 0.02],
    ["median", { eq: 0.02, why }, true, 0.02],
    ["min", { ge: 0.01, why }, true, 0.01], ["min", { gt: 0.01, why }, false, 0.01],
    ["max", { le: 0.03, why }, true, 0.03], ["max", { lt: 0.03, why }, false, 0.03],
  ])("%s of recovery_error with λ > 0 meets %j: %s", (aggregate, expectation, holds, value) => {
    const v = verdict({ where: { lambda: { gt: 0 } }, value: "recovery_error", aggregate, expect: expectation });
    expect(v.holds).toBe(holds);
    expect(v.groups[0].value).toBeCloseTo(value, 15);
  });

  it("count and fraction count the runs meeting `when`", () => {
    expect(verdict({ aggregate: "count", when: { "kept_columns - r": 0 }, expect: { eq: 3, why } }).holds).toBe(true);
    expect(verdict({ aggregate: "count", expect: { eq: 6, why } }).groups[0].value).toBe(6);
    const f = verdict({ aggregate: "fraction", when: { "kept_columns - r": 0 }, expect: { ge: 0.9, why } });
    expect([f.holds, f.groups[0].value]).toEqual([false, 0.5]);
  });

  it("a NaN value is not dropped: the mean is NaN and the claim fails", () => {
    const rows = [...ROWS, row("d", { problem: "matrix-sensing", status: "diverged", lambda: 0.1, seed: 4, r: 3, kept_columns: NaN, recovery_error: NaN })];
    const v = verdict({ where: { lambda: { gt: 0 } }, value: "recovery_error", aggregate: "mean", expect: { lt: 1, why } }, rows);
    expect([v.holds, v.measured]).toEqual([false, "mean recovery_error NaN over 4 runs"]);
  });
});

describe("ratio and difference: two subsets of each group", () => {
  const why = "w";
  const sides = { of: { where: { lambda: { gt: 0 } } }, to: { where: { lambda: 0 } } };
  it("ratio of the means: 0.02 / 0.08 = 0.25", () => {
    const v = verdict({ value: "recovery_error", aggregate: "mean", ratio: sides, expect: { lt: 1, why } });
    expect(v.holds).toBe(true);
    expect(v.groups[0].value).toBeCloseTo(0.25, 12);
    expect(v.measured).toBe("mean recovery_error 0.02 / mean recovery_error 0.08 = 0.25 (3 and 3 runs)");
    expect(verdict({ value: "recovery_error", ratio: sides, expect: { gt: 1, why } }).holds).toBe(false);
  });

  it("difference, each side with its own value and aggregate", () => {
    const v = verdict({ difference: { of: { where: { lambda: 0 }, value: "kept_columns", aggregate: "min" }, to: { where: { lambda: { gt: 0 } }, value: "kept_columns", aggregate: "max" } }, expect: { ge: 8, why } });
    expect([v.holds, v.groups[0].value]).toEqual([true, 8]);
    expect(verdict({ difference: { of: { where: { lambda: 0 }, value: "kept_columns", aggregate: "min" }, to: { where: { lambda: { gt: 0 } }, value: "kept_columns", aggregate: "max" } }, expect: { gt: 8, why } }).holds).toBe(false);
  });

  it("fails a group where one side has no runs", () => {
    const v = verdict({ value: "recovery_error", ratio: { of: sides.of, to: { where: { lambda: 7 } } }, expect: { lt: 1, why } });
    expect(v.holds).toBe(false);
    expect(v.measured).toMatch(/\(no runs in to\)$/);
  });
});

describe("trend: the aggregate at each level moves one way", () => {
  const rows = [4, 8, 16].flatMap((k) => [1, 2].map((seed) => row(`k${k}s${seed}`, { k, seed, kept: k / 2 + seed })));
  it.each([
    ["increasing", true], ["nondecreasing", true], ["decreasing", false], ["nonincreasing", false],
  ])("mean kept against k is %s: %s", (direction, holds) => {
    const v = verdict({ value: "kept", aggregate: "mean", trend: { across: "k", direction } }, rows);
    expect(v.holds).toBe(holds);
    expect(v.groups[0].levels).toEqual([{ at: 4, value: 3.5 }, { at: 8, value: 5.5 }, { at: 16, value: 9.5 }]);
  });

  it("a flat level fails increasing and passes nondecreasing; one level fails", () => {
    const flat = rows.map((r) => row(r.id, { ...Object.fromEntries(r.fields), kept: r.fields.get("k") === 16 ? 5.5 : (r.fields.get("kept") as number) }));
    expect(verdict({ value: "kept", trend: { across: "k", direction: "increasing" } }, flat).holds).toBe(false);
    expect(verdict({ value: "kept", trend: { across: "k", direction: "nondecreasing" } }, flat).holds).toBe(true);
    const one = verdict({ value: "kept", where: { k: 4 }, trend: { across: "k", direction: "increasing" } }, rows);
    expect([one.holds, one.measured]).toEqual([false, "mean kept 3.5 for k = 4 (increasing needs at least 2 values of k)"]);
  });
});

/** y = C·x^slope·exp(σ·z), z iid N(0, 1) per seed and x, from a fixed stream. */
function powerLaw(slope: number, sigma: number, seeds = 10): Row[] {
  const rng = createStream("test:check:power-law");
  return [100, 200, 400, 800, 1600].flatMap((x) =>
    Array.from({ length: seeds }, (_, s) => row(`x${x}s${s}`, { n: x, seed: s + 1, err2: 3 * x ** slope * Math.exp(sigma * rng.normal()) })));
}

describe("slope: a log–log fit with a bootstrap interval over seeds", () => {
  const why = "w";
  it("recovers a known slope of −1 exactly from noiseless data, with a zero-width interval", () => {
    const v = verdict({ slope: { x: "n", y: "err2" }, expect: { between: [-1.0001, -0.9999], why } }, powerLaw(-1, 0));
    expect(v.holds).toBe(true);
    expect(v.groups[0].value).toBeCloseTo(-1, 12);
    expect(v.groups[0].interval![0]).toBeCloseTo(-1, 12);
    expect(v.groups[0].interval![1]).toBeCloseTo(-1, 12);
  });

  it("with noise, the interval holds the estimate and narrows with more seeds", () => {
    const few = verdict({ slope: { x: "n", y: "err2" }, expect: { between: [-1.3, -0.7], why } }, powerLaw(-1, 0.3, 4));
    const many = verdict({ slope: { x: "n", y: "err2" }, expect: { between: [-1.3, -0.7], why } }, powerLaw(-1, 0.3, 40));
    for (const v of [few, many]) {
      const [lo, hi] = v.groups[0].interval!;
      expect(lo).toBeLessThan(v.groups[0].value!);
      expect(hi).toBeGreaterThan(v.groups[0].value!);
    }
    const width = (v: typeof few) => v.groups[0].interval![1] - v.groups[0].interval![0];
    expect(width(many)).toBeLessThan(width(few) / 2);
    expect(many.holds).toBe(true);
  });

  it("the 95% interval covers the true slope in about 95% of data sets (200 sets of 10 seeds)", () => {
    const rng = createStream("test:check:coverage");
    let covered = 0;
    for (let set = 0; set < 200; set++) {
      const points = [100, 200, 400, 800, 1600].flatMap((x) =>
        Array.from({ length: 10 }, (_, s) => ({ x, y: x ** -1 * Math.exp(0.3 * rng.normal()), unit: String(s) })));
      const [lo, hi] = fitLogLogSlope(points, { aggregate: "mean", level: 0.95, resamples: 400, stream: `check:set${set}` }).interval;
      if (lo <= -1 && hi >= -1) covered++;
    }
    // the percentile bootstrap over 10 units is a little liberal; 0.85 would flag a broken resampling (which covers far less)
    expect(covered / 200).toBeGreaterThan(0.85);
    expect(covered / 200).toBeLessThan(1);
  });

  it("fails when the interval leaves the band, even if the point estimate is inside", () => {
    const v = verdict({ slope: { x: "n", y: "err2" }, expect: { between: [-1.05, -0.95], why } }, powerLaw(-1, 0.3, 4));
    const [lo, hi] = v.groups[0].interval!;
    expect(lo < -1.05 || hi > -0.95).toBe(true);
    expect(v.holds).toBe(false);
    expect(v.measured).toMatch(/^slope -?\d[\d.]*, 95% interval \[-?\d[\d.]*, -?\d[\d.]*\] over 4 seeds, n = 100…1600$/);
  });

  it("fails a slope of 2 against a band around 1", () => {
    expect(verdict({ slope: { x: "n", y: "err2" }, expect: { between: [0.7, 1.3], why } }, powerLaw(2, 0.05)).holds).toBe(false);
  });

  it("is deterministic for a seed, and the seed and resamples are the user's", () => {
    // 10 seeds: with 4, the percentile ends take one of few values, and two bootstrap seeds can land on the same ones
    const body = { slope: { x: "n", y: "err2", resamples: 500 }, expect: { lt: 0, why } };
    const a = verdict(body, powerLaw(-1, 0.3)).groups[0].interval;
    expect(verdict(body, powerLaw(-1, 0.3)).groups[0].interval).toEqual(a);
    expect(verdict({ ...body, slope: { ...body.slope, seed: 2 } }, powerLaw(-1, 0.3)).groups[0].interval).not.toEqual(a);
  });

  it("refuses x ≤ 0 and a non-positive aggregate, naming the runs or levels", () => {
    const rows = [row("z", { n: 0, seed: 1, err2: 1 }), row("p", { n: 10, seed: 1, err2: 1 })];
    expect(verdict({ slope: { x: "n", y: "err2" }, expect: { lt: 0, why } }, rows).measured).toBe("n must be > 0 for a log–log slope: z (0)");
    const zero = [row("a", { n: 1, seed: 1, err2: 0 }), row("b", { n: 10, seed: 1, err2: 1 })];
    expect(verdict({ slope: { x: "n", y: "err2" }, expect: { lt: 0, why } }, zero).measured).toBe("mean err2 must be > 0 for a log–log slope: 0 at n = 1");
  });

  it("resamples whole seeds: a seed's runs at every x move together", () => {
    // two seeds, each a perfect power law of its own slope (−0.5 and −1.5): the interval spans both
    const rows = [1, 10, 100].flatMap((x) => [row(`s1x${x}`, { n: x, seed: 1, err2: x ** -0.5 }), row(`s2x${x}`, { n: x, seed: 2, err2: 1e-3 * x ** -1.5 })]);
    const fit = fitLogLogSlope(rows.map((r) => ({ x: r.fields.get("n") as number, y: r.fields.get("err2") as number, unit: String(r.fields.get("seed")) })),
      { aggregate: "median", level: 0.95, resamples: 400, stream: "check:t" });
    expect(fit.units).toBe(2);
    expect(fit.interval[0]).toBeCloseTo(-1.5, 12);
    expect(fit.interval[1]).toBeCloseTo(-0.5, 12);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });
});

describe("evaluation errors are one line naming the claim and field (exit 2)", () => {
  const lines = (body: Record<string, unknown>) => {
    try {
      evaluateClaims([claim(body)], ROWS);
    } catch (err) {
      if (err instanceof ConfigError) return err.lines;
      throw err;
    }
    throw new Error("expected a ConfigError");
  };
  it("a field no run has, with the likely name", () => {
    expect(lines({ where: { lamda: 0 }, every: { "kept_colums - r": { eq: 0, why: "w" } } })).toEqual([
      "claim c: where.lamda: no run has a field lamda (did you mean lambda?)",
      'claim c: every."kept_colums - r": no run has a field kept_colums (did you mean kept_columns?)',
    ]);
  });

  it("arithmetic on a text field", () => {
    expect(lines({ value: "problem * 2", aggregate: "mean", expect: { lt: 1, why: "w" } })).toEqual([
      "claim c: value: problem is a text (\"matrix-sensing\"), not a number (run a1)",
    ]);
    expect(lines({ value: "problem", aggregate: "mean", expect: { lt: 1, why: "w" } })).toEqual([
      'claim c: value: problem is a text ("matrix-sensing" in run a1), not a number',
    ]);
  });
});
