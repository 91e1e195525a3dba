/**
 * Dotted paths into a config ("train.lambda"): which ones exist, and reading and
 * writing them in a plain object.
 */
import type * as z from "zod";
import { writtenConfigSchema } from "../config/schema.js";

type Shape = Record<string, z.ZodType>;

function unwrap(s: unknown): unknown {
  while (s && typeof s === "object" && !("shape" in s) && "unwrap" in s) s = (s as { unwrap(): unknown }).unwrap();
  return s;
}

/** Every leaf path a config may set, e.g. "train.perturb.radius" (not `sweep`, `name` or `$schema`). */
export function settablePaths(): string[] {
  const out: string[] = [];
  const walk = (shape: Shape, prefix: string): void => {
    for (const [key, child] of Object.entries(shape)) {
      if (prefix === "" && ["sweep", "$schema", "name", "plugins", "plugin_hashes"].includes(key)) continue;
      const inner = unwrap(child) as { shape?: Shape };
      if (inner && inner.shape) walk(inner.shape, `${prefix}${key}.`);
      else out.push(`${prefix}${key}`);
    }
  };
  walk((unwrap(writtenConfigSchema()) as { shape: Shape }).shape, "");
  return out;
}

/** Set `path` in `obj` (mutating), creating intermediate mappings. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = obj;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** Deep copy of a JSON-like value. */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
