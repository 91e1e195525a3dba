/**
 * How each kind of shape problem reads: one line, the dotted path, what was
 * expected and what the file holds, the way the user typed it.
 */
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load.js";
import { describeValue, keyForMessage, suggest } from "../../src/config/issues.js";
import { evaluateFormula } from "../../src/config/formulas.js";
import { planRuns } from "../../src/sweep/plan.js";
import { configErrorLines } from "../helpers.js";

const plan = (text: string): string[] => configErrorLines(() => planRuns(parseConfigText(text, "c.yaml")));

describe("shape messages", () => {
  it.each([
    ["an infinite count", "seed: .inf\n", "seed: expected a finite number, got Infinity"],
    ["an infinite hyperparameter", "train: { lambda: -.inf }\n", "train.lambda: expected a finite number, got -Infinity"],
    ["a number where a section goes", "problem: 5\n", "problem: expected a mapping, got 5"],
    ["a list where a section goes", "problem: [1]\n", "problem: expected a mapping, got a list"],
    ["null where a number goes", "model: { k: null }\n", "model.k: expected number, got null"],
    ["a boolean where a number goes", "seed: true\n", "seed: expected number, got true"],
    ["a mapping where a hyperparameter goes", "train: { lambda: { a: 1 } }\n", "train.lambda: expected a number or a formula string, got a mapping"],
    ["a list where a hyperparameter goes", "train: { lambda: [1] }\n", "train.lambda: expected a number or a formula string, got a list"],
    ["null where a hyperparameter goes", "train: { lambda: null }\n", "train.lambda: expected a number or a formula string, got null"],
    ["a name with a space", 'name: "a b"\n', "name: must be letters, digits, '.', '_' or '-', got \"a b\""],
    ["a name of dots", 'name: "..."\n', "name: must contain a letter or digit (\".\" and \"..\" are not folder names), got \"...\""],
    ["an unknown key in a nested block, no likely typo", "train: { perturb: { foo: 1 } }\n", "train.perturb.foo: unknown key (expected one of radius, grad_tol, every)"],
    ["an unknown key in a nested block, a likely typo", "train: { perturb: { radiuss: 1 } }\n", "train.perturb.radiuss: unknown key (did you mean radius?)"],
    ["a typo in another case", "train: { LAMBDA: 1 }\n", "train.LAMBDA: unknown key (did you mean lambda?)"],
    ["a count below one", "prune: { keep: 0 }\n", "prune.keep: must be > 0, got 0"],
    ["a ratio below one", "prune: { gap: 0.5 }\n", "prune.gap: must be ≥ 1, got 0.5"],
    ["a non-integer log cadence", "log: { every: 0.5 }\n", "log.every: must be an integer, got 0.5"],
    ["an empty formula", 'formulas: { train.lambda: "" }\nmodel: { k: 4 }\n', "formulas.train.lambda: must not be empty"],
    ["formulas that are not a mapping", "formulas: 3\n", "formulas: expected a mapping, got 3"],
    ["a sweep range without its end", "sweep: { seed: { from: 1, num: 3 } }\n", "sweep.seed.to: required"],
    ["a sweep range of one point", "sweep: { seed: { from: 1, to: 3, num: 1 } }\n", "sweep.seed.num: must be ≥ 2, got 1"],
    ["a sweep range of an unknown scale", "sweep: { seed: { from: 1, to: 3, num: 3, scale: cubic } }\n", 'sweep.seed.scale: expected one of linear, log, got "cubic"'],
  ])("%s", (_what, text, line) => {
    expect(plan(text)[0]).toBe(line);
  });

  it("cuts a long name to 200 characters and an unknown key to 80", () => {
    expect(plan(`name: ${"a".repeat(201)}\n`)).toEqual([`name: must be at most 200 characters, got "${"a".repeat(200)}…"`]);
    expect(plan(`${"k".repeat(100)}: 1\n`)).toEqual([
      `${"k".repeat(80)}…: unknown key (expected one of name, seed, problem, model, train, prune, finetune, log, sweep, formulas, plugins, plugin_hashes)`,
    ]);
  });
});

describe("message pieces", () => {
  it("describe values the way the user typed them", () => {
    expect([undefined, null, [1], { a: 1 }, "abc", 1.5, true].map(describeValue)).toEqual(["nothing", "null", "a list", "a mapping", '"abc"', "1.5", "true"]);
    expect(describeValue("x".repeat(201))).toBe(`"${"x".repeat(200)}…"`);
    expect(describeValue("x".repeat(200))).toBe(`"${"x".repeat(200)}"`);
  });

  it("suggest the closest name only when it is within max(2, length/3) edits", () => {
    expect(suggest("lamda", ["lambda", "beta"])).toBe("lambda");
    expect(suggest("stepsize", ["step_size", "steps"])).toBe("step_size");
    // "abcdefghi" → "abcdefxyz": 3 edits, within 9/3
    expect(suggest("abcdefghi", ["abcdefxyz"])).toBe("abcdefxyz");
    expect(suggest("abcdefghi", ["abcdexyzw"])).toBeUndefined();
    expect(suggest("zzz", ["lambda"])).toBeUndefined();
    expect(suggest("x", [])).toBeUndefined();
    // the nearest of several
    expect(suggest("bata", ["beta", "bat", "lambda"])).toBe("beta");
  });

  it("keep a key to 80 printable characters", () => {
    expect(keyForMessage("k".repeat(80))).toBe("k".repeat(80));
    expect(keyForMessage("k".repeat(81))).toBe(`${"k".repeat(80)}…`);
    expect(keyForMessage("a\u001bb")).toBe("a\\x1bb");
  });
});

