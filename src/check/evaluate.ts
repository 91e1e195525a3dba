/**
 * Evaluating claims over runs: pure functions from the parsed claims and the
 * rows of a results folder to a verdict per claim and per group, with the
 * numbers that decided it and every run that broke it. Nothing here reads
 * files or prints.
 */
import { ConfigError } from "../errors.js";
import { suggest } from "../config/issues.js";
import { evaluate, ExprError, namesOf, type Value } from "./expr.js";
import type { Claim, Condition, Quantity, Side, Test } from "./parse.js";
import type { Row } from "./rows.js";
import { OPERATORS, type Comparison } from "./schema.js";
import { fitLogLogSlope, max, mean, median, min } from "../stats/stats.js";

/** A run that broke an `every` test, and the values of the conditions it broke. */
export interface Exception {
  id: string;
  folder: string;
  values: Record<string, Value>;
}

export interface GroupOutcome {
  /** The group's value of each group_by expression (empty without group_by). */
  key: Record<string, Value>;
  runs: number;
  holds: boolean;
  measured: string;
  /** The number compared with `expect` (aggregate, ratio, difference; the slope's point estimate). */
  value?: number;
  /** The slope's bootstrap interval. */
  interval?: [number, number];
  /** The levels of a slope (x) or trend (across) and the aggregate at each. */
  levels?: Array<{ at: number; value: number }>;
  /** every: the runs that broke it (counted), and those exempt (listed, not counted). */
  exceptions?: Exception[];
  exempt?: Exception[];
}

export interface ClaimOutcome {
  claim: Claim;
  holds: boolean;
  /** One line: each group's measured text, joined by "; ". */
  measured: string;
  runs: number;
  groups: GroupOutcome[];
}

/** A number as a claim's measured text shows it: integers whole, others to 3 significant digits. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? String(Number(x.toPrecision(3))) : Number(x.toPrecision(3)).toExponential();
}

const show = (v: Value): string => (typeof v === "number" ? formatNumber(v) : v === null ? "(none)" : String(v));

/** Whether one value meets a comparison: every operator given must hold; a missing value meets only `exists: false`. */
export function meets(v: Value, cmp: Comparison): boolean {
  for (const op of OPERATORS) {
    const bound = cmp[op];
    if (bound === undefined) continue;
    if (op === "exists") {
      if ((v !== null) !== bound) return false;
      continue;
    }
    if (v === null) return false;
    const num = typeof v === "number" ? v : NaN;
    switch (op) {
      case "eq": if (!same(v, bound)) return false; break;
      case "ne": if (same(v, bound)) return false; break;
      case "in": if (!(bound as unknown[]).some((b) => same(v, b))) return false; break;
      case "lt": if (!(num < (bound as number))) return false; break;
      case "le": if (!(num <= (bound as number))) return false; break;
      case "gt": if (!(num > (bound as number))) return false; break;
      case "ge": if (!(num >= (bound as number))) return false; break;
      case "between": {
        const [lo, hi] = bound as [number, number];
        if (!(num >= lo && num <= hi)) return false;
      }
    }
  }
  return true;
}

/** Equality of a run's value and a written one: numbers by value, texts by text (0.1 and "0.1" agree). */
function same(v: Value, bound: unknown): boolean {
  if (typeof bound === "number") return typeof v === "number" ? v === bound : typeof v === "string" && v.trim() !== "" && Number(v) === bound;
  if (typeof bound === "boolean") return v === bound || v === String(bound);
  return String(v) === String(bound);
}

/** Whether every point of [lo, hi] meets the comparison (`ne`: the value lies outside it). */
export function intervalMeets(lo: number, hi: number, cmp: Comparison): boolean {
  if (Number.isNaN(lo) || Number.isNaN(hi)) return false;
  const { ne, ...rest } = cmp;
  if (ne !== undefined && typeof ne === "number" && ne >= lo && ne <= hi) return false;
  return meets(lo, rest) && meets(hi, rest);
}

/** The comparison in words: `< 1`, `in [-1.3, -0.7]`, `= 0`. */
export function comparisonText(cmp: Comparison): string {
  const words: Record<string, string> = { eq: "=", ne: "≠", lt: "<", le: "≤", gt: ">", ge: "≥" };
  return OPERATORS.filter((o) => cmp[o] !== undefined).map((o) => {
    const b = cmp[o];
    if (o === "between") return `in [${(b as number[]).map(formatNumber).join(", ")}]`;
    if (o === "in") return `one of ${(b as unknown[]).map((x) => show(x as Value)).join(", ")}`;
    if (o === "exists") return b ? "present" : "absent";
    return `${words[o]} ${show(b as Value)}`;
  }).join(" and ");
}

