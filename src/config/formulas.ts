/**
 * Formulas in configs: any hyperparameter may be a mathjs expression over the
 * problem's quantities (d, r, k, n, n_test, noise, kappa, sigma_1, sigma_r, n_ratio, curvature),
 * e.g. "0.5 * sigma_r^3". mathjs is used here, once per run at resolve time,
 * never in a training loop.
 *
 * Formulas are arithmetic only: the parsed tree is walked and may hold number
 * constants, the quantities (and pi, e, …), + - * / ^ mod, unary minus,
 * parentheses and the scalar functions of FORMULA_FUNCTIONS. Ranges, matrices,
 * strings, units, assignments, function definitions, indexing and the rest of
 * mathjs are refused before anything is evaluated, and the text is at most
 * MAX_FORMULA_LENGTH characters, so "sum(1:1e9)" or a 100k-term sum cannot take
 * the process down: evaluation costs O(length of the text).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { EvalFunction, MathJsInstance, MathNode } from "mathjs";

/** Longest formula text: real formulas are a few dozen characters. */
export const MAX_FORMULA_LENGTH = 500;
/** Deepest parenthesis nesting, checked before mathjs's recursive parser sees the text. */
const MAX_FORMULA_NESTING = 50;

/** The scalar functions a formula may call. */
export const FORMULA_FUNCTIONS = [
  "abs", "sqrt", "cbrt", "exp", "log", "log2", "log10", "log1p", "pow", "min", "max", "ceil", "floor", "round", "fix",
  "sign", "mod", "hypot", "sin", "cos", "tan", "atan", "tanh",
] as const;
const FUNCTIONS: ReadonlySet<string> = new Set(FORMULA_FUNCTIONS);
/** mathjs operator functions a formula may use: + - * / ^ mod and unary ±. */
const OPERATORS: ReadonlySet<string> = new Set(["add", "subtract", "multiply", "divide", "pow", "mod", "unaryMinus", "unaryPlus"]);
const ALLOWED = `formulas are arithmetic: numbers, the quantities, + - * / ^ mod, parentheses and ${FORMULA_FUNCTIONS.join(", ")}`;

/** What a mathjs node is, in words, when it is not allowed; null when it is. */
function disallowed(node: MathNode, parent: MathNode | null): string | null {
  const n = node as unknown as { type: string; value?: unknown; fn?: unknown; op?: string; name?: string };
  switch (n.type) {
    case "ConstantNode":
      return typeof n.value === "number" ? null : typeof n.value === "string" ? "a string" : `the constant ${String(n.value)}`;
    case "SymbolNode":
      return null;
    case "ParenthesisNode":
      return null;
    case "OperatorNode":
      return OPERATORS.has(String(n.fn)) ? null : `the operator ${n.op}`;
    case "FunctionNode": {
      const fn = n.fn as { type?: string; name?: string };
      if (fn?.type !== "SymbolNode") return "a computed function call";
      return FUNCTIONS.has(String(fn.name)) ? null : `the function ${fn.name}`;
    }
    case "RangeNode":
      return "a range (a:b)";
    case "ArrayNode":
      return "a matrix or list";
    case "ObjectNode":
      return "an object";
    case "AssignmentNode":
      return "an assignment";
    case "FunctionAssignmentNode":
      return "a function definition";
    case "AccessorNode":
    case "IndexNode":
      return "indexing";
    case "ConditionalNode":
      return "a conditional (?:)";
    case "RelationalNode":
      return "a comparison";
    case "BlockNode":
      return "several expressions";
    default:
      void parent;
      return `a ${n.type}`;
  }
}

/** Deepest nesting of ( and [ in the text. */
function nesting(text: string): number {
  let depth = 0;
  let max = 0;
  for (const ch of text) {
    if (ch === "(" || ch === "[" || ch === "{") max = Math.max(max, ++depth);
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
  }
  return max;
}

/**
 * The formula instance bundled by `npm run build` (./formula-math.ts with only the parts of
 * mathjs it names): beside this file in dist/bundle/, or seen from dist/config/ or src/config/.
 */
const FORMULA_MATH_CANDIDATES = ["./formula-math.cjs", "../bundle/formula-math.cjs", "../../dist/bundle/formula-math.cjs"];

