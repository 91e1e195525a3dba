/**
 * The contract of a claims file (`prune-sense check DIR CLAIMS.yaml`): one zod
 * schema that validates the file and from which `prune-sense schema --claims`
 * generates the JSON Schema for editors, as config/schema.ts does for configs.
 * Rules zod cannot say (exactly one test per claim, `expect` only where a test
 * computes a number, unique ids, expressions that parse) are checked in
 * parse.ts with the same one-line messages.
 */
import * as z from "zod";

/** What an expression is, for the schema's descriptions. */
const EXPR_HELP =
  "a field of the runs (a summary.csv column such as kept_columns, a config path such as train.lambda, or folder) " +
  "or arithmetic over fields: + - * / ^, parentheses, log, log10, log2, exp, sqrt, abs, pow, min, max (e.g. \"kept_columns - r\")";

export const exprSchema = z.string().min(1).max(300).describe(EXPR_HELP);

const literal = z.union([z.number(), z.string(), z.boolean()]);

/** The comparison operators, each a bound a value must meet. */
const operators = {
  eq: literal.optional().describe("equal to (a number, or a text such as matrix-sensing)"),
  ne: literal.optional().describe("not equal to"),
  lt: z.number().optional().describe("less than"),
  le: z.number().optional().describe("at most"),
  gt: z.number().optional().describe("greater than"),
  ge: z.number().optional().describe("at least"),
  between: z.tuple([z.number(), z.number()]).optional().describe("[low, high], both included"),
  in: z.array(literal).min(1).optional().describe("one of these values"),
  exists: z.boolean().optional().describe("true: the run has this field (not empty); false: it has not"),
};

export const OPERATORS = Object.keys(operators) as Array<keyof typeof operators>;

const why = z.string().min(1).describe("one line: why the bound is this number (every threshold carries its reason)");

/** A comparison in a filter: a value (equal to), a list (one of), or operators; `why` optional. */
const filterComparison = z.union([
  literal,
  z.array(literal).min(1),
  z.strictObject({ ...operators, why: why.optional() }),
]);

/** A comparison that decides PASS or FAIL: operators and the reason for their bound. */
const testComparison = z.strictObject({ ...operators, why });

/** Filter conditions: expression → comparison; a run is kept when every one holds. */
export const conditionsSchema = z
  .record(exprSchema, filterComparison)
  .describe("conditions, all of which must hold: expression → value, list of values, or { eq | ne | lt | le | gt | ge | between | in | exists }");

export const AGGREGATES = ["mean", "median", "min", "max", "count", "fraction"] as const;
const aggregate = z.enum(AGGREGATES).describe("over the runs of a group (its seeds): mean | median | min | max | count | fraction (of runs meeting `when`)");

/** One side of a ratio or difference: a subset of the group and its aggregate. */
const sideSchema = z
  .strictObject({
    where: conditionsSchema.optional(),
    value: exprSchema.optional().describe("per-run quantity (default: the claim's value)"),
    aggregate: aggregate.optional().describe("default: the claim's aggregate, else mean"),
    when: conditionsSchema.optional().describe("for count and fraction: the runs that count"),
  })
  .describe("a subset of each group's runs and its aggregate");

export const claimSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be letters, digits, '.', '_' or '-', starting with a letter or digit")
      .max(64)
      .describe("a short name, unique in the file: what the terminal, --json and CI logs call the claim"),
    statement: z.string().min(1).describe("what the claim says, in words"),
    cites: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe("the statement(s) of the paper it tests, e.g. S2 (paper.md numbers them S1–S8)"),
    finding: z
      .string()
      .min(1)
      .optional()
      .describe("a claim known to fail, reported as a finding (one line: what fails and why); it still reads PASS or FAIL, but a FAIL does not set the exit code"),
    where: conditionsSchema.optional().describe("which runs the claim reads (default: every run of the folder)"),
    group_by: z
      .union([exprSchema, z.array(exprSchema).min(1)])
      .optional()
      .describe("check the claim in each group of runs with equal values of these fields (e.g. problem); every group must pass"),
    value: exprSchema.optional().describe("the per-run quantity to aggregate (for aggregate, ratio, difference, trend)"),
    aggregate: aggregate.optional(),
    when: conditionsSchema.optional().describe("for count and fraction: the runs that count"),
    every: z
      // a bare number is accepted here only to be refused with its own message (a bound needs its why)
      .record(exprSchema, z.union([z.string(), z.boolean(), z.number(), testComparison]))
      .optional()
      .describe("test: every run meets these conditions; the runs that do not are the exceptions, listed by id"),
    exempt: conditionsSchema.optional().describe("with every: runs outside the condition under which the claim is promised; listed, not counted"),
    exceptions: z
      .strictObject({ max: z.number().int().nonnegative().describe("exceptions allowed"), why })
      .optional()
      .describe("with every: how many exceptions are allowed (default 0)"),
    ratio: z.strictObject({ of: sideSchema, to: sideSchema }).optional().describe("test: aggregate of `of` / aggregate of `to`, per group, against expect"),
    difference: z.strictObject({ of: sideSchema, to: sideSchema }).optional().describe("test: aggregate of `of` − aggregate of `to`, per group, against expect"),
    slope: z
      .strictObject({
        x: exprSchema.describe("the per-run x (e.g. n); must be > 0"),
        y: exprSchema.describe("the per-run y (e.g. recovery_error^2); its aggregate at each x must be > 0"),
        aggregate: z.enum(["mean", "median"]).optional().describe("of y at each x (default mean)"),
        interval: z.number().gt(0).lt(1).optional().describe("confidence level of the bootstrap interval (default 0.95)"),
        resamples: z.number().int().gte(100).lte(100000).optional().describe("bootstrap resamples (default 2000)"),
        by: exprSchema.optional().describe("the unit the bootstrap resamples (default seed: all runs of one seed together)"),
        seed: z.number().int().nonnegative().optional().describe("seed of the bootstrap draws (default 1): the same file gives the same interval"),
      })
      .optional()
      .describe("test: least-squares slope of log(aggregate y) against log(x), with a bootstrap interval over seeds; expect applies to the whole interval"),
    trend: z
      .strictObject({
        across: exprSchema.describe("the field whose values order the levels (e.g. model.k)"),
        direction: z.enum(["increasing", "decreasing", "nondecreasing", "nonincreasing"]).describe("how the aggregate must move as `across` grows"),
      })
      .optional()
      .describe("test: the aggregate of value at each level of `across` moves in one direction"),
    expect: testComparison.optional().describe("the bound the computed number (or the slope's whole interval) must meet, with its why"),
  })
  .describe("one claim: an id, a statement, which runs, and one test (every, aggregate, ratio, difference, slope or trend)");

export const claimsFileSchema = z.strictObject({
  $schema: z.string().optional().describe("path or URL of this JSON Schema, for editors"),
  claims: z.array(claimSchema).min(1).describe("the claims, checked in order"),
});

export type ClaimSpec = z.infer<typeof claimSchema>;
export type ClaimsFileSpec = z.infer<typeof claimsFileSchema>;
export type Comparison = Partial<Record<(typeof OPERATORS)[number], unknown>> & { why?: string };

/** The JSON Schema of a claims file, generated from the validator above. */
export function claimsJsonSchema(): object {
  return { ...z.toJSONSchema(claimsFileSchema, { io: "input", unrepresentable: "any", reused: "ref" }), title: "prune-sense claims" };
}