/** A claim's evaluation error: one line naming the claim and the field. */
function fail(claim: Claim, q: Quantity, message: string): never {
  throw new ConfigError(`claim ${claim.id}: ${q.at}: ${message}`);
}

function valueOf(claim: Claim, q: Quantity, row: Row): Value {
  try {
    return evaluate(q.expr, (name) => row.fields.get(name) ?? null);
  } catch (err) {
    if (err instanceof ExprError) fail(claim, q, `${err.message} (run ${row.id})`);
    throw err;
  }
}

function numberOf(claim: Claim, q: Quantity, row: Row): number {
  const v = valueOf(claim, q, row);
  if (typeof v === "string") fail(claim, q, `${q.text} is a text (${JSON.stringify(v)} in run ${row.id}), not a number`);
  return v === null ? NaN : typeof v === "boolean" ? Number(v) : v;
}

const holdsAll = (claim: Claim, conds: readonly Condition[], row: Row) => conds.every((c) => meets(valueOf(claim, c, row), c.cmp));

/** Every quantity of a claim, for the check that its fields exist. */
function quantitiesOf(claim: Claim): Quantity[] {
  const sideQs = (s: Side) => [...s.where, ...s.when, ...(s.value ? [s.value] : [])];
  const t = claim.test;
  const test: Quantity[] =
    t.kind === "every" ? [...t.conditions, ...t.exempt]
    : t.kind === "aggregate" ? sideQs(t.side)
    : t.kind === "slope" ? [t.x, t.y, t.by]
    : t.kind === "trend" ? [t.across, ...sideQs(t.side)]
    : [...sideQs(t.of), ...sideQs(t.to)];
  return [...claim.where, ...claim.groupBy, ...test];
}

/**
 * The lines for fields no run has (a typo, or a folder of other runs), with the likely name.
 * @example unknownFields(claims, rows) // ["claim exact-r: every.kept_colums: no run has a field kept_colums (did you mean kept_columns?)"]
 */
export function unknownFields(claims: readonly Claim[], rows: readonly Row[]): string[] {
  const known = new Set<string>();
  for (const row of rows) for (const k of row.fields.keys()) known.add(k);
  const lines: string[] = [];
  for (const claim of claims) {
    for (const q of quantitiesOf(claim)) {
      for (const name of namesOf(q.expr)) {
        if (known.has(name)) continue;
        const hint = suggest(name, [...known]);
        lines.push(`claim ${claim.id}: ${q.at}: no run has a field ${name}${hint ? ` (did you mean ${hint}?)` : ""}`);
      }
    }
  }
  return lines;
}

/** The aggregate of a side over a set of runs, and the runs it read. */
function aggregateOf(claim: Claim, side: Side, rows: readonly Row[]): { value: number; runs: number } {
  const picked = rows.filter((r) => holdsAll(claim, side.where, r));
  if (side.aggregate === "count" || side.aggregate === "fraction") {
    const hits = picked.filter((r) => holdsAll(claim, side.when, r)).length;
    return { value: side.aggregate === "count" ? hits : picked.length ? hits / picked.length : NaN, runs: picked.length };
  }
  const xs = picked.map((r) => numberOf(claim, side.value!, r));
  const f = { mean, median, min, max }[side.aggregate];
  return { value: f(xs), runs: picked.length };
}

const describeSide = (s: Side) => (s.aggregate === "count" || s.aggregate === "fraction" ? `${s.aggregate} of runs` : `${s.aggregate} ${s.value!.text}`);

/** Exceptions shown in the measured line; --json lists all of them. */
export const SHOWN_EXCEPTIONS = 5;

function listed(xs: readonly Exception[]): string {
  const head = xs.slice(0, SHOWN_EXCEPTIONS).map((e) => {
    const id = e.folder === "." ? e.id : `${e.folder}/${e.id}`;
    return `${id} (${Object.entries(e.values).map(([k, v]) => `${k} = ${show(v)}`).join(", ")})`;
  });
  return head.join(", ") + (xs.length > SHOWN_EXCEPTIONS ? `, … ${xs.length - SHOWN_EXCEPTIONS} more` : "");
}