let math: MathJsInstance | undefined;
/**
 * The mathjs instance, made on the first formula, not at start-up. From the bundled
 * formula instance (tens of milliseconds to load); without a build, from the whole of
 * mathjs (about a second), which evaluates every allowed formula alike.
 */
function mathjs(): MathJsInstance {
  if (!math) {
    const require = createRequire(import.meta.url);
    const bundled = FORMULA_MATH_CANDIDATES.map((c) => fileURLToPath(new URL(c, import.meta.url))).find((path) => existsSync(path));
    if (bundled) math = (require(bundled) as typeof import("./formula-math.js")).createFormulaMath();
    else {
      const { create, all } = require("mathjs") as typeof import("mathjs");
      math = create(all, { number: "number" });
    }
  }
  return math;
}

export type FormulaScope = Record<string, number>;

/** A formula's text checked and parsed: its tree, the names it reads (in order), its compiled form once made. */
interface ParsedFormula {
  node: MathNode;
  names: string[];
  code?: EvalFunction;
}

/**
 * Texts already parsed (a sweep evaluates the same few formulas for every run: parsing is
 * most of the cost). At most MAX_PARSED_FORMULAS, then it starts over: a pure cache.
 */
const parsedFormulas = new Map<string, ParsedFormula | { error: string }>();
const MAX_PARSED_FORMULAS = 10_000;

/** The checks of a formula's text alone, and its parse: an error sentence, or the parsed formula. */
function parseFormula(text: string): ParsedFormula | { error: string } {
  if (text.length > MAX_FORMULA_LENGTH) {
    return { error: `formula of ${text.length} characters is longer than the limit of ${MAX_FORMULA_LENGTH} ("${text.slice(0, 30)}…")` };
  }
  if (text.trim() === "") return { error: "formula is empty" };
  if (nesting(text) > MAX_FORMULA_NESTING) return { error: `formula "${text}" nests parentheses deeper than ${MAX_FORMULA_NESTING} levels` };
  let node: MathNode;
  try {
    node = mathjs().parse(text);
  } catch (err) {
    return { error: `formula "${text}" does not parse: ${(err as Error).message}` };
  }
  const refused = new Set<string>();
  node.traverse((n, _path, parent) => {
    const what = disallowed(n, parent);
    if (what) refused.add(what);
  });
  if (refused.size > 0) return { error: `formula "${text}" uses ${[...refused].join(" and ")}: not allowed (${ALLOWED})` };
  const names = new Set<string>();
  node.traverse((n, _path, parent) => {
    const isFunctionName = parent?.type === "FunctionNode" && (parent as unknown as { fn: unknown }).fn === n;
    if (n.type === "SymbolNode" && !isFunctionName) names.add((n as unknown as { name: string }).name);
  });
  return { node, names: [...names] };
}

/**
 * Evaluate `text` with `scope`. Returns the number, or an error sentence
 * (without the field path) that says what is wrong.
 * @example evaluateFormula("0.5 * sigma_r^3", { sigma_r: 0.5 }) // → { value: 0.0625 }
 */
export function evaluateFormula(text: string, scope: FormulaScope): { value: number } | { error: string } {
  let parsed = parsedFormulas.get(text);
  if (!parsed) {
    if (parsedFormulas.size >= MAX_PARSED_FORMULAS) parsedFormulas.clear();
    parsed = parseFormula(text);
    parsedFormulas.set(text, parsed);
  }
  if ("error" in parsed) return { error: parsed.error };
  const unknown = parsed.names.filter((name) => !(name in scope) && !isMathConstant(name));
  if (unknown.length > 0) {
    return {
      error: `formula "${text}" uses unknown name ${unknown.join(", ")} (known: ${Object.keys(scope).join(", ")})`,
    };
  }
  let value: unknown;
  try {
    parsed.code ??= parsed.node.compile();
    value = parsed.code.evaluate({ ...scope });
  } catch (err) {
    return { error: `formula "${text}" cannot be evaluated: ${(err as Error).message}` };
  }
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return { error: `formula "${text}" must give a finite real number, got ${mathjs().format(value as never, { precision: 6 })}` };
  }
  return { value };
}

const CONSTANTS = new Set(["pi", "e", "PI", "E", "Infinity", "tau", "phi", "LN2", "LN10", "LOG2E", "LOG10E", "SQRT2", "SQRT1_2"]);
function isMathConstant(name: string): boolean {
  return CONSTANTS.has(name);
}
