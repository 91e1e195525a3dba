/** Running a kind's shared checks (src/conformance/) as vitest cases: one case per check. */
import { expect, it } from "vitest";
import { runCheck, type Check } from "../../src/conformance/index.js";

export function itChecks(checks: readonly Check[]): void {
  it.each(checks.map((c) => [c.name, c] as const))("%s", (_name, check) => {
    const got = runCheck(check);
    expect(got.pass, got.detail).toBe(true);
  });
}
