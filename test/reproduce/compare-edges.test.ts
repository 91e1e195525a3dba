/**
 * The comparison with a reference at its edges: sampling at exactly the row cap,
 * only `data.values` digested, the tolerances to the boundary, the slack of a
 * printed decimal, cells of different types, fewer data arrays, the "and N more"
 * cap, and claims or figures present on one side only.
 */
import { describe, expect, it } from "vitest";
import {
  compareToReference, figureDigest, numbersAgree, printedNumbers, sampleIndices, SAMPLED_ROWS,
  type DataArrayDigest, type ReferenceEntry, type Row,
} from "../../src/reproduce/compare.js";

const array = (rows: Row[], at = "."): DataArrayDigest => ({ at, length: rows.length, rows: rows.map((r, i) => [i, r]) });
const entry = (claims: ReferenceEntry["claims"] = {}, figures: ReferenceEntry["figures"] = {}): ReferenceEntry => ({ claims, figures });

describe("digests", () => {
  it(`keeps every row up to ${SAMPLED_ROWS}, then ${SAMPLED_ROWS} evenly spaced ones, both ends included`, () => {
    expect(sampleIndices(SAMPLED_ROWS)).toEqual(Array.from({ length: SAMPLED_ROWS }, (_, i) => i));
    const over = sampleIndices(SAMPLED_ROWS + 1);
    expect(over).toHaveLength(SAMPLED_ROWS);
    expect([over[0], over.at(-1)]).toEqual([0, SAMPLED_ROWS]);
  });

  it("digests the values under `data` only, and walks past null properties", () => {
    const spec = { title: null, encoding: { y: { axis: { values: [1, 2, 3] } } }, data: { values: [{ x: 1 }, { x: 2 }] } };
    expect(figureDigest(spec)).toEqual([{ at: ".", length: 2, rows: [[0, { x: 1 }], [1, { x: 2 }]] }]);
  });
});

describe("tolerances", () => {
  it("agrees on equal non-finite values, and within round-off of zero to the boundary", () => {
    expect(numbersAgree(NaN, NaN)).toBe(true);
    expect(numbersAgree(Infinity, Infinity)).toBe(true);
    expect(numbersAgree(Infinity, -Infinity)).toBe(false);
    expect(numbersAgree(1e-9, 0)).toBe(true);
    expect(numbersAgree(2e-9, 0)).toBe(false);
  });

  it("agrees within 1% of the larger value, the boundary included", () => {
    expect(numbersAgree(100, 99)).toBe(true);
    expect(numbersAgree(100, 98.9)).toBe(false);
  });

  it("gives each printed number one unit of its last digit (none for an integer)", () => {
    expect(printedNumbers("rate 1.5, error 3e-2, kept 7, 2.50e+1")).toEqual([
      { value: 1.5, unit: 0.1 }, { value: 0.03, unit: 0.01 }, { value: 7, unit: 0 }, { value: 25, unit: 0.1 },
    ]);
  });
});

describe("compareToReference", () => {
  const claim = (measured: string, holds = true) => ({ config: "pruning", holds, measured });

  it("takes the coarser printed digit of the two texts as slack", () => {
    // 0.5 (±0.1) and 0.53 (±0.01) agree within 0.1; within 0.01 they would not
    expect(compareToReference(entry({ c: claim("rate 0.5") }), entry({ c: claim("rate 0.53") })).drifts).toEqual([]);
    expect(compareToReference(entry({ c: claim("rate 0.53") }), entry({ c: claim("rate 0.5") })).drifts).toEqual([]);
    expect(compareToReference(entry({ c: claim("rate 0.50") }), entry({ c: claim("rate 0.53") })).drifts).toHaveLength(1);
  });

  it("names the figures of a drifted claim's config", () => {
    const figures = { "pruning/norms": [array([{ x: 1 }])], "noise/error": [array([{ x: 1 }])] };
    const cmp = compareToReference(entry({ c: claim("rate 0.5") }, figures), entry({ c: claim("rate 0.9") }, figures));
    expect(cmp.drifts).toEqual([{
      what: "claim", key: "c", detail: '0.9 where the reference has 0.5 (number 1 of "rate 0.9"; reference "rate 0.5") (its figures: pruning/norms)',
    }]);
  });

  it("compares cells by type: a number never equals its text, equal texts agree", () => {
    const cmp = (r: Row, n: Row) => compareToReference(entry({}, { "p/f": [array([r])] }), entry({}, { "p/f": [array([n])] })).drifts.map((d) => d.detail);
    expect(cmp({ s: "a", x: 1 }, { s: "a", x: 1 })).toEqual([]);
    expect(cmp({ s: "a" }, { s: "b" })).toEqual([". row 0 s: b where the reference has a"]);
    expect(cmp({ x: 1 }, { x: "1" })).toEqual([". row 0 x: 1 where the reference has 1"]);
    expect(cmp({ x: "1" }, { x: 1 })).toEqual([". row 0 x: 1 where the reference has 1"]);
  });

  it("reports fewer data arrays without reading past them", () => {
    const ref = entry({}, { "p/f": [array([{ x: 1 }], ".a"), array([{ x: 2 }], ".b")] });
    const now = entry({}, { "p/f": [array([{ x: 1 }], ".a")] });
    expect(compareToReference(ref, now).drifts).toEqual([{ what: "figure", key: "p/f", detail: "1 data arrays where the reference has 2" }]);
  });

  it("lists three problems of a figure, then how many more", () => {
    const rows = (v: number, count: number) => Array.from({ length: count }, () => ({ x: v }));
    const detail = (count: number) => compareToReference(entry({}, { "p/f": [array(rows(1, count))] }), entry({}, { "p/f": [array(rows(2, count))] })).drifts[0].detail;
    expect(detail(3)).toBe(". row 0 x: 2 where the reference has 1; . row 1 x: 2 where the reference has 1; . row 2 x: 2 where the reference has 1");
    expect(detail(4)).toBe(". row 0 x: 2 where the reference has 1; . row 1 x: 2 where the reference has 1; . row 2 x: 2 where the reference has 1; and 1 more");
  });

  it("lists what only one side has: new claims and figures as missing, gone ones as dropped", () => {
    const ref = entry({ old: claim("x 1") }, { "p/old": [array([{ x: 1 }])] });
    const now = entry({ fresh: claim("x 1") }, { "p/new": [array([{ x: 1 }])] });
    const cmp = compareToReference(ref, now);
    expect(cmp.missing).toEqual(["claim fresh", "figure p/new"]);
    expect(cmp.dropped).toEqual(["claim old", "figure p/old"]);
    expect(cmp.compared).toEqual({ claims: 0, figures: 0 });
  });
});
