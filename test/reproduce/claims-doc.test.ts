/** docs/claims.md is generated: from the claims and the committed full reference run, never stale. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CLAIMS } from "../../src/reproduce/claims.js";
import { COULD_FAIL, claimsMarkdown, currentClaimsDoc } from "../../src/reproduce/claims-doc.js";

describe("docs/claims.md", () => {
  it("is what the claims and results/reference/reference.json generate (regenerate with writeClaimsDoc)", () => {
    expect(readFileSync(join(import.meta.dirname, "../../docs/claims.md"), "utf8")).toBe(currentClaimsDoc());
  });

  it("says for every claim where it could fail, and nothing for claims that do not exist", () => {
    for (const c of CLAIMS) expect(COULD_FAIL[c.id], c.id).toBeTruthy();
    expect(Object.keys(COULD_FAIL).sort()).toEqual(CLAIMS.map((c) => c.id).sort());
  });

  it("tables each claim's measured value and status, and marks the claims the reference did not run", () => {
    const md = claimsMarkdown(CLAIMS.slice(0, 2), { [CLAIMS[0].id]: { holds: false, measured: "a | b" } }, "then");
    expect(md).toContain(`| [${CLAIMS[0].id}](#${CLAIMS[0].id}) | ${CLAIMS[0].cites.join(", ")} | FAIL | a \\| b |`);
    expect(md).toContain(`| [${CLAIMS[1].id}](#${CLAIMS[1].id}) | ${CLAIMS[1].cites.join(", ")} | not run |  |`);
    expect(md).toContain("## Measured (full size, `results/reference/`, then)");
  });
});
