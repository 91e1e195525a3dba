/**
 * Expanding a config with a `sweep:` block (and --set overrides) into the list of
 * runs. Pure: no I/O, no randomness; the runs come out in a fixed order (the
 * first axis varies slowest, like nested loops written in the config's order).
 *
 *   sweep:
 *     model.k: [10, 20, 40]                          # a list
 *     train.lambda: { from: 1e-3, to: 0.1, num: 3, scale: log }   # a range
 *     zip:                                           # groups varied together
 *       - { problem.n: [500, 2000], train.steps: [2000, 4000] }
 */
import { parse as parseYaml } from "yaml";
import { ConfigError, UsageError } from "../errors.js";
import { suggest } from "../config/issues.js";
import { cloneJson, overridePath, settablePaths } from "./paths.js";

export type Scalar = number | string | boolean;

/** One axis of the product: one key, or several zipped keys, with their value tuples. */
export interface Axis {
  keys: string[];
  values: Scalar[][];
}

/** One run of a sweep: its written config (sweep removed) and the swept values by key. */
export interface RunPlan {
  index: number;
  swept: Record<string, Scalar>;
  written: Record<string, unknown>;
}

export interface Expansion {
  plans: RunPlan[];
  /** Swept keys in column order. */
  sweptKeys: string[];
}

interface RangeSpec {
  from: number;
  to: number;
  num: number;
  scale?: "linear" | "log";
  integer?: boolean;
}

/** Values of a range, rounded to 12 significant digits so 0.1·3 prints as 0.3. */
export function rangeValues(spec: RangeSpec, where: string): number[] {
  const { from, to, num, scale = "linear", integer = false } = spec;
  if (scale === "log" && (from <= 0 || to <= 0)) throw new ConfigError(`${where}: a log range needs from > 0 and to > 0, got from ${from}, to ${to}`);
  const out: number[] = [];
  for (let i = 0; i < num; i++) {
    const f = i / (num - 1);
    let v = scale === "log" ? from * Math.pow(to / from, f) : from + f * (to - from);
    v = integer ? Math.round(v) : Number(v.toPrecision(12));
    out.push(v);
  }
  return out;
}

function checkKey(key: string, where: string, known: readonly string[]): string | null {
  if (known.includes(key)) return null;
  if (key === "name") return `${where}: name cannot be swept (it names the output folder)`;
  const hint = suggest(key, known);
  return `${where}: unknown key ${key}${hint ? ` (did you mean ${hint}?)` : ""}`;
}

/** Axes of a `sweep:` block (already shape-checked by the config schema). */
export function sweepAxes(sweep: Record<string, unknown> | undefined): Axis[] {
  if (!sweep) return [];
  const known = settablePaths();
  const errors: string[] = [];
  const axes: Axis[] = [];
  for (const [key, spec] of Object.entries(sweep)) {
    if (key === "zip") {
      (spec as Array<Record<string, Scalar[]>>).forEach((group, g) => {
        const keys = Object.keys(group);
        const where = `sweep.zip[${g}]`;
        keys.forEach((k) => {
          const e = checkKey(k, `${where}.${k}`, known);
          if (e) errors.push(e);
        });
        const lengths = keys.map((k) => group[k].length);
        if (new Set(lengths).size > 1) {
          errors.push(`${where}: lists must have equal lengths (${keys.map((k, i) => `${k} has ${lengths[i]}`).join(", ")})`);
          return;
        }
        if (keys.length === 0) return;
        axes.push({ keys, values: group[keys[0]].map((_, i) => keys.map((k) => group[k][i])) });
      });
      continue;
    }
    const e = checkKey(key, `sweep.${key}`, known);
    if (e) {
      errors.push(e);
      continue;
    }
    if (Array.isArray(spec)) axes.push({ keys: [key], values: (spec as Scalar[]).map((v) => [v]) });
    else {
      try {
        axes.push({ keys: [key], values: rangeValues(spec as RangeSpec, `sweep.${key}`).map((v) => [v]) });
      } catch (err) {
        errors.push(...(err as ConfigError).lines);
      }
    }
  }
  if (errors.length) throw new ConfigError(errors);
  const seen = new Set<string>();
  for (const axis of axes) {
    for (const k of axis.keys) {
      if (seen.has(k)) errors.push(`sweep.${k}: swept twice`);
      seen.add(k);
    }
  }
  if (errors.length) throw new ConfigError(errors);
  return axes;
}