function every(claim: Claim, t: Extract<Test, { kind: "every" }>, rows: readonly Row[]): Omit<GroupOutcome, "key"> {
  const exceptions: Exception[] = [];
  const exempt: Exception[] = [];
  for (const row of rows) {
    const broken = t.conditions.map((c) => ({ c, v: valueOf(claim, c, row) })).filter(({ c, v }) => !meets(v, c.cmp));
    if (broken.length === 0) continue;
    const e: Exception = { id: row.id, folder: String(row.fields.get("folder") ?? "."), values: Object.fromEntries(broken.map(({ c, v }) => [c.text, v])) };
    (t.exempt.length && holdsAll(claim, t.exempt, row) ? exempt : exceptions).push(e);
  }
  const allowed = t.maxExceptions ? ` (at most ${t.maxExceptions} allowed)` : "";
  let measured = exceptions.length === 0
    ? `${rows.length} runs, no exception${allowed}`
    : `${exceptions.length} of ${rows.length} runs break it${allowed}: ${listed(exceptions)}`;
  if (exempt.length) measured += `; outside the condition (exempt): ${listed(exempt)}`;
  return { runs: rows.length, holds: exceptions.length <= t.maxExceptions, measured, exceptions, exempt };
}

/** Distinct numeric levels of a quantity among runs, ascending. @throws when a level is a text. */
function levelsOf(claim: Claim, q: Quantity, rows: readonly Row[]): number[] {
  return [...new Set(rows.map((r) => numberOf(claim, q, r)))].sort((a, b) => a - b);
}

function trend(claim: Claim, t: Extract<Test, { kind: "trend" }>, rows: readonly Row[]): Omit<GroupOutcome, "key"> {
  const ats = levelsOf(claim, t.across, rows);
  const levels = ats.map((at) => ({ at, value: aggregateOf(claim, t.side, rows.filter((r) => numberOf(claim, t.across, r) === at)).value }));
  const ok = (a: number, b: number) =>
    t.direction === "increasing" ? b > a : t.direction === "decreasing" ? b < a : t.direction === "nondecreasing" ? b >= a : b <= a;
  const moves = levels.length >= 2 && levels.every((l, i) => i === 0 || ok(levels[i - 1].value, l.value));
  const measured = `${describeSide(t.side)} ${levels.map((l) => formatNumber(l.value)).join(" → ")} for ${t.across.text} = ${ats.map(formatNumber).join(", ")}` +
    (levels.length < 2 ? ` (${t.direction} needs at least 2 values of ${t.across.text})` : moves ? "" : ` (not ${t.direction})`);
  return { runs: rows.length, holds: moves, measured, levels };
}

function slope(claim: Claim, t: Extract<Test, { kind: "slope" }>, rows: readonly Row[], groupKey: string): Omit<GroupOutcome, "key"> {
  const points = rows.map((r) => ({ x: numberOf(claim, t.x, r), y: numberOf(claim, t.y, r), unit: show(valueOf(claim, t.by, r)), id: r.id }));
  const badX = points.filter((p) => !(p.x > 0));
  const base = { runs: rows.length, holds: false };
  if (badX.length) return { ...base, measured: `${t.x.text} must be > 0 for a log–log slope: ${badX.slice(0, SHOWN_EXCEPTIONS).map((p) => `${p.id} (${show(p.x)})`).join(", ")}` };
  const fit = fitLogLogSlope(points, { aggregate: t.aggregate, level: t.interval, resamples: t.resamples, stream: `check:${claim.id}:${t.seed}:${groupKey}` });
  const levels = fit.xs.map((at, i) => ({ at, value: fit.ys[i] }));
  if (fit.xs.length < 2) return { ...base, levels, measured: `a slope needs at least 2 values of ${t.x.text}, got ${fit.xs.map(formatNumber).join(", ")}` };
  const badY = levels.filter((l) => !(l.value > 0));
  if (badY.length) return { ...base, levels, measured: `${t.aggregate} ${t.y.text} must be > 0 for a log–log slope: ${badY.map((l) => `${formatNumber(l.value)} at ${t.x.text} = ${formatNumber(l.at)}`).join(", ")}` };
  const [lo, hi] = fit.interval;
  const pct = `${formatNumber(t.interval * 100)}%`;
  const measured = `slope ${formatNumber(fit.slope)}, ${pct} interval [${formatNumber(lo)}, ${formatNumber(hi)}] over ${fit.units} ${t.by.text === "seed" ? `seed${fit.units === 1 ? "" : "s"}` : `value${fit.units === 1 ? "" : "s"} of ${t.by.text}`}${fit.units === 1 ? " (one: no spread)" : ""}, ` +
    `${t.x.text} = ${formatNumber(fit.xs[0])}…${formatNumber(fit.xs[fit.xs.length - 1])}`;
  return { ...base, holds: intervalMeets(lo, hi, t.expect), measured, value: fit.slope, interval: fit.interval, levels };
}

