/**
 * The nesting limit while YAML is parsed: every way of nesting (compact block
 * lists `- - -`, explicit keys `? ? ?`, flow lists after a quote inside a plain
 * scalar, which the bracket pre-scan cannot see) is refused at the level that
 * crosses the limit, in one line with its place, quickly, and never as
 * "Maximum call stack size exceeded".
 */
import { describe, expect, it } from "vitest";
import { MAX_CONFIG_DEPTH, parseConfigText } from "../../src/config/load.js";
import { configErrorLines } from "../helpers.js";

const N = MAX_CONFIG_DEPTH;

/** Each form nested `levels` deep (the top-level mapping or list counts as one), and the column of level N + 1. */
const FORMS: Array<[string, (levels: number) => string, number]> = [
  ["compact block lists (- - - 1)", (levels) => `${"- ".repeat(levels)}1\n`, 2 * N + 1],
  ["explicit keys (? ? ? a)", (levels) => `${"? ".repeat(levels)}a\n`, 2 * N + 1],
  // the apostrophe in "it's" starts a quote for the bracket pre-scan, which then skips the brackets
  ["flow lists after an apostrophe in a plain scalar", (levels) => `name: it's\nseed: ${"[".repeat(levels - 1)}${"]".repeat(levels - 1)}\n`, 6 + N],
  ["flow mappings in a block list", (levels) => `- ${"{a: ".repeat(levels - 1)}1${"}".repeat(levels - 1)}\n`, 3 + 4 * (N - 1)],
];

describe("the nesting limit, for every way of nesting", () => {
  it.each(FORMS)("%s: accepts the limit and refuses one more at its place", (_, nest, col) => {
    expect(() => parseConfigText(nest(N), "c.yaml")).not.toThrow(/nesting/);
    const line = nest(N).startsWith("name") ? 2 : 1;
    expect(configErrorLines(() => parseConfigText(nest(N + 1), "c.yaml"))).toEqual([`c.yaml:${line}:${col}: nesting deeper than ${N} levels`]);
  });

  // (the bracket pre-scan may see a flow form first, one bracket further on: its line is the same)
  it.each(FORMS)("%s: thousands of levels are one line, not a stack overflow", (_, nest) => {
    const line = nest(N).startsWith("name") ? 2 : 1;
    expect(configErrorLines(() => parseConfigText(nest(5000), "c.yaml"))).toEqual([expect.stringMatching(new RegExp(`^c\\.yaml:${line}:\\d+: nesting deeper than ${N} levels$`))]);
  });

  it("refuses a megabyte of compact block lists at once: the parser stops at the level it crosses", () => {
    const t = Date.now();
    expect(configErrorLines(() => parseConfigText(`${"- ".repeat(500_000)}1\n`, "c.yaml"))).toEqual([`c.yaml:1:${2 * N + 1}: nesting deeper than ${N} levels`]);
    expect(Date.now() - t).toBeLessThan(2000); // ~5 ms; reading the whole text first took seconds
  });
});
