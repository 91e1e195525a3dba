/**
 * A reproduction's claims for the terminal: one line per claim, or JSON. The
 * claim's id is the same word as in REPORT.md and report.html (#claim-ID).
 */
import { relative } from "node:path";
import { figuresByClaim } from "./report.js";
import type { ClaimResult, Reproduction } from "./reproduction.js";

/** `PASS  exact-r (S2, S7)  matrix-sensing: …`: status, id, cited statements, what was measured. */
export function claimLine(c: ClaimResult): string {
  const known = !c.holds && c.claim.finding ? " [known finding, docs/claims.md]" : "";
  return `${c.holds ? "PASS" : "FAIL"}  ${`${c.claim.id} (${c.claim.cites.join(", ")})`.padEnd(30)} ${c.measured}${known}`;
}

export interface ClaimJson {
  id: string;
  cites: string[];
  config: string;
  statement: string;
  status: "PASS" | "FAIL";
  measured: string;
  /** What was found, for a claim known to fail. */
  finding?: string;
  thresholds: Array<{ value: string; why: string }>;
  /** The figures that show it, as paths relative to the output folder. */
  figures: string[];
}

/** What `reproduce --json` prints. */
export function claimsJson(r: Reproduction): { size: string; passed: number; claims: ClaimJson[]; report: string; html: string } {
  const { ofClaim } = figuresByClaim(r.configs, r.claims);
  const outDir = r.outDir;
  return {
    size: r.size,
    passed: r.claims.filter((c) => c.holds).length,
    claims: r.claims.map((c) => ({
      id: c.claim.id, cites: [...c.claim.cites], config: c.claim.config, statement: c.claim.statement,
      status: c.holds ? "PASS" : "FAIL", measured: c.measured, ...(c.claim.finding ? { finding: c.claim.finding } : {}), thresholds: c.claim.thresholds,
      figures: (ofClaim.get(c.claim.id) ?? []).map((f) => relative(outDir, f.figure.svg)),
    })),
    report: r.report,
    html: r.html,
  };
}