function compared(claim: Claim, t: Extract<Test, { kind: "aggregate" | "ratio" | "difference" }>, rows: readonly Row[]): Omit<GroupOutcome, "key"> {
  if (t.kind === "aggregate") {
    const a = aggregateOf(claim, t.side, rows);
    return { runs: rows.length, holds: meets(a.value, t.expect), value: a.value, measured: `${describeSide(t.side)} ${formatNumber(a.value)} over ${a.runs} runs` };
  }
  const of = aggregateOf(claim, t.of, rows);
  const to = aggregateOf(claim, t.to, rows);
  const value = t.kind === "ratio" ? of.value / to.value : of.value - to.value;
  const missing = of.runs === 0 ? " (no runs in of)" : to.runs === 0 ? " (no runs in to)" : "";
  const measured = `${describeSide(t.of)} ${formatNumber(of.value)} ${t.kind === "ratio" ? "/" : "−"} ${describeSide(t.to)} ${formatNumber(to.value)} = ${formatNumber(value)} ` +
    `(${of.runs} and ${to.runs} runs)${missing}`;
  return { runs: rows.length, holds: !missing && meets(value, t.expect), value, measured };
}

/** The runs of each group, in order of first appearance, keyed by their group_by values. */
function groupsOf(claim: Claim, rows: readonly Row[]): Array<{ key: Record<string, Value>; id: string; rows: Row[] }> {
  const groups = new Map<string, { key: Record<string, Value>; id: string; rows: Row[] }>();
  for (const row of rows) {
    const key = Object.fromEntries(claim.groupBy.map((q) => [q.text, valueOf(claim, q, row)]));
    const id = JSON.stringify(Object.values(key));
    if (!groups.has(id)) groups.set(id, { key, id, rows: [] });
    groups.get(id)!.rows.push(row);
  }
  return [...groups.values()];
}

/**
 * The verdict of one claim over the rows: the runs its `where` selects, split by
 * `group_by`, each group tested; it holds when there are runs and every group passes.
 * @throws {ConfigError} `claim ID: FIELD: …` when an expression does arithmetic on a text.
 */
export function evaluateClaim(claim: Claim, rows: readonly Row[]): ClaimOutcome {
  const selected = rows.filter((r) => holdsAll(claim, claim.where, r));
  if (selected.length === 0) {
    const where = claim.where.map((c) => `${c.text} ${comparisonText(c.cmp)}`).join(", ");
    return { claim, holds: false, runs: 0, groups: [], measured: `no runs${where ? ` with ${where}` : ""} (of ${rows.length})` };
  }
  const t = claim.test;
  const groups: GroupOutcome[] = groupsOf(claim, selected).map(({ key, id, rows: rs }) => {
    const g = t.kind === "every" ? every(claim, t, rs) : t.kind === "trend" ? trend(claim, t, rs) : t.kind === "slope" ? slope(claim, t, rs, id) : compared(claim, t, rs);
    const label = Object.entries(key).map(([k, v]) => (claim.groupBy.length === 1 ? show(v) : `${k} = ${show(v)}`)).join(", ");
    return { key, ...g, measured: label ? `${label}: ${g.measured}` : g.measured };
  });
  return { claim, holds: groups.every((g) => g.holds), runs: selected.length, groups, measured: groups.map((g) => g.measured).join("; ") };
}

/**
 * Every claim's verdict, after checking that each field a claim names exists in some run.
 * @throws {ConfigError} one line per unknown field, or the first evaluation error.
 */
export function evaluateClaims(claims: readonly Claim[], rows: readonly Row[]): ClaimOutcome[] {
  const unknown = unknownFields(claims, rows);
  if (unknown.length) throw new ConfigError(unknown);
  return claims.map((c) => evaluateClaim(c, rows));
}
