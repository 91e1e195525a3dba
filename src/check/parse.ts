/**
 * A claims file, from text to claims ready to evaluate: read with the config
 * reader's limits (a regular UTF-8 file of at most 1 MB, YAML or strict JSON),
 * validated by the zod schema, then by the rules the schema cannot say. Every
 * problem is one line naming the claim and the field, all of them at once.
 */
import { ConfigError } from "../errors.js";
import { formatIssues } from "../config/issues.js";
import { loadConfigFile } from "../config/load.js";
import { ExprError, parseExpr, type Expr } from "./expr.js";
import { AGGREGATES, claimSchema, claimsFileSchema, OPERATORS, type ClaimSpec, type Comparison } from "./schema.js";

export type Aggregate = (typeof AGGREGATES)[number];

/** A per-run quantity with its text and where the file gives it (for messages). */
export interface Quantity {
  text: string;
  expr: Expr;
  /** The field of the claim it came from, e.g. `where.train.lambda`, `slope.y`. */
  at: string;
}

/** One condition: a quantity and the comparison its value must meet. */
export interface Condition extends Quantity {
  cmp: Comparison;
}

/** What is aggregated over a set of runs: which runs, what value, which statistic. */
export interface Side {
  where: Condition[];
  value: Quantity | null;
  aggregate: Aggregate;
  when: Condition[];
}

export type Test =
  | { kind: "every"; conditions: Condition[]; exempt: Condition[]; maxExceptions: number }
  | { kind: "aggregate"; side: Side; expect: Comparison }
  | { kind: "ratio" | "difference"; of: Side; to: Side; expect: Comparison }
  | {
      kind: "slope"; x: Quantity; y: Quantity; aggregate: "mean" | "median"; interval: number; resamples: number;
      by: Quantity; seed: number; expect: Comparison;
    }
  | { kind: "trend"; across: Quantity; direction: "increasing" | "decreasing" | "nondecreasing" | "nonincreasing"; side: Side };

export interface Claim {
  id: string;
  statement: string;
  cites: string[];
  /** A known failure reported as a finding: its FAIL does not fail the check. */
  finding?: string;
  where: Condition[];
  groupBy: Quantity[];
  test: Test;
}

/** Defaults of the slope's bootstrap. */
export const SLOPE_DEFAULTS = { interval: 0.95, resamples: 2000, by: "seed", seed: 1, aggregate: "mean" } as const;

const TESTS = ["every", "ratio", "difference", "slope", "trend"] as const;

/** A field path as a message shows it: dotted names as they are, other expressions quoted. */
function segment(key: string): string {
  return /^[A-Za-z0-9_.]+$/.test(key) ? key : JSON.stringify(key);
}

/** Collects the lines of one claim, each `claim ID: field: problem`. */
class Problems {
  readonly lines: string[] = [];
  constructor(private readonly label: string) {}
  add(field: string, problem: string): void {
    this.lines.push(`claim ${this.label}: ${field}: ${problem}`);
  }
}

function quantity(text: string, field: string, p: Problems): Quantity | null {
  try {
    return { text, expr: parseExpr(text), at: field };
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    p.add(field, `${JSON.stringify(text)} does not parse: ${err.message}`);
    return null;
  }
}

/** Check a comparison's operators: at least one, `between` ordered, numbers for order bounds. */
function comparisonProblems(cmp: Comparison, field: string, p: Problems): void {
  const ops = OPERATORS.filter((o) => cmp[o] !== undefined);
  if (ops.length === 0) p.add(field, `no bound: give one of ${OPERATORS.join(", ")}`);
  const between = cmp.between as [number, number] | undefined;
  if (between && between[0] > between[1]) p.add(`${field}.between`, `low ${between[0]} is above high ${between[1]}`);
}

/** Filter conditions: a value means eq, a list means in. */
function conditions(spec: Record<string, unknown> | undefined, field: string, p: Problems): Condition[] {
  const out: Condition[] = [];
  for (const [text, raw] of Object.entries(spec ?? {})) {
    const at = `${field}.${segment(text)}`;
    const q = quantity(text, at, p);
    const cmp: Comparison = Array.isArray(raw) ? { in: raw } : typeof raw === "object" && raw !== null ? (raw as Comparison) : { eq: raw };
    comparisonProblems(cmp, at, p);
    if (q) out.push({ ...q, cmp });
  }
  return out;
}

