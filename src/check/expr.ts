/**
 * The small arithmetic language of claims files: a per-run quantity such as
 * `kept_columns - r`, `recovery_error^2` or `log(n)`, over the run's fields
 * (summary.csv columns and dotted config paths like `train.lambda`). Its own
 * parser rather than mathjs, because field names hold dots (`model.k`), which
 * mathjs reads as property access. Parsing is O(length); evaluation never
 * allocates beyond the tree.
 */

/** A parsed expression: a tree of numbers, field names, operators and calls. */
export type Expr =
  | { kind: "number"; value: number }
  | { kind: "name"; name: string }
  | { kind: "unary"; arg: Expr }
  | { kind: "binary"; op: "+" | "-" | "*" | "/" | "^"; left: Expr; right: Expr }
  | { kind: "call"; fn: string; args: Expr[] };

/** A field's value in one run: a number, a text (problem kind, status…), a flag, or null when the run has none. */
export type Value = number | string | boolean | null;

/** Functions an expression may call, with how many arguments (min, max). */
export const FUNCTIONS: Readonly<Record<string, [number, number, (...xs: number[]) => number]>> = {
  log: [1, 1, Math.log],
  log10: [1, 1, Math.log10],
  log2: [1, 1, Math.log2],
  exp: [1, 1, Math.exp],
  sqrt: [1, 1, Math.sqrt],
  abs: [1, 1, Math.abs],
  pow: [2, 2, Math.pow],
  min: [1, 20, Math.min],
  max: [1, 20, Math.max],
};

/** Longest expression text accepted: claims use a few dozen characters. */
export const MAX_EXPR_LENGTH = 300;
/** Deepest nesting, so a hostile text cannot overflow the recursive parser. */
const MAX_DEPTH = 40;

/** A problem with an expression's text, said in one line (the caller adds the claim and field). */
export class ExprError extends Error {}

type Token = { t: "num"; v: number } | { t: "name"; v: string } | { t: "op"; v: string };

