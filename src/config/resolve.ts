/**
 * Written config → resolved config: validate the shape (every problem at once),
 * fill defaults, evaluate formulas, check the resolved numbers against the same
 * field schemas, and check cross-field rules.
 */
import * as z from "zod";
import { ConfigError } from "../errors.js";
import { findOptimizer } from "../methods/optimizers/registry.js";
import type { OptimizerConfig } from "../methods/optimizers/types.js";
import { plantedSingularValues, sensingCurvature } from "../solvers/ground-truth.js";
import { findSolver } from "../solvers/registry.js";
import { PRUNE_RULES, pruneRuleKeys } from "../methods/prune/registry.js";
import { ERASURE_WARNING, weakestColumnSurvives } from "./erasure.js";
import { evaluateFormula, type FormulaScope } from "./formulas.js";
import { formatIssues } from "./issues.js";
import { DEFAULTS, PERTURB_DEFAULTS, type ResolvedConfig } from "./resolved.js";
import { numbers, writtenConfigSchema, type WrittenConfig } from "./schema.js";
import { activePruneKey, pluginHashes, pluginParamIssues } from "./plugin-fields.js";

type NumberRule = keyof typeof numbers;

/** Rule keys every resolved `prune:` block has (null when unused); other rules' keys appear only when chosen. */
const RESOLVED_PRUNE_KEYS = { threshold: true, relative_threshold: true };

/** Hyperparameters that may be formulas, with the rule their value must meet (the pruning rules registered now). */
const hyperparameters = (): ReadonlyArray<[path: string, rule: NumberRule]> => [
  ["model.init_scale", "positive"],
  ["train.lambda", "nonnegative"],
  ["train.beta", "positive"],
  ["train.step_size", "positive"],
  ["train.steps", "countOrZero"],
  ["train.grad_tol", "nonnegative"],
  ["train.perturb.radius", "positive"],
  ["train.perturb.grad_tol", "positive"],
  ["train.perturb.every", "count"],
  ...PRUNE_RULES.map((rule): [string, NumberRule] => [`prune.${rule.key}`, rule.constraint]),
  ["finetune.step_size", "positive"],
  ["finetune.steps", "countOrZero"],
  ["finetune.grad_tol", "nonnegative"],
  ["train.optimizer.batch_size", "count"],
  ["train.optimizer.momentum", "momentum"],
  ["finetune.optimizer.batch_size", "count"],
  ["finetune.optimizer.momentum", "momentum"],
];

/** The path a user wrote a lifted value under, for messages (train.penalty.lambda → train.lambda in the resolved config). */
type Aliases = Record<string, string>;

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The resolved optimizer block at `path`: its kind and that kind's parameters
 * (defaults filled), still possibly formulas. A parameter of another kind is
 * dropped with a warning, so a sweep over kinds can share one block.
 */
function mergeOptimizer(given: unknown, path: string, warnings: string[]): OptimizerConfig {
  const block = isMapping(given) ? given : {};
  const kind = typeof block.kind === "string" ? block.kind : "gd";
  const optimizer = findOptimizer(kind);
  const out: Record<string, unknown> = { kind };
  if (!optimizer) return out as unknown as OptimizerConfig; // the shape check reports the kind
  const own = new Set(optimizer.params.map((p) => p.name));
  for (const key of Object.keys(block).sort()) {
    if (key !== "kind" && block[key] !== undefined && !own.has(key)) warnings.push(`${path}.${key}: not a parameter of optimizer ${kind}, ignored`);
  }
  for (const p of optimizer.params) out[p.name] = block[p.name] ?? p.default;
  return out as unknown as OptimizerConfig;
}

/** Cross-field rules of an optimizer block, on resolved numbers. */
function checkOptimizer(o: OptimizerConfig, path: string, problem: { kind: string; n: number }, errors: string[]): void {
  const optimizer = findOptimizer(o.kind);
  if (!optimizer?.needsSamples) return;
  if (!findSolver(problem.kind)?.usesSamples) errors.push(`${path}.kind: ${o.kind} needs training samples, and problem.kind ${problem.kind} has none`);
  else if (typeof o.batch_size === "number" && o.batch_size > problem.n) errors.push(`${path}.batch_size: must be ≤ problem.n (${problem.n}), got ${o.batch_size}`);
}

