import { describe, expect, it } from "vitest";
import { parseCsv, parseCsvRows, parseNumber } from "../../src/figures/csv.js";

describe("parseCsvRows", () => {
  it("reads quoted fields holding commas, doubled quotes and newlines", () => {
    expect(parseCsvRows('a,b\n1,"x, ""y""\nz"\n')).toEqual([["a", "b"], ["1", 'x, "y"\nz']]);
  });

  it("accepts CRLF line ends and a last line without a newline", () => {
    expect(parseCsvRows("a,b\r\n1,2\r\n3,4")).toEqual([["a", "b"], ["1", "2"], ["3", "4"]]);
  });

  it("keeps empty fields, including a trailing one", () => {
    expect(parseCsvRows("a,,c,\n")).toEqual([["a", "", "c", ""]]);
  });

  it("reads an empty quoted field as empty text", () => {
    expect(parseCsvRows('"",x\n')).toEqual([["", "x"]]);
  });
});

describe("parseCsv", () => {
  it("keys rows by header and pads short rows with empty fields", () => {
    expect(parseCsv("\uFEFFa,b,c\n1,2\n")).toEqual([{ a: "1", b: "2", c: "" }]);
  });

  it("returns no rows for an empty file", () => {
    expect(parseCsv("")).toEqual([]);
  });
});

describe("parseNumber", () => {
  it("reads the results files' spellings of non-finite values and null", () => {
    expect(parseNumber("NaN")).toBeNaN();
    expect(parseNumber("Inf")).toBe(Infinity);
    expect(parseNumber("-Inf")).toBe(-Infinity);
    expect(parseNumber("Infinity")).toBe(Infinity);
    expect(parseNumber("")).toBeNull();
    expect(parseNumber(undefined)).toBeNull();
    expect(parseNumber("2.5e-3")).toBe(0.0025);
  });

  it("reads junk as NaN rather than guessing", () => {
    expect(parseNumber("abc")).toBeNaN();
  });
});
