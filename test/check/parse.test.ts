/**
 * Claims files: the expression language, one line per problem naming the claim
 * and the field, the committed JSON Schema generated from the validator, and
 * the claims files the project ships (configs/claims/, the examples of
 * docs/check.md) passing the validator.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { evaluate, ExprError, namesOf, parseExpr } from "../../src/check/expr.js";
import { claimsFrom, loadClaims } from "../../src/check/parse.js";
import { claimsJsonSchema } from "../../src/check/schema.js";
import { runCommand } from "../cli/harness.js";
import { configErrorLines } from "../helpers.js";

const ROOT = new URL("../..", import.meta.url).pathname;

describe("expressions", () => {
  const fields: Record<string, number | string> = { kept_columns: 5, r: 3, "train.lambda": 0.1, n: 100, problem: "matrix-sensing" };
  const at = (text: string) => evaluate(parseExpr(text), (f) => fields[f] ?? null);
  it.each([
    ["kept_columns - r", 2], ["kept_columns / r * 3", 5], ["2 ^ 3 ^ 2", 512], ["-2 ^ 2", -4], ["2 ^ -1", 0.5],
    ["(kept_columns - r) * 2", 4], ["train.lambda * 10", 1], ["log(n) / log(10)", 2], ["max(1, r, 2)", 3], ["min(r, 2)", 2],
    ["sqrt(abs(-16))", 4], ["pow(2, 10)", 1024], ["1e-3 * 1000", 1], [".5 + 1.5", 2], ["log10(n)", 2], ["exp(0)", 1], ["log2(8)", 3],
    ["missing + 1", NaN], ["problem", "matrix-sensing"], ["+r", 3],
  ])("%s = %s", (text, value) => {
    expect(at(text)).toBe(value);
  });

  it.each([
    ["", "empty expression"], ["kept_columns -", "unexpected end"], ["(r", 'expected ")" at the end'], ["r)", 'unexpected ")" at token 2'],
    ["foo(r)", "unknown function foo (known: log, log10, log2, exp, sqrt, abs, pow, min, max)"], ["log(1, 2)", "log takes 1 argument, got 2"],
    ["pow(2)", "pow takes 2 arguments, got 1"], ["r == 3", 'unexpected character "=" at 3'], ["r r", "unexpected r at token 2"],
    ["(".repeat(60) + "r" + ")".repeat(60), "nested deeper than 40 levels"], ["r".repeat(301), "longer than 300 characters"],
  ])("%j does not parse: %s", (text, message) => {
    expect(() => parseExpr(text)).toThrow(new ExprError(message));
  });

  it("refuses arithmetic on a text, and lists the names an expression reads", () => {
    expect(() => at("problem * 2")).toThrow('problem is a text ("matrix-sensing"), not a number');
    expect(namesOf(parseExpr("log(kept_columns - r) / r + train.lambda"))).toEqual(["kept_columns", "r", "train.lambda"]);
  });
});

describe("one line per problem, naming the claim and the field", () => {
  const lines = (raw: unknown) => configErrorLines(() => claimsFrom(raw, "c.yaml"));
  const ok = { statement: "s", every: { status: "ok" } };
  it.each([
    [{}, "claims: required"],
    [{ claims: "x" }, 'claims: expected a list, got "x"'],
    [{ claims: [] }, "claims: must not be empty"],
    [{ claims: ["x"] }, 'claim #1: expected a mapping, got "x"'],
    [{ claims: [{ statement: "s", every: { status: "ok" } }] }, "claim #1: id: required"],
    [{ claims: [{ ...ok, id: "a b" }] }, "claim #1: id: must be letters, digits, '.', '_' or '-', starting with a letter or digit, got \"a b\""],
    [{ claims: [{ id: "a", every: { status: "ok" } }] }, "claim a: statement: required"],
    [{ claims: [{ ...ok, id: "a", wehre: {} }] }, "claim a: wehre: unknown key (did you mean where?)"],
    [{ claims: [{ id: "a", statement: "s", every: { "kept_columns - r": { eq: 0 } } }] }, 'claim a: every."kept_columns - r".why: required (one line: why the bound is this number)'],
    [{ claims: [{ id: "a", statement: "s", every: { "kept_columns - r": 0 } }] }, 'claim a: every."kept_columns - r": a bound needs its reason: write { eq: 0, why: "…" }'],
    [{ claims: [{ id: "a", statement: "s", every: { k: { why: "w" } } }] }, "claim a: every.k: no bound: give one of eq, ne, lt, le, gt, ge, between, in, exists"],
    [{ claims: [{ id: "a", statement: "s", value: "x", aggregate: "mean" }] }, "claim a: expect: required by aggregate: the bound the number must meet, with its why"],
    [{ claims: [{ id: "a", statement: "s", value: "x", aggregate: "avg", expect: { lt: 1, why: "w" } }] }, 'claim a: aggregate: expected one of mean, median, min, max, count, fraction, got "avg"'],
    [{ claims: [{ id: "a", statement: "s", value: "x", aggregate: "mean", expect: { lt: 1, why: "" } }] }, "claim a: expect.why: must not be empty"],
    [{ claims: [{ id: "a", statement: "s", aggregate: "mean", expect: { lt: 1, why: "w" } }] }, "claim a: value: required for aggregate mean (the per-run quantity)"],
    [{ claims: [{ id: "a", statement: "s", aggregate: "fraction", expect: { lt: 1, why: "w" } }] }, "claim a: when: required for aggregate fraction (the runs that count)"],
    [{ claims: [{ ...ok, id: "a", slope: { x: "n", y: "e" } }] }, "claim a: slope: one test per claim, and this claim has every and slope (split it into two claims)"],
    [{ claims: [{ id: "a", statement: "s" }] }, "claim a: (test): no test: give one of every, aggregate (with expect), ratio, difference, slope, trend"],
    [{ claims: [{ ...ok, id: "a", expect: { lt: 1, why: "w" } }] }, "claim a: expect: not used by every (the bounds go in every)"],
    [{ claims: [{ ...ok, id: "a", where: { "foo(n)": 1 } }] }, 'claim a: where."foo(n)": "foo(n)" does not parse: unknown function foo (known: log, log10, log2, exp, sqrt, abs, pow, min, max)'],
    [{ claims: [{ id: "a", statement: "s", slope: { x: "n", y: "e", interval: 1.5 }, expect: { lt: 0, why: "w" } }] }, "claim a: slope.interval: must be < 1, got 1.5"],
    [{ claims: [{ id: "a", statement: "s", slope: { x: "n", y: "e" }, expect: { between: [2, 1], why: "w" } }] }, "claim a: expect.between: low 2 is above high 1"],
    [{ claims: [{ ...ok, id: "a", exceptions: { max: 2 } }] }, "claim a: exceptions.why: required (one line: why the bound is this number)"],
    [{ claims: [{ id: "a", statement: "s", value: "x", aggregate: "mean", exempt: { n: 1 }, expect: { lt: 1, why: "w" } }] }, "claim a: exempt: only with every"],
    [{ claims: [{ id: "a", statement: "s", value: "x", ratio: { of: {}, to: { aggregate: "median", valu: "y" } }, expect: { lt: 1, why: "w" } }] }, "claim a: ratio.to.valu: unknown key (did you mean value?)"],
  ])("%j → %s", (raw, line) => {
    expect(lines(raw)).toEqual([line]);
  });

  it("reports every problem of every claim at once, and repeated ids", () => {
    expect(lines({ claims: [{ ...ok, id: "a" }, { ...ok, id: "a" }, { id: "b", statement: "s", every: { r: 3 }, where: { "(": 1 } }] })).toEqual([
      "claim a: id: the same id as claim #1 (ids must be unique)",
      'claim b: where."(": "(" does not parse: unexpected end',
      'claim b: every.r: a bound needs its reason: write { eq: 3, why: "…" }',
    ]);
  });

  it("reads a claims file with the config reader's checks: a missing file, a folder, a list at the top", () => {
    expect(configErrorLines(() => loadClaims("/nonexistent/c.yaml"))).toEqual(["/nonexistent/c.yaml: no such file"]);
    expect(configErrorLines(() => loadClaims(ROOT))).toEqual([`${ROOT}: is a directory, expected a YAML or JSON file`]);
    const list = join(mkdtempSync(join(tmpdir(), "claims-")), "list.yaml");
    writeFileSync(list, "- id: a\n  statement: s\n");
    expect(configErrorLines(() => loadClaims(list))).toEqual([`${list}: expected a mapping with a claims: list at the top level`]);
  });
});

describe("the JSON Schema of claims files", () => {
  it("is what the committed prune-sense-claims.schema.json holds (regenerate it with `prune-sense schema --claims > prune-sense-claims.schema.json`)", () => {
    const committed = JSON.parse(readFileSync(`${ROOT}prune-sense-claims.schema.json`, "utf8"));
    expect(claimsJsonSchema()).toEqual(committed);
    expect(committed.title).toBe("prune-sense claims");
  });

  it("is what `prune-sense schema --claims` prints", async () => {
    const r = await runCommand("schema", "--claims");
    expect(`${r.out.join("\n")}\n`).toBe(readFileSync(`${ROOT}prune-sense-claims.schema.json`, "utf8"));
  });
});

describe("the claims files the project ships", () => {
  it("configs/claims/*.yaml pass the validator, point editors at the schema, and give every bound its why", () => {
    const dir = `${ROOT}configs/claims/`;
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(readFileSync(dir + f, "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=../../prune-sense-claims.schema.json");
      expect(loadClaims(dir + f).length).toBeGreaterThan(0);
    }
  });

  it("every YAML example of docs/check.md with claims: passes the validator", () => {
    const doc = readFileSync(`${ROOT}docs/check.md`, "utf8");
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /^claims:/m.test(b));
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    for (const b of blocks) expect(claimsFrom(parseYaml(b)).length).toBeGreaterThan(0);
  });
});
