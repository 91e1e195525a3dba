/** `prune-sense check DIR CLAIMS.yaml`: a user's own claims over a results folder, PASS/FAIL per claim. */
import type { Command } from "commander";
import { checkClaims, checkJson } from "../../check/index.js";
import type { Io } from "../io.js";

export function registerCheck(program: Command, io: Io): void {
  program
    .command("check")
    .description("check the claims of a claims file over a results folder (or a folder of them, e.g. reproduce's --out): PASS/FAIL per claim, exit 1 on any FAIL")
    .argument("<dir>", "a results folder with a summary.csv, or a folder of such folders")
    .argument("<file>", "the claims file (YAML or JSON; see docs/check.md, and `prune-sense schema --claims` for editors)")
    .option("--json", "print the verdicts as JSON (per claim: status, measured, per group: value, interval, exceptions)")
    .addHelpText(
      "after",
      `
Exit codes: 0 every claim holds (or fails only as a known finding), 1 a claim fails, 2 a bad claims file or folder.

Examples:
  $ prune-sense check results/paper configs/claims/paper.yaml
  $ prune-sense check results/sweep my-claims.yaml --json | jq '.claims[] | select(.status == "FAIL")'`,
    )
    .action((dir: string, claimsFile: string, opts: { json?: boolean }) => {
      const result = checkClaims(dir, claimsFile);
      if (result.unreadable.length) {
        io.warn(`${result.unreadable.length} run${result.unreadable.length === 1 ? "" : "s"} without a readable result.json (only their summary.csv columns are known): ${result.unreadable.slice(0, 5).join(", ")}${result.unreadable.length > 5 ? ", …" : ""}`);
      }
      const width = Math.max(...result.outcomes.map((o) => o.claim.id.length));
      if (opts.json) io.out(JSON.stringify(checkJson(result), null, 2));
      else {
        for (const o of result.outcomes) {
          io.out(`${o.holds ? "PASS" : "FAIL"}  ${o.claim.id.padEnd(width)}  ${o.measured}`);
          if (o.claim.finding !== undefined && !o.holds) io.out(`      ${" ".repeat(width)}  known finding: ${o.claim.finding}`);
        }
      }
      const failed = result.outcomes.filter((o) => !o.holds);
      // a claim known to fail (finding:) reads FAIL but does not fail the check, as reproduce's findings
      const unexpected = failed.filter((o) => o.claim.finding === undefined).length;
      const known = failed.length - unexpected;
      io.info(`${result.outcomes.length - failed.length} of ${result.outcomes.length} claims hold${known ? ` (${known} failing as a known finding)` : ""} (${claimsFile} over ${dir})`);
      if (unexpected) io.setExitCode(1);
    });
}
