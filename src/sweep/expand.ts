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
import type { Scalar } from "../config/resolved.js";
import { parse as parseYaml } from "yaml";
import { ConfigError, UsageError } from "../errors.js";
import { describeValue, keyForMessage, suggest } from "../config/issues.js";
import { DEFAULT_MAX_RUNS } from "./limits.js";
import { cloneJson, setPath, settablePaths } from "./paths.js";


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

/**
 * Values of a range, rounded to 12 significant digits so 0.1·3 prints as 0.3.
 * `num` is checked against `maxValues` before anything is allocated.
 */
export function rangeValues(spec: RangeSpec, where: string, maxValues = DEFAULT_MAX_RUNS): number[] {
  const { from, to, num, scale = "linear", integer = false } = spec;
  if (scale === "log" && (from <= 0 || to <= 0)) throw new ConfigError(`${where}: a log range needs from > 0 and to > 0, got from ${from}, to ${to}`);
  if (num > maxValues) throw new ConfigError(`${where}: num ${num} is over the limit of ${maxValues} runs per sweep (--max-runs)`);
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
  const shown = keyForMessage(key);
  return `${where.replace(key, shown)}: unknown key ${shown}${hint ? ` (did you mean ${hint}?)` : ""}`;
}

/** Axes of a `sweep:` block (already shape-checked by the config schema). */
export function sweepAxes(sweep: Record<string, unknown> | undefined, maxRuns = DEFAULT_MAX_RUNS): Axis[] {
  if (!sweep) return [];
  const known = settablePaths();
  const errors: string[] = [];
  const axes: Axis[] = [];
  for (const [key, spec] of Object.entries(sweep)) {
    if (key === "zip") {
      if (!Array.isArray(spec)) {
        errors.push("sweep.zip: expected a list of groups, e.g. zip: [{ problem.n: [500, 2000], train.steps: [2000, 4000] }]");
        continue;
      }
      (spec as Array<Record<string, Scalar[]>>).forEach((group, g) => {
        const where = `sweep.zip[${g}]`;
        if (group === null || typeof group !== "object" || Array.isArray(group)) {
          errors.push(`${where}: expected a mapping of key → list, got ${describeValue(group)}`);
          return;
        }
        const keys = Object.keys(group);
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
    if (Array.isArray(spec) && spec.length === 0) errors.push(`sweep.${key}: the list is empty (give at least one value, or remove the key)`);
    else if (Array.isArray(spec)) axes.push({ keys: [key], values: (spec as Scalar[]).map((v) => [v]) });
    else {
      try {
        axes.push({ keys: [key], values: rangeValues(spec as RangeSpec, `sweep.${key}`, maxRuns).map((v) => [v]) });
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

/**
 * A parsed `--set key=value` (a single value, or a comma list that becomes an
 * axis) or `--unset key` / `--set key=null` (`unset`, no values): the key is
 * removed, so its default applies or the option is off.
 */

export interface Override {
  key: string;
  values: Scalar[];
  unset?: boolean;
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

/** Whether `key` names a section holding settable keys (e.g. train.perturb, prune): --unset accepts those too. */
function isSection(key: string, known: readonly string[]): boolean {
  return known.some((k) => k.startsWith(`${key}.`));
}

/** A --set value read as a YAML scalar (1e-3 is a number); text YAML cannot read ("<<: *a") stays text, for the field's check to refuse. */
function parseScalar(text: string): unknown {
  try {
    return parseYaml(text, { logLevel: "error" }); // "error": no process warning printed for a tag such as !!js/function
  } catch {
    return text;
  }
}

/**
 * Parse `--set` arguments: "train.lambda=0.1", "train.lambda=0,0.01,0.1", "train.beta=0.5*sigma_r",
 * "prune.threshold=null" (unsets it), and `--unset` keys ("train.perturb").
 * Values are read as YAML scalars (1e-3 is a number, text is a formula).
 * @throws {UsageError} for a missing "=", an unknown key, an empty value or null in a list.
 */
export function parseOverrides(args: readonly string[], unsets: readonly string[] = []): Override[] {
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
    const parts = splitTopLevel(raw).map((p) => p.trim());
    const values = parts.map((p) => (p === "" ? p : parseScalar(p)));
    if (values.length === 1 && values[0] === null) {
      const e = known.includes(key) || isSection(key, known) ? null : checkKey(key, `--set ${key}`, known);
      if (e) errors.push(e);
      else out.push({ key, values: [], unset: true });
      continue;
    }
    const e = checkKey(key, `--set ${key}`, known);
    if (e) {
      errors.push(e);
      continue;
    }
    if (parts.some((p) => p === "")) {
      errors.push(`--set ${key}: empty value in "${raw}"`);
      continue;
    }
    if (values.some((v) => v === null)) {
      errors.push(`--set ${key}: null cannot be one of several values; unset the key with --unset ${key}`);
      continue;
    }
    const typed = values.map((v, i) => (typeof v === "number" || typeof v === "boolean" ? v : parts[i]));
    const huge = typed.find((v) => typeof v === "number" && !Number.isFinite(v));
    if (huge !== undefined) {
      errors.push(`--set ${key}: ${parts[typed.indexOf(huge)]} is not a finite number`);
      continue;
    }
    out.push({ key, values: typed });
  }
  // --unset applies before every --set, so `--unset train.perturb --set train.perturb.radius=1e-3` starts a fresh block
  const unset: Override[] = [];
  for (const key of unsets) {
    const e = known.includes(key) || isSection(key, known) ? null : checkKey(key, `--unset ${key}`, known);
    if (e) errors.push(e);
    else unset.push({ key, values: [], unset: true });
  }
  if (errors.length) throw new UsageError(errors);
  return [...unset, ...out];
}

/**
 * Sections whose keys are alternatives, one at a time (the prune rule: threshold,
 * relative_threshold, …): setting one of them from a sweep or --set replaces
 * the others, so `--set prune.relative_threshold=0.1` works on a config that
 * gives `prune.threshold`.
 */
export const ONE_OF_SECTIONS: readonly string[] = ["prune"];

/** The one-of section `key` sits directly in, or null. */
function oneOfSection(key: string): string | null {
  const section = key.split(".").slice(0, -1).join(".");
  return ONE_OF_SECTIONS.includes(section) ? section : null;
}

/** Set `key` to `value` in a written config, dropping the alternatives of a one-of section. */
function setChoice(obj: Record<string, unknown>, key: string, value: unknown): void {
  const section = oneOfSection(key);
  if (section !== null) {
    const holder = getPath(obj, section);
    if (holder !== null && typeof holder === "object" && !Array.isArray(holder)) {
      for (const sibling of Object.keys(holder)) if (`${section}.${sibling}` !== key) delete (holder as Record<string, unknown>)[sibling];
    }
  }
  setPath(obj, key, value);
}

/** The value at a dotted path, or undefined. */
function getPath(obj: Record<string, unknown>, path: string): unknown {
  let node: unknown = obj;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Remove a dotted path (a leaf or a whole section) from a written config. */
function deletePath(obj: Record<string, unknown>, path: string): void {
  const keys = path.split(".");
  const holder = getPath(obj, keys.slice(0, -1).join("."));
  const parent = keys.length === 1 ? obj : holder;
  if (parent !== null && typeof parent === "object" && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[keys[keys.length - 1]];
}

/** Whether an override touches `key` (the key itself, or a section holding it). */
function touches(o: Override, key: string): boolean {
  return o.key === key || (o.unset === true && key.startsWith(`${o.key}.`));
}

/**
 * Apply overrides to the base config and the sweep axes. A single value sets
 * the base and drops the key's axis; a list replaces or adds an axis; an unset
 * removes the key and its axis. A zipped group is overridden key by key only
 * when every key of the group is given: all single values (or unsets) drop the
 * group, lists of one length replace it.
 * @throws {UsageError} when only part of a zipped group is given, or its lists differ in length.
 */
function applyOverrides(base: Record<string, unknown>, axes: Axis[], overrides: readonly Override[]): Axis[] {
  let out = [...axes];
  for (const axis of axes.filter((a) => a.keys.length > 1)) {
    const given = axis.keys.map((k) => overrides.filter((o) => touches(o, k)).pop());
    if (given.every((o) => o === undefined)) continue;
    const missing = axis.keys.filter((_, i) => given[i] === undefined);
    if (missing.length) {
      const first = overrides.find((o) => axis.keys.some((k) => touches(o, k)))!;
      throw new UsageError(
        `--set ${first.key}: zipped with ${axis.keys.filter((k) => !touches(first, k)).join(", ")} in the sweep; ` +
          `give every key of the group (also ${missing.join(", ")}) to override it`,
      );
    }
    const lengths = given.map((o) => (o!.unset ? 1 : o!.values.length));
    if (lengths.every((n) => n === 1)) {
      out = out.filter((a) => a !== axis);
      continue;
    }
    if (new Set(lengths).size > 1) {
      throw new UsageError(`--set ${axis.keys.join(", ")}: zipped keys need lists of one length (${axis.keys.map((k, i) => `${k} has ${lengths[i]}`).join(", ")})`);
    }
    const values = given[0]!.values.map((_, i) => given.map((o) => o!.values[i]));
    out = out.map((a) => (a === axis ? { keys: axis.keys, values } : a));
  }
  const zipped = new Set(out.filter((a) => a.keys.length > 1).flatMap((a) => a.keys));
  for (const o of overrides) {
    if (o.unset) {
      deletePath(base, o.key);
      out = out.filter((a) => a.keys.length > 1 || !touches(o, a.keys[0]));
    } else if (o.values.length === 1) {
      setChoice(base, o.key, o.values[0]);
      out = out.filter((a) => a.keys.length > 1 || a.keys[0] !== o.key);
    } else if (!zipped.has(o.key)) {
      const axis: Axis = { keys: [o.key], values: o.values.map((v) => [v]) };
      const existing = out.findIndex((a) => a.keys[0] === o.key && a.keys.length === 1);
      if (existing >= 0) out[existing] = axis;
      else out.push(axis);
    }
  }
  const bySection = new Map<string, string[]>();
  for (const key of out.flatMap((a) => a.keys)) {
    const section = oneOfSection(key);
    if (section !== null) bySection.set(section, [...(bySection.get(section) ?? []), key]);
  }
  for (const keys of bySection.values()) {
    if (keys.length > 1) throw new ConfigError(`sweep: ${keys.join(" and ")} are alternatives (one applies at a time); sweep one of them`);
  }
  return out;
}

/**
 * Expand a written config into runs. Single-valued overrides are applied to the
 * base; multi-valued ones replace the sweep axis of the same key or are appended.
 * @example expandRuns({ sweep: { seed: [1, 2] } }, []).plans.length // → 2
 */
export function expandRuns(written: Record<string, unknown>, overrides: readonly Override[], maxRuns = DEFAULT_MAX_RUNS): Expansion {
  const base = cloneJson(written);
  const sweep = base.sweep;
  delete base.sweep;
  const axes = applyOverrides(base, sweepAxes(sweep as Record<string, unknown> | undefined, maxRuns), overrides);
  const sweptKeys = axes.flatMap((a) => a.keys);
  const plans: RunPlan[] = [];
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  // counted before any run is made: a 1e9-run sweep is refused, not allocated
  if (total > maxRuns) {
    const sizes = axes.map((a) => `${a.keys.join("+")}: ${a.values.length}`).join(" × ");
    throw new ConfigError(`sweep: ${total} runs (${sizes}) is over the limit of ${maxRuns} runs (--max-runs)`);
  }
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
        setChoice(written1, k, v);
      });
    });
    plans.push({ index, swept, written: written1 });
  }
  return { plans, sweptKeys };
}