/** `every` conditions: a text or flag means eq; a number needs { eq, why } (a bound carries its reason). */
function testConditions(spec: Record<string, unknown>, p: Problems): Condition[] {
  const out: Condition[] = [];
  for (const [text, raw] of Object.entries(spec)) {
    const at = `every.${segment(text)}`;
    if (typeof raw === "number") {
      p.add(at, `a bound needs its reason: write { eq: ${raw}, why: "…" }`);
      continue;
    }
    const q = quantity(text, at, p);
    const cmp: Comparison = typeof raw === "object" && raw !== null ? (raw as Comparison) : { eq: raw };
    comparisonProblems(cmp, at, p);
    if (q) out.push({ ...q, cmp });
  }
  return out;
}

type SideSpec = { where?: Record<string, unknown>; value?: string; aggregate?: Aggregate; when?: Record<string, unknown> };

/** A side: its own where, value, aggregate and when, else the claim's. */
function side(spec: SideSpec, claim: ClaimSpec, field: string, p: Problems): Side {
  const aggregate = spec.aggregate ?? claim.aggregate ?? "mean";
  const valueText = spec.value ?? claim.value;
  const whenSpec = spec.when ?? claim.when;
  const prefix = field === "" ? "" : `${field}.`;
  const needsValue = aggregate !== "count" && aggregate !== "fraction";
  if (needsValue && valueText === undefined) p.add(`${prefix}value`, `required for aggregate ${aggregate} (the per-run quantity)`);
  if (aggregate === "fraction" && whenSpec === undefined) p.add(`${prefix}when`, "required for aggregate fraction (the runs that count)");
  if (!needsValue && valueText !== undefined && spec.value !== undefined) p.add(`${prefix}value`, `not used by aggregate ${aggregate} (it counts runs; use when)`);
  if (needsValue && whenSpec !== undefined) p.add(`${prefix}when`, `only for count and fraction, not ${aggregate} (use where)`);
  return {
    where: conditions(spec.where, `${prefix}where`, p),
    value: needsValue && valueText !== undefined ? quantity(valueText, `${prefix}value`, p) : null,
    aggregate,
    when: conditions(whenSpec, `${prefix}when`, p),
  };
}

/** The test of a claim, and the problems of its keys' combination. */
function testOf(c: ClaimSpec, p: Problems): Test | null {
  const given = TESTS.filter((t) => c[t] !== undefined);
  if (given.length > 1) {
    p.add(given[1], `one test per claim, and this claim has ${given.join(" and ")} (split it into two claims)`);
    return null;
  }
  const kind = (given.length ? given[0] : c.aggregate !== undefined ? "aggregate" : undefined) as Test["kind"] | undefined;
  if (kind === undefined) {
    p.add("(test)", "no test: give one of every, aggregate (with expect), ratio, difference, slope, trend");
    return null;
  }
  const wantsExpect = kind !== "every" && kind !== "trend";
  if (wantsExpect && c.expect === undefined) p.add("expect", `required by ${kind}: the bound the number must meet, with its why`);
  if (!wantsExpect && c.expect !== undefined) p.add("expect", `not used by ${kind} (${kind === "every" ? "the bounds go in every" : "trend checks a direction"})`);
  if (c.expect) comparisonProblems(c.expect as Comparison, "expect", p);
  if (kind !== "every") {
    if (c.exempt !== undefined) p.add("exempt", "only with every");
    if (c.exceptions !== undefined) p.add("exceptions", "only with every");
  }
  const expect = (c.expect ?? {}) as Comparison;
  switch (kind) {
    case "every": {
      if (c.value !== undefined) p.add("value", "not used by every (its conditions name their quantities)");
      if (c.aggregate !== undefined) p.add("aggregate", "not used by every (it checks each run)");
      return { kind, conditions: testConditions(c.every!, p), exempt: conditions(c.exempt, "exempt", p), maxExceptions: c.exceptions?.max ?? 0 };
    }
    case "aggregate":
      return { kind, side: side({}, c, "", p), expect };
    case "ratio":
    case "difference": {
      const pair = c[kind]!;
      return { kind, of: side(pair.of, c, `${kind}.of`, p), to: side(pair.to, c, `${kind}.to`, p), expect };
    }
    case "slope": {
      const s = c.slope!;
      if (c.value !== undefined) p.add("value", "not used by slope (give slope.y)");
      const x = quantity(s.x, "slope.x", p);
      const y = quantity(s.y, "slope.y", p);
      const by = quantity(s.by ?? SLOPE_DEFAULTS.by, "slope.by", p);
      if (!x || !y || !by) return null;
      return {
        kind, x, y, by, expect, aggregate: s.aggregate ?? SLOPE_DEFAULTS.aggregate, interval: s.interval ?? SLOPE_DEFAULTS.interval,
        resamples: s.resamples ?? SLOPE_DEFAULTS.resamples, seed: s.seed ?? SLOPE_DEFAULTS.seed,
      };
    }
    case "trend": {
      const across = quantity(c.trend!.across, "trend.across", p);
      const s = side({}, c, "", p);
      return across ? { kind, across, direction: c.trend!.direction, side: s } : null;
    }
  }
}

