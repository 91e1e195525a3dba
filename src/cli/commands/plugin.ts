/** `prune-sense plugin test PATH…`: the shared checks of each kind a plug-in defines, PASS/FAIL per check. */
import type { Command } from "commander";
import { optimizerChecks, penaltyChecks, pruneRuleChecks, runCheck, solverChecks, type Check } from "../../conformance/index.js";
import { penaltyOf } from "../../methods/penalties/registry.js";
import { findPruneRule } from "../../methods/prune/registry.js";
import type { Category } from "../../plugins/define.js";
import { kindsOf, loadPlugins } from "../../plugins/load.js";
import { findSolver } from "../../solvers/registry.js";
import type { Io } from "../io.js";

/** The shared checks of a registered kind: the same ones the built-ins' test suites run. */
function checksOf(category: Category, kind: string): Check[] {
  if (category === "penalty") return penaltyChecks(penaltyOf(kind));
  if (category === "optimizer") return optimizerChecks(kind);
  if (category === "prune") return pruneRuleChecks(findPruneRule(kind)!);
  return solverChecks(findSolver(kind)!);
}

/** How the output names a category. */
const NAMES: Record<Category, string> = { penalty: "penalty", optimizer: "optimizer", prune: "prune rule", problem: "model" };

export function registerPlugin(program: Command, io: Io): void {
  const plugin = program.command("plugin").description("work with plug-ins (your own penalties, optimizers, pruning rules and models; docs/plugins.md)");
  plugin
    .command("test")
    .description("run the shared checks of each kind a plug-in defines (the built-ins' test suites): PASS/FAIL per check with the worst numbers, exit 1 on any FAIL")
    .argument("<path...>", "plug-in module files (.mjs)")
    .addHelpText(
      "after",
      `
Exit codes: 0 every check passes, 1 a check fails, 2 a plug-in cannot be loaded (missing, a syntax error, a bad definition).

Example:
  $ prune-sense plugin test examples/plugins/mcp.mjs`,
    )
    .action(async (paths: string[]) => {
      const refs = await loadPlugins(paths);
      let passed = 0;
      let failed = 0;
      for (const ref of refs) {
        io.out(`plug-in ${ref.path} (sha256 ${ref.sha256.slice(0, 12)}…)`);
        for (const [category, kind] of kindsOf(ref)) {
          io.out(`  ${NAMES[category]} ${kind}`);
          for (const check of checksOf(category, kind)) {
            const got = runCheck(check);
            if (got.pass) passed++;
            else failed++;
            io.out(`    ${got.pass ? "PASS" : "FAIL"}  ${check.name}: ${got.detail}`);
          }
        }
      }
      io.info(`${passed} of ${passed + failed} checks pass (${paths.join(", ")})`);
      if (failed) io.setExitCode(1);
    });
}
