/** `prune-sense reproduce`: run configs/paper/, plot, check the claims, write REPORT.md and report.html. */
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { REFERENCE_DIR } from "../../package/assets.js";
import { createProgressView, type ProgressView } from "../progress.js";
import { onInterrupt } from "../signals.js";
import { parsePositiveInt, type Io } from "../io.js";

export function registerReproduce(program: Command, io: Io): void {
  program
    .command("reproduce")
    .description("run configs/paper/ and configs/methods/, plot everything, and check the claims (REPORT.md, report.html)")
    .option("-o, --out <dir>", "output folder", "results/paper")
    .option("-q, --quick", "the small size used in CI (fewer seeds and sample sizes)")
    .option("-j, --jobs <n>", "runs at once on worker threads (default: number of CPUs)", parsePositiveInt("--jobs"))
    .option("--configs <dir>", "folder of claim configs (default: the bundled configs/paper/ and configs/methods/)")
    .option("--compare [dir]", "compare claims and figure data with a reference folder (exit 1 on drift; default: the reference shipped in the package)")
    .option("--update-reference <dir>", "write this run's claims and figure data into a reference folder")
    .option("--json", "print the claims as JSON (id, cited statements, config, status, measured, figures) instead of lines")
    .addHelpText(
      "after",
      `
Examples:
  $ prune-sense reproduce --quick
  $ prune-sense reproduce --out /tmp/paper --jobs 2
  $ prune-sense reproduce --quick --compare results/reference     # what CI runs
  $ prune-sense reproduce --quick --compare                       # against the package's own reference
  $ prune-sense reproduce --quick --json | jq '.claims[] | select(.status == "FAIL")'`,
    )
    .action(async (opts: { out: string; quick?: boolean; jobs?: number; configs?: string; compare?: string | true; updateReference?: string; json?: boolean }) => {
      // `--compare` alone: the reference outputs shipped in the package, so an install needs no clone
      const compareDir = opts.compare === true ? REFERENCE_DIR : opts.compare;
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { reproduce } = await import("../../reproduce/reproduce.js");
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { checkReferenceTarget, readReference, reproductionDigest, writeReference } = await import("../../reproduce/reference.js");
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { compareToReference, comparisonReport } = await import("../../reproduce/compare.js");
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { claimsJson, claimLine } = await import("../../reproduce/summary.js");
      // a missing or unreadable reference is a user error before any run starts
      const reference = compareDir ? readReference(compareDir, opts.quick ? "quick" : "full") : null;
      // and a reference.json that could not be replaced (a FIFO, a device, a link)
      if (opts.updateReference) checkReferenceTarget(opts.updateReference);
      // Ctrl-C: as for `run`, restore the terminal and say how to resume (the sweeps run on workers)
      let view: ProgressView | undefined;
      const stopListening = onInterrupt((signal) => {
        view?.stop();
        io.warn(`interrupted (${signal}): completed runs are kept in ${opts.out}; run the same command again to resume`);
      });
      let result;
      try {
        result = await reproduce({
          outDir: opts.out,
          quick: Boolean(opts.quick),
          jobs: opts.jobs ?? availableParallelism(),
          configsDir: opts.configs,
          progress: (_name, runs) => (view = createProgressView(runs)),
          onLine: (line) => io.info(line),
          command: ["prune-sense", ...process.argv.slice(2)].join(" "),
        });
      } finally {
        stopListening();
      }
      if (opts.json) io.out(JSON.stringify(claimsJson(result), null, 2));
      else {
        for (const c of result.claims) io.out(claimLine(c));
        io.out(`report: ${result.report} (and ${result.html})`);
      }
      // a claim known to fail (a finding, docs/claims.md) reads FAIL but does not fail the command; --compare flags any change
      if (result.claims.some((c) => !c.holds && !c.claim.finding)) io.setExitCode(1);
      if (reference && compareDir) {
        const report = comparisonReport(compareToReference(reference, reproductionDigest(result)), compareDir);
        for (const line of report.out) io.out(line);
        for (const line of report.warnings) io.warn(line);
        if (report.drifted) io.setExitCode(1);
      }
      if (opts.updateReference) for (const file of writeReference(opts.updateReference, result)) io.info(`wrote ${file}`);
    });
}