/** The config with any section that is not a mapping dropped (its shape error is reported already). */
function onlyMappings(w: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(w)) {
    const isMapping = value !== null && typeof value === "object" && !Array.isArray(value);
    if (["problem", "model", "train", "prune", "finetune", "log"].includes(key) && !isMapping) continue;
    out[key] = value;
  }
  const train = out.train as Record<string, unknown> | undefined;
  if (train && (train.perturb === null || typeof train.perturb !== "object" || Array.isArray(train.perturb))) {
    out.train = { ...train, perturb: undefined };
  }
  for (const [section, key] of [["train", "penalty"], ["train", "optimizer"], ["finetune", "optimizer"]]) {
    const holder = out[section] as Record<string, unknown> | undefined;
    if (holder && holder[key] !== undefined && (holder[key] === null || typeof holder[key] !== "object" || Array.isArray(holder[key]))) {
      out[section] = { ...holder, [key]: undefined };
    }
  }
  return out;
}

/** The mapping holding a dotted path's leaf in the merged tree (null when a section on the way is unset). */
function fieldAt(merged: object, path: string): { holder: Record<string, unknown> | null; leaf: string } {
  const [section, ...rest] = path.split(".");
  let holder = (merged as Record<string, unknown>)[section] as Record<string, unknown> | null;
  for (const key of rest.slice(0, -1)) holder = holder ? (holder[key] as Record<string, unknown> | null) : null;
  return { holder: holder ?? null, leaf: rest[rest.length - 1] };
}

/**
 * The `formulas:` block a saved config carries (config.json, `validate`'s
 * output): a formula fills its field when the field is absent; beside a
 * number it must evaluate to that number, so an edited value and a stale
 * formula never disagree silently. Returns the recorded texts by path.
 */
function applyRecordedFormulas(
  merged: object, written: object, formulas: Record<string, string>, scope: FormulaScope, errors: string[],
): Map<string, string> {
  const recorded = new Map<string, string>();
  const known = hyperparameters().map(([path]) => path);
  for (const [path, text] of Object.entries(formulas)) {
    if (typeof text !== "string") continue; // a shape error, reported already
    if (!known.includes(path)) {
      errors.push(`formulas.${path}: not a field that takes a formula (one of ${known.join(", ")})`);
      continue;
    }
    const { holder, leaf } = fieldAt(merged, path);
    if (!holder) {
      errors.push(`formulas.${path}: ${path.split(".").slice(0, -1).join(".")} is not set`);
      continue;
    }
    // a default is not "given beside it": only a value the file holds must agree with the formula
    const given = fieldAt(written, path);
    const value = given.holder?.[given.leaf];
    if (value === undefined || value === null) holder[leaf] = text;
    else if (typeof value === "string" && value !== text) {
      errors.push(`${path}: formula "${value}" differs from formulas.${path} "${text}"; remove one`);
      continue;
    } else if (typeof value === "number") {
      const result = evaluateFormula(text, scope);
      if ("error" in result) {
        errors.push(`formulas.${path}: ${result.error}`);
        continue;
      }
      if (result.value !== value) {
        errors.push(`${path}: ${value} disagrees with its formula "${text}" (= ${result.value}); change or remove one`);
        continue;
      }
    }
    recorded.set(path, text);
  }
  return recorded;
}

export interface Resolution {
  config: ResolvedConfig;
  warnings: string[];
}

/**
 * Check the written config's shape. Returns the error lines (empty when valid).
 */
export function checkWrittenShape(written: unknown): string[] {
  const schema = writtenConfigSchema();
  const parsed = schema.safeParse(written, { reportInput: true });
  return parsed.success ? [] : formatIssues(parsed.error.issues, schema);
}

/**
 * Resolve one written config (without its `sweep:` block applied; see sweep/expand.ts).
 * @throws {ConfigError} with one line per problem.
 * @example resolveConfig({ train: { lambda: "0.5 * sigma_r^3" } }).config.train.lambda // → 0.5
 */