describe("formula messages", () => {
  const SCOPE = { d: 20, r: 3 };
  const error = (text: string) => {
    const r = evaluateFormula(text, SCOPE);
    return "error" in r ? r.error : `value ${r.value}`;
  };
  const ALLOWED = "formulas are arithmetic: numbers, the quantities, + - * / ^ mod, parentheses and abs, sqrt, cbrt, exp, log, log2, log10, log1p, pow, min, max, ceil, floor, round, fix, sign, mod, hypot, sin, cos, tan, atan, tanh";

  it.each([
    ["true", `formula "true" uses the constant true: not allowed (${ALLOWED})`],
    ["null", `formula "null" uses the constant null: not allowed (${ALLOWED})`],
    ["{a: 1}", `formula "{a: 1}" uses an object: not allowed (${ALLOWED})`],
    ["2 == 2", `formula "2 == 2" uses the operator ==: not allowed (${ALLOWED})`],
    ["d < 2 < 3", `formula "d < 2 < 3" uses a comparison: not allowed (${ALLOWED})`],
    ["d:2", `formula "d:2" uses a range (a:b): not allowed (${ALLOWED})`],
    ["not 1", `formula "not 1" uses the operator not: not allowed (${ALLOWED})`],
    ["1/0", 'formula "1/0" must give a finite real number, got Infinity'],
    ["sqrt(-1)", 'formula "sqrt(-1)" must give a finite real number, got i'],
    ["x + y + x", 'formula "x + y + x" uses unknown name x, y (known: d, r)'],
    ["(f)(1)", 'formula "(f)(1)" uses unknown name f (known: d, r)'],
    ["sqrt(foo)", 'formula "sqrt(foo)" uses unknown name foo (known: d, r)'],
    ["", "formula is empty"],
    ["d ? 1 : 2", `formula "d ? 1 : 2" uses a conditional (?:): not allowed (${ALLOWED})`],
    ["[1][1]", `formula "[1][1]" uses indexing and a matrix or list: not allowed (${ALLOWED})`],
    ["f = 1", `formula "f = 1" uses an assignment: not allowed (${ALLOWED})`],
    ["sqrt(1, 2)", 'formula "sqrt(1, 2)" cannot be evaluated: Too many arguments in function sqrt (expected: 1, actual: 2)'],
    ["log(-1)", 'formula "log(-1)" must give a finite real number, got 3.14159i'],
    ["1 +", 'formula "1 +" does not parse: Unexpected end of expression (char 4)'],
  ])("%j", (text, message) => {
    expect(error(text)).toBe(message);
  });

  it("allow the constants, unary signs and mod, and call functions by name without taking them for unknown names", () => {
    expect(evaluateFormula("pi + e + tau - PI - tau", SCOPE)).toEqual({ value: expect.closeTo(Math.E, 12) });
    expect(evaluateFormula("-d + +r", SCOPE)).toEqual({ value: -17 });
    expect(evaluateFormula("d % 3 + mod(d, 7)", SCOPE)).toEqual({ value: 2 + 6 });
    expect(evaluateFormula("sqrt(d - 4) * (r)", SCOPE)).toEqual({ value: 12 });
    expect(evaluateFormula("SQRT2^2 + LN2 - LN2", SCOPE)).toEqual({ value: expect.closeTo(2, 12) });
  });

  it("allow 50 levels of parentheses, not 51, and 500 characters, not 501", () => {
    expect(evaluateFormula(`${"(".repeat(50)}d${")".repeat(50)}`, SCOPE)).toEqual({ value: 20 });
    expect(error(`${"(".repeat(51)}d${")".repeat(51)}`)).toBe(`formula "${"(".repeat(51)}d${")".repeat(51)}" nests parentheses deeper than 50 levels`);
    // brackets and braces nest too, and spaces between them do not hide the depth
    expect(error(`${"[".repeat(51)}1${"]".repeat(51)}`)).toMatch(/nests parentheses deeper than 50 levels$/);
    expect(error(`${"{a: ".repeat(51)}1${"}".repeat(51)}`)).toMatch(/nests parentheses deeper than 50 levels$/);
    expect(error(`${"( ".repeat(51)}d${" )".repeat(51)}`)).toMatch(/nests parentheses deeper than 50 levels$/);
    // each closing bracket or brace counts back down: 60 shallow lists are refused as lists, not as nesting
    expect(error(Array.from({ length: 60 }, () => "[1]").join("+"))).toMatch(/uses a matrix or list: not allowed/);
    expect(error(Array.from({ length: 60 }, () => "{a: 1}").join("+"))).toMatch(/uses an object: not allowed/);
    // closing parentheses count down: many shallow groups are fine
    expect(evaluateFormula(Array.from({ length: 60 }, () => "(1)").join("+"), SCOPE)).toEqual({ value: 60 });
    const at = (n: number) => `d${" ".repeat(n - 1)}`;
    expect(evaluateFormula(at(500), SCOPE)).toEqual({ value: 20 });
    expect(error(at(501))).toMatch(/^formula of 501 characters is longer than the limit of 500 \("d {29}…"\)$/);
  });
});
