/**
 * The config contract. One zod schema describes the written config (what a user
 * types, partial, numbers or formulas); the same field schemas validate the
 * resolved numbers, and `prune-sense schema` publishes the JSON Schema generated
 * from it, so editors and the validator never disagree.
 */
import * as z from "zod";
import { optimizerKinds } from "../methods/optimizers/registry.js";
import { penaltyKinds } from "../methods/penalties/registry.js";
import { PRUNE_RULES, pruneRuleKeys } from "../methods/prune/registry.js";
import { solverKinds } from "../solvers/registry.js";
import type { Category } from "../plugins/define.js";
import { pluginGeneration, pluginKindsOf } from "../plugins/load.js";
import { describeParam } from "../plugins/params.js";
import { paramSchema } from "./plugin-fields.js";

/** Quantities a formula may use (see config/formulas.ts). */
export const FORMULA_NAMES = [
  "d", "r", "k", "n", "n_test", "noise", "kappa", "sigma_1", "sigma_r", "n_ratio", "curvature",
] as const;

const formula = z
  .string()
  .min(1)
  .describe(
    `a mathjs formula over ${FORMULA_NAMES.join(", ")} (n_ratio = n/(d·r); curvature = the top Hessian eigenvalue ` +
      `of the population loss at U*: 8σ_1² for population and matrix-sensing, 16σ_1² + 8Σσ_j² for quadratic-net), ` +
      `e.g. "0.5 * sigma_r^3"`,
  );

/** Numeric field schemas: the constraint each resolved value must meet. */
export const numbers = {
  positive: z.number().positive(),
  nonnegative: z.number().nonnegative(),
  count: z.number().int().positive(),
  countOrZero: z.number().int().nonnegative(),
  fraction: z.number().positive().lte(1),
  atLeastOne: z.number().gte(1),
  momentum: z.number().nonnegative().lt(1),
};

/** A hyperparameter: a number meeting `constraint`, or a formula resolved later and then checked. */
function hyper(constraint: z.ZodNumber, description: string) {
  return z.union([constraint, formula]).describe(description);
}

/**
 * The fields plug-in kinds of a category add to its block (src/plugins/): one per parameter
 * name, with that parameter's bounds when one kind declares it (several kinds sharing a
 * name: any number here, each kind's bounds checked when the config is resolved).
 */
function pluginFields(category: Category): Record<string, z.ZodType> {
  const byName = new Map<string, Array<[kind: string, spec: Parameters<typeof paramSchema>[0]]>>();
  for (const [kind, params] of pluginKindsOf(category)) {
    for (const [name, spec] of Object.entries(params)) byName.set(name, [...(byName.get(name) ?? []), [kind, spec]]);
  }
  return Object.fromEntries([...byName].map(([name, declared]) => [
    name,
    (declared.length === 1 ? paramSchema(declared[0][1]) : z.number())
      .describe(declared.map(([kind, spec]) => `${kind} (plug-in): ${describeParam(name, spec)}`).join("; ")),
  ]));
}

function problemSchema() {
  return z.strictObject({
    kind: z.enum(solverKinds as [string, ...string[]]).describe(`which model: ${solverKinds.join(" | ")}`),
    d: numbers.count.describe("dimension d of U* ∈ R^{d×r}"),
    r: numbers.count.describe("rank r of the ground truth"),
    kappa: numbers.atLeastOne.describe("condition number of U*: singular values evenly spaced from 1 to 1/kappa"),
    n: numbers.count.describe("number of training measurements (not used by population)"),
    n_test: numbers.countOrZero.describe("number of held-out measurements for the test loss"),
    noise: numbers.nonnegative.describe("noise level σ of the measurements"),
    d2: numbers.count.describe("asymmetric-sensing: columns d2 of M* = U*V*ᵀ ∈ R^{d×d2} (default d)"),
    balance: numbers.nonnegative.describe("asymmetric-sensing: weight μ of the balancing term μ‖UᵀU − VᵀV‖²_F (default 0)"),
    ...pluginFields("problem"),
  })
  .partial();
}

const perturbSchema = z
  .strictObject({
    radius: hyper(numbers.positive, "radius of the random kick"),
    grad_tol: hyper(numbers.positive, "kick when the gradient norm is below this"),
    every: hyper(numbers.count, "at most one kick every this many steps"),
  })
  .partial()
  .describe("perturbed gradient descent (optional)");

const penaltySchema = () => z
  .strictObject({
    kind: z.enum(penaltyKinds as [string, ...string[]]).describe(`the penalty R in L + λR: ${penaltyKinds.join(" | ")} (default smooth-group-lasso)`),
    lambda: hyper(numbers.nonnegative, "weight λ of the penalty (the same as train.lambda; give one of them)"),
    beta: hyper(numbers.positive, "smoothing β of smooth-group-lasso (the same as train.beta; give one of them)"),
    ...pluginFields("penalty"),
  })
  .partial()
  .describe("the regularizer (optional; default: the paper's smooth group Lasso with train.lambda, train.beta)");

