/**
 * What a plug-in module exports, checked and turned into the interfaces the
 * built-ins implement (methods/*, solvers/types.ts). A plug-in is a plain ES
 * module (.mjs) whose default export (or `plugin` export) is
 *
 *   { apiVersion: 1, penalties?: [...], optimizers?: [...], pruneRules?: [...], models?: [...] }
 *
 * Each definition is the built-in interface of its kind, plus `params` (a
 * declarative schema, ./params.ts) for its own parameters; see docs/plugins.md.
 * Every check here is of the definition's shape (a missing function, a kind
 * that is taken): the one-line errors of a broken plug-in, before any run.
 */
import { UserError } from "../errors.js";
import { findOptimizer } from "../methods/optimizers/registry.js";
import type { Optimizer, OptimizerConfig, StepContext, StepRule } from "../methods/optimizers/types.js";
import { findPenalty } from "../methods/penalties/registry.js";
import type { Penalty } from "../methods/penalties/types.js";
import { findPruneRule } from "../methods/prune/registry.js";
import type { ParameterConstraint, PruneContext, PruneRule, Selection } from "../methods/prune/types.js";
import { plantGroundTruth, symmetricRecoveryError } from "../solvers/ground-truth.js";
import { findSolver } from "../solvers/registry.js";
import type { GroundTruth, Loss, Problem, ProblemSpec, ProblemStreams, Solver } from "../solvers/types.js";
import { paramSpecProblems, type ParamSpecs } from "./params.js";

/** The plug-in interface version this prune-sense reads. */
export const PLUGIN_API_VERSION = 1;

/** The four kinds of plug-in, by the config key that selects them. */
export type Category = "penalty" | "optimizer" | "prune" | "problem";

/** A resolved block's parameter values, by name (defaults filled). */
export type ParamValues = Readonly<Record<string, number>>;

/** A penalty plug-in: the built-in Penalty, with its parameter values as the last argument. */
export interface PenaltyDefinition {
  kind: string;
  description: string;
  params?: ParamSpecs;
  addGradient(U: Float64Array, d: number, k: number, beta: number, lambda: number, grad: Float64Array, colSq: Float64Array, params: ParamValues): number;
  prox?(U: Float64Array, d: number, k: number, beta: number, t: number, colSq: Float64Array, params: ParamValues): void;
}

/** An optimizer plug-in: the built-in Optimizer; its parameters arrive in `o.config`. */
export interface OptimizerDefinition {
  kind: string;
  description: string;
  params?: ParamSpecs;
  needsSamples?: boolean;
  create(loss: Loss, o: StepContext): StepRule;
}

/** A pruning-rule plug-in: the built-in PruneRule. */
export interface PruneRuleDefinition {
  key: string;
  description: string;
  constraint: ParameterConstraint;
  example: number;
  usesGradient?: boolean;
  select(norms: ArrayLike<number>, parameter: number, context?: PruneContext): Selection;
}

/** What a model plug-in's createProblem returns: a loss factory, and optionally its own truth and error. */
export interface PluginProblem {
  createLoss(kMax: number): Loss;
  /** Default: ‖UUᵀ − M*‖_F/‖M*‖_F against the planted truth. */
  recoveryError?(U: Float64Array, k: number): number;
}

/**
 * A model plug-in: data from the streams and a loss over U (d×k). The framework plants
 * the ground truth (U* = Q·diag(s), M* = U*U*ᵀ, as for matrix sensing) and passes it in.
 */
export interface ModelDefinition {
  kind: string;
  description: string;
  params?: ParamSpecs;
  /** Whether problem.n, n_test and noise mean anything (default true). */
  usesSamples?: boolean;
  curvature?(singularValues: readonly number[]): number;
  columnLossFactor?: number;
  createProblem(spec: ProblemSpec, streams: ProblemStreams, planted: { truth: GroundTruth }): PluginProblem;
}

/** The checked content of one plug-in module. */
export interface PluginDefinitions {
  penalties: Penalty[];
  optimizers: Optimizer[];
  pruneRules: PruneRule[];
  solvers: Solver[];
  /** Each kind's parameter schema, by "category:kind". */
  params: Map<string, ParamSpecs>;
}

/** The key a plug-in kind is known by in hashes and parameter lookups: "penalty:mcp". */
export const kindKey = (category: Category, kind: string): string => `${category}:${kind}`;

const isFn = (v: unknown): v is (...args: unknown[]) => unknown => typeof v === "function";
const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The parameter values of a resolved block: the declared names only. */
function valuesOf(params: ParamSpecs, block: Readonly<Record<string, unknown>>): ParamValues {
  const out: Record<string, number> = {};
  for (const [name, spec] of Object.entries(params)) out[name] = typeof block[name] === "number" ? (block[name] as number) : spec.default;
  return Object.freeze(out);
}