export function resolveConfig(written: unknown): Resolution {
  // Shape errors do not stop here: formulas and cross-field rules are checked too,
  // so the user sees every problem of the file at once.
  const errors: string[] = checkWrittenShape(written);
  if (written === null || typeof written !== "object" || Array.isArray(written)) throw new ConfigError(errors);
  const w = onlyMappings(written as Record<string, unknown>) as WrittenConfig;
  const warnings: string[] = [];
  const aliases: Aliases = {};

  const problem = { ...DEFAULTS.problem, ...w.problem };
  if (problem.kind === "asymmetric-sensing") {
    problem.d2 ??= problem.d;
    problem.balance ??= 0;
    if (typeof problem.r === "number" && typeof problem.d2 === "number" && problem.r > problem.d2) errors.push(`problem.r: must be ≤ problem.d2 (${problem.d2}), got ${problem.r}`);
  } else {
    for (const key of ["d2", "balance"] as const) {
      if (problem[key] !== undefined) warnings.push(`problem.${key}: used only by problem.kind asymmetric-sensing, ignored for ${problem.kind}`);
      delete problem[key];
    }
  }
  // the population loss ‖UUᵀ − M*‖²_F has no measurements: a noise level there changes nothing but the run id
  if (problem.kind === "population" && typeof problem.noise === "number" && problem.noise > 0) {
    warnings.push(`problem.noise: population has no measurements to add noise to (its loss is ‖UUᵀ − M*‖²_F), ignored`);
  }
  errors.push(...pluginParamIssues("problem", problem, "problem", warnings));
  const { init: initGiven, ...modelGiven } = w.model ?? {};
  // the default start is written as no key at all, so configs that name it keep their run ids
  const model = { ...DEFAULTS.model, ...modelGiven, ...(initGiven === "oracle" ? { init: initGiven } : {}) };
  if (model.init === "oracle" && typeof model.k === "number" && typeof problem.r === "number" && model.k < problem.r) {
    errors.push(`model.init: oracle puts U*'s r = ${problem.r} columns into U0, so it needs model.k ≥ problem.r, got k = ${model.k}`);
  }
  if (typeof problem.r === "number" && typeof problem.d === "number" && problem.r > problem.d) errors.push(`problem.r: must be ≤ problem.d (${problem.d}), got ${problem.r}`);
  if (typeof model.k === "number" && model.k < problem.r) warnings.push(`model.k: ${model.k} < problem.r (${problem.r}): the model cannot fit the ground truth exactly`);
  const pruneGiven = (w.prune ?? {}) as Record<string, unknown>;
  const rulesGiven = pruneRuleKeys.filter((key) => pruneGiven[key] !== undefined);
  if (rulesGiven.length > 1) errors.push(`prune: give one rule of ${pruneRuleKeys.join(", ")}, got ${rulesGiven.join(" and ")}`);

  // σ_1 and σ_r are the ends of linspace(1, 1/κ, r): two values give them, whatever r (r may be 1e9 here, unchecked yet)
  const s = plantedSingularValues(Math.min(problem.r, 2), problem.kappa);
  const scope: FormulaScope = {
    d: problem.d, r: problem.r, k: model.k, n: problem.n, n_test: problem.n_test,
    noise: problem.noise, kappa: problem.kappa, sigma_1: s[0], sigma_r: s[s.length - 1],
    // samples per degree of freedom of U* (the sample complexity is ∝ d·r)
    n_ratio: problem.n / (problem.d * problem.r),
    curvature: (findSolver(problem.kind)?.curvature ?? sensingCurvature)(s),
  };

  // train.penalty.{lambda, beta} are train.lambda, train.beta written inside the block
  const { penalty: penaltyGiven, optimizer: trainOptimizer, ...trainGiven } = w.train ?? {};
  const penaltyKind = penaltyGiven?.kind ?? DEFAULTS.train.penalty.kind;
  // a plug-in penalty's own parameters (defaults filled); another kind's are dropped with a warning
  const penaltyBlock: Record<string, unknown> = { ...penaltyGiven, kind: penaltyKind };
  delete penaltyBlock.lambda;
  delete penaltyBlock.beta;
  errors.push(...pluginParamIssues("penalty", penaltyBlock, "train.penalty", warnings));
  for (const key of ["lambda", "beta"] as const) {
    if (penaltyGiven?.[key] === undefined) continue;
    if (trainGiven[key] !== undefined) errors.push(`train.penalty.${key}: give train.${key} or train.penalty.${key}, not both`);
    trainGiven[key] = penaltyGiven[key];
    aliases[`train.${key}`] = `train.penalty.${key}`;
  }
  // `none` is the unregularized baseline: λ = 0 whatever was written, so summaries and claims
  // read it as such (no warning: a sweep over kinds shares one λ)
  if (penaltyKind === "none") trainGiven.lambda = 0;

  // The merged tree, formulas still as text.
  const merged = {
    name: w.name ?? DEFAULTS.name,
    seed: w.seed ?? DEFAULTS.seed,
    problem,
    model,
    train: {
      ...DEFAULTS.train,
      ...trainGiven,
      perturb: w.train?.perturb ? { ...PERTURB_DEFAULTS, ...w.train.perturb } : null,
      penalty: penaltyBlock as { kind: string },
      optimizer: mergeOptimizer(trainOptimizer, "train.optimizer", warnings),
    },
    prune:
      rulesGiven.length === 0
        ? { threshold: DEFAULTS.prune.threshold, relative_threshold: null }
        : {
          threshold: pruneGiven.threshold ?? null,
          relative_threshold: pruneGiven.relative_threshold ?? null,
          ...Object.fromEntries(rulesGiven.filter((key) => !(key in RESOLVED_PRUNE_KEYS)).map((key) => [key, pruneGiven[key]])),
        },
    finetune: {
      ...DEFAULTS.finetune,
      ...w.finetune,
      optimizer: mergeOptimizer(w.finetune?.optimizer, "finetune.optimizer", warnings),
    },
    log: { ...DEFAULTS.log, ...w.log },
    formulas: {} as Record<string, string>,
  };

  const given = w.formulas !== null && typeof w.formulas === "object" && !Array.isArray(w.formulas) ? w.formulas : {};
  // what the file itself sets, by the resolved paths (train.penalty.lambda read as train.lambda)
  const writtenTree = { ...w, train: { ...trainGiven, perturb: w.train?.perturb, optimizer: trainOptimizer } };
  const recorded = applyRecordedFormulas(merged, writtenTree, given, scope, errors);

  for (const [path, rule] of hyperparameters()) {
    const { holder, leaf } = fieldAt(merged, path);
    if (!holder || holder[leaf] === null || holder[leaf] === undefined) continue;
    let value = holder[leaf];
    const written = aliases[path] ?? path;
    if (typeof value === "string") {
      const result = evaluateFormula(value, scope);
      if ("error" in result) {
        errors.push(`${written}: ${result.error}`);
        continue;
      }
      // recorded under the resolved field (train.lambda), where a re-run of the saved config finds it
      merged.formulas[path] = value;
      value = result.value;
      holder[leaf] = value;
      const check = numbers[rule].safeParse(value, { reportInput: true });
      if (!check.success) {
        const lines = formatIssues(check.error.issues, numbers[rule] as z.ZodType, written);
        errors.push(...lines.map((l) => `${l} (from formula "${merged.formulas[path]}")`));
      }
    }
  }
  checkOptimizer(merged.train.optimizer, "train.optimizer", problem, errors);
  checkOptimizer(merged.finetune.optimizer, "finetune.optimizer", problem, errors);
  for (const [block, path] of [[merged.train.optimizer, "train.optimizer"], [merged.finetune.optimizer, "finetune.optimizer"]] as const) {
    errors.push(...pluginParamIssues("optimizer", block as Record<string, unknown>, path, null));
  }

  // a recorded formula beside its number is kept, in field order, so the saved config of a re-run is the same file
  const formulas: Record<string, string> = {};
  for (const [path] of hyperparameters()) {
    const text = merged.formulas[path] ?? recorded.get(path);
    if (text !== undefined) formulas[path] = text;
  }
  merged.formulas = formulas;
  // the code behind each plug-in kind the run uses (absent without one: ids of other configs stay)
  const hashes = pluginHashes({
    problem: problem.kind, penalty: penaltyKind, optimizer: [merged.train.optimizer.kind, merged.finetune.optimizer.kind],
    prune: activePruneKey(merged.prune),
  }, (written as Record<string, unknown>).plugin_hashes, errors);
  if (hashes) Object.assign(merged, { plugin_hashes: hashes });
  // past this point problem.kind names a solver (an unknown kind is one of the errors)
  if (errors.length) throw new ConfigError([...new Set(errors)]);
  const { lambda, beta } = merged.train as { lambda: number; beta: number };
  if (!weakestColumnSurvives(scope.sigma_r, lambda, beta, findSolver(problem.kind)!.columnLossFactor ?? 1)) {
    warnings.push(ERASURE_WARNING);
  }
  return { config: merged as ResolvedConfig, warnings };
}
