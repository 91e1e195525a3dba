/** Stable run ids: a short hash of the resolved config (without its name). */
import { createHash } from "node:crypto";
import type { ResolvedConfig } from "../config/resolved.js";
import { stableStringify } from "../random/streams.js";

/**
 * 10 hex digits of the SHA-256 of the resolved config minus `name` and the
 * formula texts: equal settings give equal ids in any folder, whatever the order of runs.
 */
export function runId(cfg: ResolvedConfig): string {
  const { name: _name, formulas: _formulas, ...rest } = cfg;
  return createHash("sha256").update(stableStringify(rest)).digest("hex").slice(0, 10);
}
