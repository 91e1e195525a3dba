/**
 * CSV cells as pandas, R and the project's own reader expect them: NaN as "NaN",
 * ±∞ as "Inf"/"-Inf", null as an empty cell, numbers at full precision, text quoted
 * only when it must be, and every cell read back to the value written.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { formatCell, toCsv } from "../../src/output/csv.js";
import { parseCsv, parseNumber } from "../../src/figures/csv.js";

describe("formatCell", () => {
  it.each([
    [NaN, "NaN"], [Infinity, "Inf"], [-Infinity, "-Inf"], [null, ""], [undefined, ""],
    [true, "1"], [false, "0"], [0.1 + 0.2, "0.30000000000000004"], [-0, "0"], [1e-300, "1e-300"], ["text", "text"],
  ] as const)("writes %s as %j", (value, text) => {
    expect(formatCell(value)).toBe(text);
  });
});

describe("toCsv", () => {
  const rows = [
    { a: NaN, b: Infinity, c: -Infinity, d: null, e: "x, \"y\"", f: 1 / 3 },
    { a: 1, b: -2.5e-17, c: 0, d: 7, e: "line\nbreak", f: true },
  ];
  const text = toCsv(["a", "b", "c", "d", "e", "f"], rows);

  it("writes a header, LF line ends, and quotes only text that needs it", () => {
    expect(text).toBe(`a,b,c,d,e,f\nNaN,Inf,-Inf,,"x, ""y""",${1 / 3}\n1,-2.5e-17,0,7,"line\nbreak",1\n`);
  });

  it("reads back exactly through the project's parser", () => {
    const back = parseCsv(text);
    expect(back.map((r) => ["a", "b", "c", "d", "f"].map((c) => parseNumber(r[c])))).toEqual([
      [NaN, Infinity, -Infinity, null, 1 / 3],
      [1, -2.5e-17, 0, 7, 1],
    ]);
    expect(back.map((r) => r.e)).toEqual(["x, \"y\"", "line\nbreak"]);
  });

  it("reads back exactly through Python's csv module and float()", () => {
    const script = [
      "import csv, io, json, math, sys",
      "rows = list(csv.DictReader(io.StringIO(sys.stdin.read(), newline='')))",
      "enc = lambda x: None if x == '' else ('nan' if math.isnan(float(x)) else repr(float(x)))",
      "print(json.dumps([[enc(r[c]) for c in 'abcdf'] + [r['e']] for r in rows]))",
    ].join("\n");
    const r = spawnSync("python3", ["-c", script], { input: text, encoding: "utf8", timeout: 60_000 });
    expect(r.error ?? r.stderr).toBeFalsy();
    expect(JSON.parse(r.stdout)).toEqual([
      ["nan", "inf", "-inf", null, repr(1 / 3), "x, \"y\""],
      ["1.0", "-2.5e-17", "0.0", "7.0", "1.0", "line\nbreak"],
    ]);
  });
});

/** Python's repr of a float that JavaScript prints with 17 significant digits or fewer (the same shortest form). */
function repr(x: number): string {
  return String(x);
}