const optimizerSchema = () => z
  .strictObject({
    kind: z.enum(optimizerKinds as [string, ...string[]]).describe(`${optimizerKinds.join(" | ")} (default gd)`),
    batch_size: hyper(numbers.count, "sgd: training samples per step (default 100, at most problem.n)"),
    momentum: hyper(numbers.momentum, "momentum: heavy-ball coefficient μ in [0, 1) (default 0.9)"),
    ...pluginFields("optimizer"),
  })
  .partial()
  .describe("the optimizer (optional; default gd: full-batch gradient descent)");

/** The written config's schema, with the kinds and parameters of the plug-ins loaded so far. */
function buildWrittenConfigSchema() {
  return z
  .strictObject({
    $schema: z.string().optional().describe("path or URL of this JSON Schema, for editors"),
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, "must be letters, digits, '.', '_' or '-'")
      .regex(/[A-Za-z0-9]/, "must contain a letter or digit (\".\" and \"..\" are not folder names)")
      .max(200)
      .describe("output folder name under results/"),
    seed: numbers.countOrZero.describe("seed of every random stream (data, init, perturbations)"),
    problem: problemSchema(),
    model: z
      .strictObject({
        k: numbers.count.describe("number of columns of U (over-parameterization, k ≥ r)"),
        init_scale: hyper(numbers.positive, "α in U0 = α·N(0,1)"),
        init: z
          .enum(["random", "oracle"])
          .describe("U0: random (α·N(0,1), the default) or oracle (the ground truth's factor U* in the first r columns, zeros elsewhere: the best an r-column model fits from the same data)"),
      })
      .partial(),
    train: z
      .strictObject({
        lambda: hyper(numbers.nonnegative, "weight λ of the penalty (train.penalty.kind, default the smooth group Lasso; 0: unregularized)"),
        beta: hyper(numbers.positive, "smoothing β of R_β(U) = Σ‖u_i‖²/sqrt(‖u_i‖² + β)"),
        step_size: hyper(numbers.positive, "gradient-descent step η"),
        steps: hyper(numbers.countOrZero, "step budget"),
        grad_tol: hyper(numbers.nonnegative, "stop when ‖∇f‖_F falls below this (0: never)"),
        perturb: perturbSchema,
        penalty: penaltySchema(),
        optimizer: optimizerSchema(),
      })
      .partial(),
    prune: z
      .strictObject(Object.fromEntries(PRUNE_RULES.map((rule) => [rule.key, hyper(numbers[rule.constraint], rule.description)])))
      .partial()
      .describe(`the pruning rule: exactly one of ${pruneRuleKeys.join(", ")} (default: threshold 0.1)`),
    finetune: z
      .strictObject({
        step_size: hyper(numbers.positive, "gradient-descent step on the loss alone"),
        steps: hyper(numbers.countOrZero, "step budget"),
        grad_tol: hyper(numbers.nonnegative, "stop when ‖∇L‖_F falls below this (0: never)"),
        optimizer: optimizerSchema(),
      })
      .partial(),
    log: z
      .strictObject({
        every: numbers.count.describe("write a trace row every this many steps (and at phase boundaries)"),
      })
      .partial(),
    sweep: z
      .record(
        z.string(),
        z.union([
          z.array(z.union([z.number(), z.string(), z.boolean()])).min(1),
          z.strictObject({
            from: z.number(),
            to: z.number(),
            num: z.number().int().gte(2),
            scale: z.enum(["linear", "log"]).optional(),
            integer: z.boolean().optional(),
          }),
          z.array(z.record(z.string(), z.array(z.union([z.number(), z.string(), z.boolean()])).min(1))),
        ]),
      )
      .describe(
        "runs = Cartesian product: dotted key → list of values or { from, to, num, scale: linear|log }; " +
          "`zip:` → list of { key: list } groups whose lists vary together",
      ),
    formulas: z
      .record(z.string(), formula)
      .describe(
        "formula text by dotted path, as config.json and `validate` record them: fills a field that is absent, " +
          "and must agree with a number given beside it",
      ),
    plugins: z
      .array(z.string().min(1))
      .describe("plug-in modules (.mjs files, paths relative to this config file) whose penalties, optimizers, pruning rules and models the config may name (docs/plugins.md)"),
    plugin_hashes: z
      .record(z.string(), z.string())
      .describe("sha256 of the plug-in behind each plug-in kind a run uses, by category:kind, as config.json records them: must match the plug-in loaded"),
  })
  .partial();
}

export type WrittenConfig = z.infer<ReturnType<typeof buildWrittenConfigSchema>>;

let built: { generation: number; schema: ReturnType<typeof buildWrittenConfigSchema> } | undefined;

/** The written config's schema: built once, and again after a plug-in registers kinds. */
export function writtenConfigSchema(): ReturnType<typeof buildWrittenConfigSchema> {
  if (built?.generation !== pluginGeneration()) built = { generation: pluginGeneration(), schema: buildWrittenConfigSchema() };
  return built.schema;
}

/** The JSON Schema of a config file, generated from the validator above (with the loaded plug-ins' kinds). */
export function configJsonSchema(): object {
  return {
    ...z.toJSONSchema(writtenConfigSchema(), { io: "input", unrepresentable: "any" }),
    title: "prune-sense config",
  };
}
