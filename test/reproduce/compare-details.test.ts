/**
 * The details of `reproduce --compare`: what the digest of a figure stores
 * (where each data array sits, rows rounded to 6 digits), every way a figure's
 * data or a claim's text can differ and how each reads, and the lines printed.
 */
import { describe, expect, it } from "vitest";
import { compareToReference, comparisonReport, figureDigest, type ReferenceEntry } from "../../src/reproduce/compare.js";

describe("figureDigest", () => {
  it("finds every data array with its place in the spec, rounding numbers to 6 significant digits", () => {
    const spec = {
      data: { values: [{ x: 1.23456789, s: "a", b: true, n: null, o: { k: 1 }, inf: Infinity }] },
      layer: [{ mark: "line" }, { data: { values: [] }, layer: [{ data: { values: [{ y: 2 }] } }] }],
      facet: { data: { name: "not values" } },
    };
    expect(figureDigest(spec)).toEqual([
      { at: ".", length: 1, rows: [[0, { x: 1.23457, s: "a", b: true, n: null, o: '{"k":1}', inf: Infinity }]] },
      { at: ".layer[1]", length: 0, rows: [] },
      { at: ".layer[1].layer[0]", length: 1, rows: [[0, { y: 2 }]] },
    ]);
  });
});

const claims = (measured: string, holds = true): ReferenceEntry["claims"] => ({ "exact-r": { config: "pruning", holds, measured } });
const fig = (...arrays: Array<Array<Record<string, unknown>>>) => figureDigest({ layer: arrays.map((values) => ({ data: { values } })) });
const entry = (c: ReferenceEntry["claims"], figures: ReferenceEntry["figures"] = {}): ReferenceEntry => ({ claims: c, figures });
const detailOf = (ref: ReferenceEntry, now: ReferenceEntry) => compareToReference(ref, now).drifts.map((d) => d.detail);

describe("claims compared", () => {
  it("say when the measured text changed shape (another count of numbers)", () => {
    expect(detailOf(entry(claims("rate 0.85")), entry(claims("rate 0.85 and 3")))).toEqual([
      'measured text changed shape: now "rate 0.85 and 3", reference "rate 0.85"',
    ]);
  });

  it("say which way the status flipped, quoting both texts, and leave out figures of other configs", () => {
    const now = entry(claims("rate 0.85"), { "other/f": fig([{ y: 1 }]) });
    expect(detailOf(entry(claims("rate 0.85", false), { "other/f": fig([{ y: 1 }]) }), now)).toEqual([
      'holds, the reference fails: now "rate 0.85", reference "rate 0.85"',
    ]);
  });

  it("allow one unit of the last printed digit, and no more", () => {
    expect(detailOf(entry(claims("rate 0.63")), entry(claims("rate 0.64")))).toEqual([]);
    expect(detailOf(entry(claims("rate 0.63")), entry(claims("rate 0.65")))).toHaveLength(1);
  });
});

describe("figures compared", () => {
  const ref = (f: ReferenceEntry["figures"][string]) => entry({}, { "c/f": f });

  it("name another number of data arrays, a missing row, a new field and a changed string", () => {
    expect(detailOf(ref(fig([{ y: 1 }])), ref(fig([{ y: 1 }], [{ y: 2 }])))).toEqual(["2 data arrays where the reference has 1"]);
    // the same length, but the sampled row index 0 is absent from the digest
    const missingRow = fig([{ y: 1 }]);
    missingRow[0].rows = [];
    expect(detailOf(ref(fig([{ y: 1 }])), ref(missingRow))).toEqual([".layer[0] row 0: missing"]);
    expect(detailOf(ref(fig([{ y: 1 }])), ref(fig([{ y: 1, z: 2 }])))).toEqual([".layer[0] row 0: new field z"]);
    expect(detailOf(ref(fig([{ s: "a" }])), ref(fig([{ s: "b" }])))).toEqual([".layer[0] row 0 s: b where the reference has a"]);
    expect(detailOf(ref(fig([{ y: 1 }])), ref(fig([{ y: 1.005 }])))).toEqual([]);
  });

  it("list at most three differences, then how many more", () => {
    const a = fig(Array.from({ length: 5 }, (_, i) => ({ y: i })));
    const b = fig(Array.from({ length: 5 }, (_, i) => ({ y: i + 10 })));
    expect(detailOf(ref(a), ref(b))).toEqual([
      ".layer[0] row 0 y: 10 where the reference has 0; .layer[0] row 1 y: 11 where the reference has 1; .layer[0] row 2 y: 12 where the reference has 2; and 2 more",
    ]);
    const four = fig(...Array.from({ length: 4 }, () => [{ y: 1 }]));
    expect(detailOf(ref(four.slice(0, 3)), ref(four))).toEqual(["4 data arrays where the reference has 3"]);
  });
});

describe("comparisonReport", () => {
  it("prints one DRIFT line per drift and a summary with the tolerances", () => {
    const cmp = compareToReference(entry(claims("rate 0.5"), { "pruning/f": fig([{ y: 1 }]) }), entry(claims("rate 0.9"), { "pruning/f": fig([{ y: 2 }]) }));
    const r = comparisonReport(cmp, "results/reference");
    expect(r.out).toEqual([
      'DRIFT claim exact-r: 0.9 where the reference has 0.5 (number 1 of "rate 0.9"; reference "rate 0.5") (its figures: pruning/f)',
      "DRIFT figure pruning/f: .layer[0] row 0 y: 2 where the reference has 1",
      "compare: 1 claims and 1 figures against results/reference, 2 drifted beyond 1% (values under 1e-9 agree)",
    ]);
    expect(r.drifted).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it("says all within the tolerance, and warns about claims or figures on one side only", () => {
    const cmp = compareToReference(entry(claims("rate 0.5"), { "a/old": fig([]) }), entry({ ...claims("rate 0.5"), extra: { config: "x", holds: true, measured: "" } }));
    const r = comparisonReport(cmp, "ref");
    expect(r.out).toEqual(["compare: 1 claims and 0 figures against ref, all within 1% (values under 1e-9 agree)"]);
    expect(r.drifted).toBe(false);
    expect(r.warnings).toEqual([
      "claim extra: not in the reference ref (write it with --update-reference; in the prune-sense repository: npm run reference)",
      "figure a/old: in the reference ref but not produced by this run",
    ]);
  });
});
