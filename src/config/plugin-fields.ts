/**
 * The parts of resolving a config that plug-ins add (src/plugins/): a plug-in
 * kind's own parameters in its block (defaults filled, bounds checked, another
 * kind's dropped with a warning), and the content hash of each plug-in a run uses.
 */
import * as z from "zod";
import type { Category } from "../plugins/define.js";
import { pluginKindsOf, pluginOf, pluginParams } from "../plugins/load.js";
import type { ParamSpec } from "../plugins/params.js";
import { formatIssues } from "./issues.js";

/** The zod schema of one plug-in parameter's resolved value. */
export function paramSchema(spec: ParamSpec): z.ZodNumber {
  let s = spec.integer ? z.number().int() : z.number();
  if (spec.min !== undefined) s = spec.exclusiveMin ? s.gt(spec.min) : s.gte(spec.min);
  if (spec.max !== undefined) s = spec.exclusiveMax ? s.lt(spec.max) : s.lte(spec.max);
  return s;
}

/**
 * Fill and check a plug-in kind's parameters in `block` (mutated): defaults for the absent
 * ones, each value against its declared bounds. With `warnings`, parameters of other
 * plug-in kinds of the category are dropped with a warning (a sweep over kinds shares one block).
 * @returns the error lines.
 */
export function pluginParamIssues(category: Category, block: Record<string, unknown>, path: string, warnings: string[] | null): string[] {
  const kind = typeof block.kind === "string" ? block.kind : "";
  const own = pluginParams(category, kind) ?? {};
  if (warnings) {
    for (const [other, params] of pluginKindsOf(category)) {
      if (other === kind) continue;
      for (const name of Object.keys(params)) {
        if (block[name] === undefined || name in own) continue;
        warnings.push(`${path}.${name}: a parameter of ${category} ${other}, not of ${kind}, ignored`);
        delete block[name];
      }
    }
  }
  const errors: string[] = [];
  for (const [name, spec] of Object.entries(own)) {
    block[name] ??= spec.default;
    const schema = paramSchema(spec);
    const check = schema.safeParse(block[name], { reportInput: true });
    if (!check.success) errors.push(...formatIssues(check.error.issues, schema as z.ZodType, `${path}.${name}`));
  }
  return errors;
}

/** The key of the one rule a merged `prune:` block gives (the key holding a value), if any. */
export function activePruneKey(prune: Record<string, unknown>): string | undefined {
  return Object.keys(prune).find((key) => prune[key] !== null && prune[key] !== undefined);
}

/**
 * The SHA-256 of the plug-in behind each plug-in kind used, by "category:kind" (keys sorted),
 * or undefined when all are built-ins. `given` is a saved config's plugin_hashes: each entry
 * must match the plug-in loaded now (an error line otherwise), so a saved config never
 * silently re-runs with other code.
 */
export function pluginHashes(
  used: { problem: string; penalty: string; optimizer: readonly string[]; prune: string | undefined },
  given: unknown, errors: string[],
): Record<string, string> | undefined {
  const pairs: Array<[Category, string | undefined]> = [
    ["problem", used.problem], ["penalty", used.penalty], ...used.optimizer.map((k): [Category, string] => ["optimizer", k]), ["prune", used.prune],
  ];
  const hashes: Record<string, string> = {};
  for (const [category, kind] of pairs) {
    const plugin = kind === undefined ? undefined : pluginOf(category, kind);
    if (plugin) hashes[`${category}:${kind}`] = plugin.sha256;
  }
  const saved = given !== null && typeof given === "object" && !Array.isArray(given) ? (given as Record<string, unknown>) : {};
  for (const [key, hash] of Object.entries(saved)) {
    if (typeof hash !== "string") continue; // a shape error, reported already
    const now = hashes[key];
    if (now === undefined) errors.push(`plugin_hashes.${key}: this run uses no plug-in ${key} (load the plug-in with --plugin or plugins:, or remove the entry)`);
    else if (now !== hash) {
      errors.push(`plugin_hashes.${key}: the plug-in loaded for it has sha256 ${now.slice(0, 12)}…, this config was saved with ${hash.slice(0, 12)}… (the plug-in changed; remove plugin_hashes to run the new code)`);
    }
  }
  const keys = Object.keys(hashes).sort();
  return keys.length ? Object.fromEntries(keys.map((k) => [k, hashes[k]])) : undefined;
}
