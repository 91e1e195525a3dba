/**
 * Turning zod issues into one line each: `dotted.path: what is wrong, got X`.
 */
import type * as z from "zod";
import { printable } from "../errors.js";

/** A key as a message shows it: control characters escaped, at most 80 characters. */
export function keyForMessage(key: string): string {
  const p = printable(key);
  return p.length > 80 ? `${p.slice(0, 80)}…` : p;
}

/** Unknown keys named one by one per mapping; the rest are counted. */
export const MAX_UNKNOWN_KEYS = 20;

/** zod's names of the types a config writes differently (a YAML user writes mappings and lists). */
const TYPE_NAMES: Partial<Record<string, string>> = { object: "a mapping", record: "a mapping", array: "a list" };

/** Describe a value the way a user typed it: 1.5, "abc", true, a list, a mapping. */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return JSON.stringify(v.length > 200 ? `${v.slice(0, 200)}…` : v);
  return String(v);
}

/** The allowed keys of the object schema at `path`, for unknown-key messages. */
function keysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
  let s: unknown = schema;
  for (const p of [...path, null]) {
    // unwrap optional/partial wrappers to reach the object
    while (s && typeof s === "object" && "unwrap" in s && typeof (s as { unwrap: unknown }).unwrap === "function" && !("shape" in s)) {
      s = (s as { unwrap(): unknown }).unwrap();
    }
    if (p === null) break;
    const shape = (s as { shape?: Record<string, unknown> })?.shape;
    if (!shape) return [];
    s = shape[String(p)];
  }
  const shape = (s as { shape?: Record<string, unknown> })?.shape;
  return shape ? Object.keys(shape).filter((k) => k !== "$schema") : [];
}

/** Levenshtein distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

/** The closest allowed name, if it is close enough to be a likely typo. */
export function suggest(name: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const dist = editDistance(name.toLowerCase(), a.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = a;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function joinPath(prefix: string, path: PropertyKey[]): string {
  const parts = [prefix, ...path.map(String)].filter((p) => p !== "");
  return parts.length ? parts.join(".") : "(top level)";
}

/**
 * One line per issue. `schema` is the schema that produced them (for allowed keys);
 * `prefix` is prepended to paths (e.g. "train.lambda" when checking a resolved value).
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, prefix = ""): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = joinPath(prefix, issue.path);
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = keysAt(schema, issue.path);
        // a file may hold 100k unknown keys: name the first few, count the rest (linear, and a readable screen)
        for (const key of issue.keys.slice(0, MAX_UNKNOWN_KEYS)) {
          const hint = suggest(key, allowed);
          lines.push(
            `${joinPath(prefix, [...issue.path, keyForMessage(key)])}: unknown key` +
              (hint ? ` (did you mean ${hint}?)` : allowed.length ? ` (expected one of ${allowed.join(", ")})` : ""),
          );
        }
        if (issue.keys.length > MAX_UNKNOWN_KEYS) lines.push(`${path}: … and ${issue.keys.length - MAX_UNKNOWN_KEYS} more unknown keys`);
        break;
      }
      case "invalid_type":
        if (input === undefined) lines.push(`${path}: required`);
        else if (typeof input === "number" && !Number.isFinite(input)) lines.push(`${path}: expected a finite number, got ${input}`);
        else if (issue.expected === "int") lines.push(`${path}: must be an integer, got ${describeValue(input)}`);
        else lines.push(`${path}: expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(input)}`);
        break;
      case "too_small":
        if (issue.origin === "array") lines.push(`${path}: must not be empty`);
        else if (issue.origin === "string") lines.push(`${path}: must not be empty`);
        else lines.push(`${path}: must be ${issue.inclusive ? "≥" : ">"} ${issue.minimum}, got ${describeValue(input)}`);
        break;
      case "too_big":
        if (issue.origin === "string") lines.push(`${path}: must be at most ${issue.maximum} characters, got ${describeValue(input)}`);
        else lines.push(`${path}: must be ${issue.inclusive ? "≤" : "<"} ${issue.maximum}, got ${describeValue(input)}`);
        break;
      case "invalid_value":
        lines.push(`${path}: expected one of ${issue.values.map(String).join(", ")}, got ${describeValue(input)}`);
        break;
      case "invalid_union": {
        // A hyperparameter typed as a number that breaks its range: report the number branch.
        const numberBranch = issue.errors.find((errs) => errs.length > 0 && errs.every((e) => e.code !== "invalid_type"));
        // A mapping or list of the right shape with a bad field inside (a sweep range without `to`): report that field.
        const shapeBranch = issue.errors.find((errs) => errs.length > 0 && errs.every((e) => e.path.length > 0));
        if (typeof input === "number" && !Number.isFinite(input)) lines.push(`${path}: expected a finite number, got ${input}`);
        else if (shapeBranch) lines.push(...formatIssues(shapeBranch, schema, path));
        else if (numberBranch) lines.push(...formatIssues(numberBranch, schema, path));
        else if (typeof input === "boolean" || input === null || typeof input === "object")
          lines.push(`${path}: expected a number or a formula string, got ${describeValue(input)}`);
        else lines.push(`${path}: invalid value ${describeValue(input)}`);
        break;
      }
      case "invalid_format":
        lines.push(`${path}: ${issue.message}, got ${describeValue(input)}`);
        break;
      default:
        lines.push(`${path}: ${issue.message}`);
    }
  }
  return lines;
}
