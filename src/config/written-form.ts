/**
 * A resolved config written back as a config file: what `validate` prints and
 * what each run saves as config.json. It must load again and re-create the
 * same run (same run id, same CSVs), so absent options are omitted (the
 * loader rejects null where a number or a mapping goes) and the formula texts
 * travel under `formulas:`, which the loader accepts and checks against the
 * resolved numbers beside them.
 */
import type { ResolvedConfig } from "./resolved.js";

/** A copy without null/undefined fields, recursively; empty mappings left by that are dropped too. */
function withoutNulls(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === null || child === undefined) continue;
    const kept = withoutNulls(child);
    if (kept !== null && typeof kept === "object" && !Array.isArray(kept) && Object.keys(kept).length === 0) continue;
    out[key] = kept;
  }
  return out;
}

/**
 * The config file form of a resolved config: every field a number (formulas
 * evaluated), their texts under `formulas` (omitted when there are none),
 * unset options left out.
 * @example writtenForm(resolved).train.perturb // undefined when perturbed GD is off
 */
export function writtenForm(config: ResolvedConfig): Record<string, unknown> {
  return withoutNulls(config) as Record<string, unknown>;
}