function penaltyOf(def: PenaltyDefinition, params: ParamSpecs, values: ParamValues): Penalty {
  const prox = def.prox;
  return {
    kind: def.kind,
    description: def.description,
    addGradient: (U, d, k, beta, lambda, grad, colSq) => def.addGradient(U, d, k, beta, lambda, grad, colSq, values),
    ...(isFn(prox) ? { prox: (U: Float64Array, d: number, k: number, beta: number, t: number, colSq: Float64Array) => prox.call(def, U, d, k, beta, t, colSq, values) } : {}),
    withParams: (block) => penaltyOf(def, params, valuesOf(params, block)),
  };
}

function optimizerOf(def: OptimizerDefinition, params: ParamSpecs): Optimizer {
  return {
    kind: def.kind,
    description: def.description,
    params: Object.entries(params).map(([name, spec]) => ({ name, default: spec.default, description: spec.description ?? "" })),
    needsSamples: def.needsSamples === true,
    create: (loss, o) => {
      const rule = def.create(loss, { ...o, config: { ...valuesOf(params, o.config), ...o.config } as OptimizerConfig });
      if (!isMapping(rule) || !isFn(rule.gradient) || !isFn(rule.update)) throw new TypeError(`optimizer ${def.kind}: create() must return { gradient(U, k, grad), update(U, grad) }`);
      return rule;
    },
  };
}

function solverOf(def: ModelDefinition): Solver {
  return {
    kind: def.kind,
    description: def.description,
    usesSamples: def.usesSamples !== false,
    // called while a config resolves (the formula quantity `curvature`), before any run: a throw or a
    // non-number is the plug-in's error, exit 2
    ...(isFn(def.curvature) ? { curvature: (s: readonly number[]) => curvatureOf(def, s) } : {}),
    ...(typeof def.columnLossFactor === "number" ? { columnLossFactor: def.columnLossFactor } : {}),
    createProblem(spec, streams): Problem {
      const truth = plantGroundTruth(spec.d, spec.r, spec.kappa, streams.truth);
      const made = def.createProblem(spec, streams, { truth });
      if (!isMapping(made) || !isFn(made.createLoss)) throw new TypeError(`model ${def.kind}: createProblem() must return { createLoss(kMax) }`);
      const own = made.recoveryError;
      return {
        spec, truth, routes: ["plugin"], factorRows: spec.d,
        createLoss: (kMax) => {
          const loss = made.createLoss(kMax);
          for (const fn of ["valueAndGradient", "trainLoss", "testLoss"] as const) {
            if (!isMapping(loss) || !isFn(loss[fn])) throw new TypeError(`model ${def.kind}: createLoss() must return { valueAndGradient, trainLoss, testLoss }, ${fn} is missing`);
          }
          return loss;
        },
        recoveryError: isFn(own) ? (U, k) => own.call(made, U, k) as number : symmetricRecoveryError(truth),
      };
    },
  };
}

/** Keys of each block that a plug-in parameter may not take: the block's own. */
const RESERVED: Record<Category, readonly string[]> = {
  penalty: ["kind", "lambda", "beta"],
  optimizer: ["kind", "batch_size", "momentum"],
  prune: [],
  problem: ["kind", "d", "r", "kappa", "n", "n_test", "noise", "d2", "balance"],
};