/** A parsed `--set key=value`: a single value, or a list (comma-separated) that becomes an axis. */
export interface Override {
  key: string;
  values: Scalar[];
}

/** Split on commas outside parentheses/brackets, so "max(1, 2)" stays one formula. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(" || ch === "[") depth++;
    if (ch === ")" || ch === "]") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/**
 * Parse `--set` arguments: "train.lambda=0.1", "train.lambda=0,0.01,0.1", "train.beta=0.5*sigma_r".
 * Values are read as YAML scalars (1e-3 is a number, text is a formula).
 * @throws {UsageError} for a missing "=", an unknown key or an empty value.
 */
export function parseOverrides(args: readonly string[]): Override[] {
  const known = settablePaths();
  const errors: string[] = [];
  const out: Override[] = [];
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) {
      errors.push(`--set ${arg}: expected KEY=VALUE, e.g. --set train.lambda=0.1`);
      continue;
    }
    const key = arg.slice(0, eq).trim();
    const raw = arg.slice(eq + 1).trim();
    const e = checkKey(key, `--set ${key}`, known);
    if (e) {
      errors.push(e);
      continue;
    }
    const parts = splitTopLevel(raw).map((p) => p.trim());
    if (parts.some((p) => p === "")) {
      errors.push(`--set ${key}: empty value in "${raw}"`);
      continue;
    }
    const values = parts.map((p) => {
      const v: unknown = parseYaml(p);
      return typeof v === "number" || typeof v === "boolean" ? v : p;
    });
    out.push({ key, values });
  }
  if (errors.length) throw new UsageError(errors);
  return out;
}

/**
 * Expand a written config into runs. Single-valued overrides are applied to the
 * base; multi-valued ones replace the sweep axis of the same key or are appended.
 * @example expandRuns({ sweep: { seed: [1, 2] } }, []).plans.length // → 2
 */
export function expandRuns(written: Record<string, unknown>, overrides: readonly Override[]): Expansion {
  const base = cloneJson(written);
  const axes = sweepAxes(base.sweep as Record<string, unknown> | undefined);
  delete base.sweep;
  for (const o of overrides) {
    const existing = axes.findIndex((a) => a.keys.includes(o.key));
    if (o.values.length === 1) {
      overridePath(base, o.key, o.values[0]);
      if (existing >= 0) {
        const axis = axes[existing];
        if (axis.keys.length === 1) axes.splice(existing, 1);
        else throw new UsageError(`--set ${o.key}: this key is zipped with ${axis.keys.filter((k) => k !== o.key).join(", ")} in the sweep; set the whole group instead`);
      }
    } else {
      const axis: Axis = { keys: [o.key], values: o.values.map((v) => [v]) };
      if (existing >= 0 && axes[existing].keys.length === 1) axes[existing] = axis;
      else if (existing >= 0) throw new UsageError(`--set ${o.key}: this key is zipped with other keys in the sweep; edit the zip group instead`);
      else axes.push(axis);
    }
  }
  const sweptKeys = axes.flatMap((a) => a.keys);
  const plans: RunPlan[] = [];
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  for (let index = 0; index < total; index++) {
    const written1 = cloneJson(base);
    const swept: Record<string, Scalar> = {};
    // mixed-radix digits of `index`, last axis fastest
    let rest = index;
    const picks = new Array<number>(axes.length);
    for (let a = axes.length - 1; a >= 0; a--) {
      picks[a] = rest % axes[a].values.length;
      rest = Math.floor(rest / axes[a].values.length);
    }
    axes.forEach((axis, a) => {
      axis.keys.forEach((k, i) => {
        const v = axis.values[picks[a]][i];
        swept[k] = v;
        overridePath(written1, k, v);
      });
    });
    plans.push({ index, swept, written: written1 });
  }
  return { plans, sweptKeys };
}