/** One claim's checks beyond the schema; null when it has problems (added to `p`). */
function claimOf(c: ClaimSpec, p: Problems): Claim | null {
  const where = conditions(c.where, "where", p);
  const groupTexts = c.group_by === undefined ? [] : Array.isArray(c.group_by) ? c.group_by : [c.group_by];
  const groupBy = groupTexts.map((t, i) => quantity(t, groupTexts.length > 1 ? `group_by[${i}]` : "group_by", p));
  const test = testOf(c, p);
  if (p.lines.length || !test) return null;
  return {
    id: c.id, statement: c.statement, cites: c.cites === undefined ? [] : Array.isArray(c.cites) ? c.cites : [c.cites],
    ...(c.finding === undefined ? {} : { finding: c.finding }),
    where, groupBy: groupBy as Quantity[], test,
  };
}

/** How a claim is named in messages before its id is known to be valid: its id, or its place. */
function labelOf(raw: unknown, index: number): string {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === "string" && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id) ? id : `#${index + 1}`;
}

/**
 * The claims of a parsed claims file (a plain object).
 * @throws {ConfigError} one line per problem: `claim exact-r: expect.why: required`,
 *   `claim #2: id: required`, `claims: required`, …
 * @example claimsFrom({ claims: [{ id: "a", statement: "…", every: { status: "ok" } }] })[0].test.kind // "every"
 */
export function claimsFrom(raw: unknown, source = "claims file"): Claim[] {
  const top = claimsFileSchema.safeParse(raw, { reportInput: true });
  const rawClaims = (raw as { claims?: unknown })?.claims;
  if (!top.success) {
    const lines: string[] = [];
    for (const issue of top.error.issues) {
      const [head, index, ...rest] = issue.path;
      if (head === "claims" && typeof index === "number") {
        const label = labelOf(Array.isArray(rawClaims) ? rawClaims[index] : undefined, index);
        // expression keys (`kept_columns - r`) are quoted in the field path, as in the other messages
        const [line] = formatIssues([{ ...issue, path: rest.map((k) => (typeof k === "string" ? segment(k) : k)) }], claimSchema);
        const why = /\bwhy: required$/.test(line) ? " (one line: why the bound is this number)" : "";
        lines.push(`claim ${label}: ${line.replace(/^\(top level\): /, "")}${why}`);
      } else {
        lines.push(...formatIssues([issue], claimsFileSchema).map((l) => (l.startsWith("(top level)") ? `${source}: ${l.slice(13)}` : l)));
      }
    }
    throw new ConfigError(lines);
  }
  const lines: string[] = [];
  const claims: Claim[] = [];
  const seen = new Map<string, number>();
  top.data.claims.forEach((spec, i) => {
    const p = new Problems(spec.id);
    if (seen.has(spec.id)) p.add("id", `the same id as claim #${seen.get(spec.id)! + 1} (ids must be unique)`);
    seen.set(spec.id, i);
    const claim = claimOf(spec, p);
    lines.push(...p.lines);
    if (claim) claims.push(claim);
  });
  if (lines.length) throw new ConfigError(lines);
  return claims;
}

/**
 * Read and check a claims file (YAML, or strict JSON when it ends in .json).
 * @throws {ConfigError} `FILE: no such file`, `FILE:3:5: …` (syntax), `FILE: expected a mapping with a claims: list at the top level`, or the claims' lines.
 */
export function loadClaims(path: string): Claim[] {
  let raw: unknown;
  try {
    raw = loadConfigFile(path);
  } catch (err) {
    // the config reader's wording names config keys: a claims file holds `claims:`
    if (err instanceof ConfigError && err.lines.length === 1 && err.lines[0] === `${path}: expected a mapping of config keys at the top level`) {
      throw new ConfigError(`${path}: expected a mapping with a claims: list at the top level`);
    }
    throw err;
  }
  return claimsFrom(raw, path);
}