/** A model plug-in's curvature(s). @throws {UserError} when it throws or returns no positive number. */
function curvatureOf(def: ModelDefinition, singularValues: readonly number[]): number {
  let value: unknown;
  try {
    value = def.curvature!(singularValues);
  } catch (err) {
    throw new UserError(`model ${def.kind}: curvature() threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) throw new UserError(`model ${def.kind}: curvature() must return a positive number, got ${String(value)}`);
  return value;
}

const CONSTRAINTS: readonly ParameterConstraint[] = ["nonnegative", "fraction", "count", "atLeastOne"];

/** Kinds taken so far in this module, so two definitions of one module cannot share a kind. */
type Taken = Map<string, string>;

/** One definition's problems: a name (kind or key), a description, the functions it needs, a free kind. */
function definitionProblems(
  def: unknown, where: string, category: Category, nameKey: "kind" | "key", functions: readonly string[],
  builtIn: (name: string) => boolean, taken: Taken, lines: string[],
): def is Record<string, unknown> {
  if (!isMapping(def)) {
    lines.push(`${where}: expected a definition object`);
    return false;
  }
  const name = def[nameKey];
  const before = lines.length;
  if (typeof name !== "string" || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) lines.push(`${where}.${nameKey}: must be a name (letters, digits, '-', '_', starting with a letter)`);
  else if (builtIn(name)) lines.push(`${where}.${nameKey}: ${name} is already a ${category} kind (a built-in or another plug-in's); name it otherwise`);
  else if (taken.has(kindKey(category, name))) lines.push(`${where}.${nameKey}: ${name} is defined twice in this plug-in`);
  else taken.set(kindKey(category, name), where);
  if (typeof def.description !== "string") lines.push(`${where}.description: must be a one-line string`);
  for (const fn of functions) if (!isFn(def[fn])) lines.push(`${where}.${fn}: must be a function`);
  lines.push(...paramSpecProblems(def.params, where, RESERVED[category]));
  return lines.length === before;
}

/** A list export of the module (absent: none). */
function listOf(mod: Record<string, unknown>, key: string, lines: string[]): unknown[] {
  const v = mod[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    lines.push(`${key}: expected a list of definitions`);
    return [];
  }
  return v;
}

/**
 * Check a plug-in module's export and adapt its definitions.
 * @returns the definitions, or the problems (one line each, without the file name).
 */
export function readDefinitions(exported: unknown): { definitions: PluginDefinitions } | { problems: string[] } {
  const lines: string[] = [];
  if (!isMapping(exported)) return { problems: ["no plug-in exported: `export default { apiVersion: 1, penalties: [...], ... }`"] };
  if (exported.apiVersion !== PLUGIN_API_VERSION) {
    return { problems: [`apiVersion ${JSON.stringify(exported.apiVersion) ?? "missing"}: this prune-sense reads plug-ins of apiVersion ${PLUGIN_API_VERSION}`] };
  }
  const known = ["apiVersion", "name", "penalties", "optimizers", "pruneRules", "models"];
  for (const key of Object.keys(exported)) if (!known.includes(key)) lines.push(`${key}: unknown export key (expected ${known.join(", ")})`);
  const taken: Taken = new Map();
  const out: PluginDefinitions = { penalties: [], optimizers: [], pruneRules: [], solvers: [], params: new Map() };
  listOf(exported, "penalties", lines).forEach((def, i) => {
    if (!definitionProblems(def, `penalties[${i}]`, "penalty", "kind", ["addGradient"], (n) => Boolean(findPenalty(n)), taken, lines)) return;
    if (def.prox !== undefined && !isFn(def.prox)) return void lines.push(`penalties[${i}].prox: must be a function when given`);
    const d = def as unknown as PenaltyDefinition;
    const params = d.params ?? {};
    out.penalties.push(penaltyOf(d, params, valuesOf(params, {})));
    out.params.set(kindKey("penalty", d.kind), params);
  });
  listOf(exported, "optimizers", lines).forEach((def, i) => {
    if (!definitionProblems(def, `optimizers[${i}]`, "optimizer", "kind", ["create"], (n) => Boolean(findOptimizer(n)), taken, lines)) return;
    const d = def as unknown as OptimizerDefinition;
    const params = d.params ?? {};
    out.optimizers.push(optimizerOf(d, params));
    out.params.set(kindKey("optimizer", d.kind), params);
  });
  listOf(exported, "pruneRules", lines).forEach((def, i) => {
    if (!definitionProblems(def, `pruneRules[${i}]`, "prune", "key", ["select"], (n) => Boolean(findPruneRule(n)), taken, lines)) return;
    const d = def as unknown as PruneRuleDefinition;
    if (!CONSTRAINTS.includes(d.constraint)) return void lines.push(`pruneRules[${i}].constraint: must be one of ${CONSTRAINTS.join(", ")}`);
    if (typeof d.example !== "number" || !Number.isFinite(d.example)) return void lines.push(`pruneRules[${i}].example: must be a number (a parameter that finds r = 3 large columns)`);
    out.pruneRules.push({
      key: d.key, description: d.description, constraint: d.constraint, example: d.example,
      usesGradient: d.usesGradient === true, select: (norms, p, context) => d.select(norms, p, context),
    });
    out.params.set(kindKey("prune", d.key), {});
  });
  listOf(exported, "models", lines).forEach((def, i) => {
    if (!definitionProblems(def, `models[${i}]`, "problem", "kind", ["createProblem"], (n) => Boolean(findSolver(n)), taken, lines)) return;
    const d = def as unknown as ModelDefinition;
    out.solvers.push(solverOf(d));
    out.params.set(kindKey("problem", d.kind), d.params ?? {});
  });
  if (!lines.length && !out.penalties.length && !out.optimizers.length && !out.pruneRules.length && !out.solvers.length) {
    lines.push("defines nothing: give at least one of penalties, optimizers, pruneRules, models");
  }
  return lines.length ? { problems: lines } : { definitions: out };
}