const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(text);
    if (num) {
      tokens.push({ t: "num", v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    NAME.lastIndex = i;
    const name = NAME.exec(text);
    if (name) {
      tokens.push({ t: "name", v: name[0] });
      i += name[0].length;
      continue;
    }
    if ("+-*/^(),".includes(c)) {
      tokens.push({ t: "op", v: c });
      i++;
      continue;
    }
    throw new ExprError(`unexpected character ${JSON.stringify(c)} at ${i + 1}`);
  }
  return tokens;
}

/**
 * Parse an expression: numbers, field names (dotted paths allowed), + - * / ^
 * (^ binds tightest and to the right), unary minus, parentheses and the
 * FUNCTIONS.
 * @throws {ExprError} `unexpected end`, `unknown function foo (known: …)`, …
 * @example parseExpr("kept_columns - r") // { kind: "binary", op: "-", … }
 */
export function parseExpr(text: string): Expr {
  if (text.length > MAX_EXPR_LENGTH) throw new ExprError(`longer than ${MAX_EXPR_LENGTH} characters`);
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new ExprError("empty expression");
  let pos = 0;
  const peek = (v: string) => tokens[pos]?.t === "op" && tokens[pos].v === v;
  const expect = (v: string) => {
    if (!peek(v)) throw new ExprError(pos < tokens.length ? `expected "${v}" at token ${pos + 1}` : `expected "${v}" at the end`);
    pos++;
  };
  const sum = (depth: number): Expr => {
    if (depth > MAX_DEPTH) throw new ExprError(`nested deeper than ${MAX_DEPTH} levels`);
    let left = product(depth);
    while (peek("+") || peek("-")) {
      const op = tokens[pos++].v as "+" | "-";
      left = { kind: "binary", op, left, right: product(depth) };
    }
    return left;
  };
  const product = (depth: number): Expr => {
    let left = unary(depth);
    while (peek("*") || peek("/")) {
      const op = tokens[pos++].v as "*" | "/";
      left = { kind: "binary", op, left, right: unary(depth) };
    }
    return left;
  };
  const unary = (depth: number): Expr => {
    if (peek("-")) {
      pos++;
      return { kind: "unary", arg: unary(depth + 1) };
    }
    if (peek("+")) {
      pos++;
      return unary(depth + 1);
    }
    return power(depth);
  };
  // -x^2 is -(x^2), and 2^-1 is allowed: the exponent is a unary
  const power = (depth: number): Expr => {
    const base = atom(depth);
    if (!peek("^")) return base;
    pos++;
    return { kind: "binary", op: "^", left: base, right: unary(depth + 1) };
  };
  const atom = (depth: number): Expr => {
    const tok = tokens[pos];
    if (!tok) throw new ExprError("unexpected end");
    if (tok.t === "num") {
      pos++;
      return { kind: "number", value: tok.v };
    }
    if (tok.t === "name") {
      pos++;
      if (!peek("(")) return { kind: "name", name: tok.v };
      const spec = FUNCTIONS[tok.v];
      if (!spec) throw new ExprError(`unknown function ${tok.v} (known: ${Object.keys(FUNCTIONS).join(", ")})`);
      pos++;
      const args: Expr[] = [];
      if (!peek(")")) {
        args.push(sum(depth + 1));
        while (peek(",")) {
          pos++;
          args.push(sum(depth + 1));
        }
      }
      expect(")");
      if (args.length < spec[0] || args.length > spec[1]) throw new ExprError(`${tok.v} takes ${spec[0] === spec[1] ? spec[0] : `${spec[0]} to ${spec[1]}`} argument${spec[1] === 1 ? "" : "s"}, got ${args.length}`);
      return { kind: "call", fn: tok.v, args };
    }
    if (tok.v === "(") {
      pos++;
      const inner = sum(depth + 1);
      expect(")");
      return inner;
    }
    throw new ExprError(`unexpected "${tok.v}" at token ${pos + 1}`);
  };
  const tree = sum(0);
  if (pos < tokens.length) throw new ExprError(`unexpected ${tokens[pos].t === "op" ? `"${tokens[pos].v}"` : String(tokens[pos].v)} at token ${pos + 1}`);
  return tree;
}

/** The field names an expression reads, in order of first use. */
export function namesOf(e: Expr, out: string[] = []): string[] {
  switch (e.kind) {
    case "name":
      if (!out.includes(e.name)) out.push(e.name);
      break;
    case "unary":
      namesOf(e.arg, out);
      break;
    case "binary":
      namesOf(e.left, out);
      namesOf(e.right, out);
      break;
    case "call":
      for (const a of e.args) namesOf(a, out);
      break;
  }
  return out;
}

/**
 * The value of an expression in one run. A bare field name gives the field as
 * it is (a text stays a text); arithmetic needs numbers: a missing field (null)
 * gives NaN, which no comparison passes.
 * @throws {ExprError} when arithmetic meets a text (`problem * 2`).
 * @example evaluate(parseExpr("kept_columns - r"), (f) => ({ kept_columns: 4, r: 3 })[f]) // 1
 */
export function evaluate(e: Expr, get: (name: string) => Value): Value {
  if (e.kind === "name") return get(e.name);
  return arithmetic(e, get);
}

function arithmetic(e: Expr, get: (name: string) => Value): number {
  switch (e.kind) {
    case "number":
      return e.value;
    case "name": {
      const v = get(e.name);
      if (v === null) return NaN;
      if (typeof v === "boolean") return v ? 1 : 0;
      if (typeof v === "string") throw new ExprError(`${e.name} is a text (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}), not a number`);
      return v;
    }
    case "unary":
      return -arithmetic(e.arg, get);
    case "binary": {
      const a = arithmetic(e.left, get);
      const b = arithmetic(e.right, get);
      switch (e.op) {
        case "+": return a + b;
        case "-": return a - b;
        case "*": return a * b;
        case "/": return a / b;
        case "^": return a ** b;
      }
      break;
    }
    case "call":
      return FUNCTIONS[e.fn][2](...e.args.map((a) => arithmetic(a, get)));
  }
  throw new ExprError("unreachable");
}
