/**
 * Formulas in configs: any hyperparameter may be a mathjs expression over the
 * problem's quantities (d, r, k, n, n_test, noise, kappa, sigma_1, sigma_r, n_ratio, curvature),
 * e.g. "0.5 * sigma_r^3". mathjs is used here, once per run at resolve time,
 * never in a training loop.
 */
import { createRequire } from "node:module";
import type { MathJsInstance } from "mathjs";

let math: MathJsInstance | undefined;
/** mathjs takes ~1 s to load: it is required on the first formula, not at start-up. */
function mathjs(): MathJsInstance {
  if (!math) {
    const { create, all } = createRequire(import.meta.url)("mathjs") as typeof import("mathjs");
    math = create(all, { number: "number" });
  }
  return math;
}

export type FormulaScope = Record<string, number>;

/**
 * Evaluate `text` with `scope`. Returns the number, or an error sentence
 * (without the field path) that says what is wrong.
 * @example evaluateFormula("0.5 * sigma_r^3", { sigma_r: 0.5 }) // → { value: 0.0625 }
 */
export function evaluateFormula(text: string, scope: FormulaScope): { value: number } | { error: string } {
  const m = mathjs();
  let node;
  try {
    node = m.parse(text);
  } catch (err) {
    return { error: `formula "${text}" does not parse: ${(err as Error).message}` };
  }
  const unknown = new Set<string>();
  node.traverse((n, _path, parent) => {
    const isFunctionName = parent?.type === "FunctionNode" && (parent as unknown as { fn: unknown }).fn === n;
    if (n.type === "SymbolNode" && !isFunctionName) {
      const name = (n as unknown as { name: string }).name;
      if (!(name in scope) && !isMathConstant(name)) unknown.add(name);
    }
  });
  if (unknown.size > 0) {
    return {
      error: `formula "${text}" uses unknown name ${[...unknown].join(", ")} (known: ${Object.keys(scope).join(", ")})`,
    };
  }
  let value: unknown;
  try {
    value = node.compile().evaluate({ ...scope });
  } catch (err) {
    return { error: `formula "${text}" cannot be evaluated: ${(err as Error).message}` };
  }
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return { error: `formula "${text}" must give a finite real number, got ${m.format(value as never, { precision: 6 })}` };
  }
  return { value };
}

const CONSTANTS = new Set(["pi", "e", "PI", "E", "Infinity", "tau", "phi", "LN2", "LN10", "LOG2E", "LOG10E", "SQRT2", "SQRT1_2"]);
function isMathConstant(name: string): boolean {
  return CONSTANTS.has(name);
}
