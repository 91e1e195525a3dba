/**
 * The formulas' mathjs instance (src/config/formula-math.ts), as `npm run build` bundles it
 * (dist/bundle/formula-math.cjs, what evaluateFormula loads): every function, operator and
 * constant a formula may name gives what the whole of mathjs gives, bit for bit, and the
 * parser's errors read the same.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { all, create } from "mathjs";
import { FORMULA_FUNCTIONS } from "../../src/config/formulas.js";

const bundled = (createRequire(import.meta.url)("../../dist/bundle/formula-math.cjs") as typeof import("../../src/config/formula-math.js")).createFormulaMath();
const whole = create(all, { number: "number" });

/** What evaluateFormula does with a text: parse, compile, evaluate. */
const evaluate = (math: typeof whole, text: string): unknown => math.parse(text).compile().evaluate({});

/** Arguments each function is tried on (two-argument ones get pairs). */
const TWO = new Set(["pow", "min", "max", "mod", "hypot", "round"]);
const VALUES = [0.3, 2.5, -1.75, 7, 1e-9];

describe("the bundled formula instance", () => {
  it.each([...FORMULA_FUNCTIONS])("%s gives the whole mathjs's value", (fn) => {
    for (const a of VALUES) {
      const args = TWO.has(fn) ? [`${a}, ${fn === "round" ? 2 : 1.5}`, `${a}`] : [`${a}`];
      for (const text of args) {
        const formula = `${fn}(${text})`;
        let want: unknown, got: unknown;
        try {
          want = evaluate(whole, formula);
        } catch (err) {
          want = (err as Error).message;
        }
        try {
          got = evaluate(bundled, formula);
        } catch (err) {
          got = (err as Error).message;
        }
        expect(Object.is(got, want) || (typeof got === "object" && JSON.stringify(got) === JSON.stringify(want)), `${formula}: ${String(got)} vs ${String(want)}`).toBe(true);
      }
    }
  });

  it("has the operators and constants formulas may use, and the same parse errors", () => {
    for (const text of ["1 + 2 * 3 - 4 / 5", "2 ^ 0.5", "-3 mod 2", "+4", "pi * e", "PI + E", "tau - phi", "LN2 * LN10 + LOG2E - LOG10E", "SQRT2 / SQRT1_2", "1 / Infinity", "ceil(50 * 0.7 / 0.25^2)"]) {
      expect(Object.is(evaluate(bundled, text), evaluate(whole, text)), text).toBe(true);
    }
    for (const bad of ["1 +", "(2", "3 ** 2", "sin("]) {
      expect(() => bundled.parse(bad), bad).toThrow();
      let message = "";
      try {
        whole.parse(bad);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(() => bundled.parse(bad)).toThrow(message);
    }
    expect(bundled.format(Infinity, { precision: 6 })).toBe(whole.format(Infinity, { precision: 6 }));
  });
});

describe("evaluateFormula's parsed texts (a sweep parses each formula once)", () => {
  it("gives each scope its own value and its own unknown names, and the same error every time", async () => {
    const { evaluateFormula } = await import("../../src/config/formulas.js");
    const text = "0.5 * sigma_r^3 + k";
    expect(evaluateFormula(text, { sigma_r: 2, k: 1 })).toEqual({ value: 5 });
    expect(evaluateFormula(text, { sigma_r: 1, k: 3 })).toEqual({ value: 3.5 });
    // the same text where k is not a quantity: named, then known again
    expect(evaluateFormula(text, { sigma_r: 1 })).toEqual({ error: `formula "${text}" uses unknown name k (known: sigma_r)` });
    expect(evaluateFormula(text, { sigma_r: 2, k: 0 })).toEqual({ value: 4 });
    for (let i = 0; i < 2; i++) {
      expect(evaluateFormula("1 / (k - k)", { k: 2 })).toEqual({ error: 'formula "1 / (k - k)" must give a finite real number, got Infinity' });
      expect(evaluateFormula("sigma_r[1]", { sigma_r: 2 })).toMatchObject({ error: expect.stringContaining("uses indexing: not allowed") });
      const wrong = evaluateFormula("(1 +", {});
      expect(wrong).toMatchObject({ error: expect.stringMatching(/^formula "\(1 \+" does not parse: /) });
      // a caller that changes the error it got does not change the next one's
      (wrong as { error: string }).error = "changed";
    }
  });
});
