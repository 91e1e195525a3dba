/**
 * A plug-in's parameters, declared without any dependency in the plug-in:
 *   params: { gamma: { type: "number", min: 1, exclusiveMin: true, default: 3, description: "…" } }
 * Each becomes a zod number schema in config/ (config/plugin-fields.ts: `validate` reports a
 * bad value like any other field, one line with its key path) and a JSON Schema (`schema`
 * lists it). This file needs no zod: the sweep workers load plug-ins through it, and zod is a
 * fifth of a worker's start-up (docs/speed.md).
 */

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
      if (!withinBounds(s as unknown as ParamSpec, s.default as number)) out.push(`${at}.default: ${s.default} breaks its own bounds`);
    }
  }
  return out;
}

/**
 * Whether a finite number meets a parameter's bounds, as config/plugin-fields.ts paramSchema
 * checks a config's value (an integer is a safe integer there too; a test compares the two).
 */
export function withinBounds(spec: ParamSpec, value: number): boolean {
  if (spec.integer && !Number.isSafeInteger(value)) return false;
  if (spec.min !== undefined && (spec.exclusiveMin ? !(value > spec.min) : !(value >= spec.min))) return false;
  if (spec.max !== undefined && (spec.exclusiveMax ? !(value < spec.max) : !(value <= spec.max))) return false;
  return true;
}

/** "gamma > 1, default 3: concavity" — the parameter for descriptions. */
export function describeParam(name: string, spec: ParamSpec): string {
  const bounds = [
    spec.min !== undefined ? `${spec.exclusiveMin ? ">" : "≥"} ${spec.min}` : "",
    spec.max !== undefined ? `${spec.exclusiveMax ? "<" : "≤"} ${spec.max}` : "",
  ].filter(Boolean).join(", ");
  return `${name}${bounds ? ` ${bounds}` : ""}${spec.integer ? " (integer)" : ""}, default ${spec.default}${spec.description ? `: ${spec.description}` : ""}`;
}
