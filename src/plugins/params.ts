/**
 * A plug-in's parameters, declared without any dependency in the plug-in:
 *   params: { gamma: { type: "number", min: 1, exclusiveMin: true, default: 3, description: "…" } }
 * Each becomes a zod number schema (so `validate` reports a bad value like any
 * other field, one line with its key path) and a JSON Schema (`schema` lists it).
 */
import * as z from "zod";

/** One numeric parameter of a plug-in kind. */
export interface ParamSpec {
  type: "number";
  /** Bounds (inclusive unless exclusiveMin / exclusiveMax). */
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  integer?: boolean;
  /** The value when a config leaves it out. */
  default: number;
  description?: string;
}

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** Keys a ParamSpec may have. */
const SPEC_KEYS = ["type", "min", "max", "exclusiveMin", "exclusiveMax", "integer", "default", "description"];

/**
 * The problems of a `params` declaration, one line each (empty when it is valid). `where` names it;
 * `reserved` are the block's own keys, which no parameter may take.
 */
export function paramSpecProblems(params: unknown, where: string, reserved: readonly string[]): string[] {
  if (params === undefined) return [];
  if (params === null || typeof params !== "object" || Array.isArray(params)) return [`${where}.params: expected a mapping of parameter names to { type: "number", default, … }`];
  const out: string[] = [];
  for (const [name, spec] of Object.entries(params as Record<string, unknown>)) {
    const at = `${where}.params.${name}`;
    if (!/^[a-z][a-z0-9_]*$/.test(name)) out.push(`${at}: a parameter name is lower-case letters, digits and '_', starting with a letter`);
    else if (reserved.includes(name)) out.push(`${at}: ${name} is a key of the block itself; name the parameter otherwise`);
    if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
      out.push(`${at}: expected { type: "number", default, … }`);
      continue;
    }
    const s = spec as Record<string, unknown>;
    const unknown = Object.keys(s).filter((k) => !SPEC_KEYS.includes(k));
    if (unknown.length) out.push(`${at}: unknown key ${unknown[0]} (expected ${SPEC_KEYS.join(", ")})`);
    if (s.type !== "number") out.push(`${at}.type: must be "number"`);
    for (const key of ["min", "max", "default"]) {
      if (s[key] !== undefined && (typeof s[key] !== "number" || !Number.isFinite(s[key]))) out.push(`${at}.${key}: must be a finite number`);
    }
    if (s.default === undefined) out.push(`${at}.default: required`);
    for (const key of ["exclusiveMin", "exclusiveMax", "integer"]) {
      if (s[key] !== undefined && typeof s[key] !== "boolean") out.push(`${at}.${key}: must be true or false`);
    }
    if (s.description !== undefined && typeof s.description !== "string") out.push(`${at}.description: must be a string`);
    if (out.length === 0) {
      const check = paramSchema(s as unknown as ParamSpec).safeParse(s.default);
      if (!check.success) out.push(`${at}.default: ${s.default} breaks its own bounds`);
    }
  }
  return out;
}

/** The zod schema of one parameter's resolved value. */
export function paramSchema(spec: ParamSpec): z.ZodNumber {
  let s = spec.integer ? z.number().int() : z.number();
  if (spec.min !== undefined) s = spec.exclusiveMin ? s.gt(spec.min) : s.gte(spec.min);
  if (spec.max !== undefined) s = spec.exclusiveMax ? s.lt(spec.max) : s.lte(spec.max);
  return s;
}

/** "gamma > 1, default 3: concavity" — the parameter for descriptions. */
export function describeParam(name: string, spec: ParamSpec): string {
  const bounds = [
    spec.min !== undefined ? `${spec.exclusiveMin ? ">" : "≥"} ${spec.min}` : "",
    spec.max !== undefined ? `${spec.exclusiveMax ? "<" : "≤"} ${spec.max}` : "",
  ].filter(Boolean).join(", ");
  return `${name}${bounds ? ` ${bounds}` : ""}${spec.integer ? " (integer)" : ""}, default ${spec.default}${spec.description ? `: ${spec.description}` : ""}`;
}
