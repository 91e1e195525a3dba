/** `prune-sense plot DIR`: figures (SVG, PNG and the Vega-Lite spec) from a results folder. */
import type { Command } from "commander";
import type { Io } from "../io.js";

export function registerPlot(program: Command, io: Io): void {
  program
    .command("plot")
    .description("draw the figures of a results folder (SVG, PNG, and each Vega-Lite spec to restyle)")
    .argument("<dir>", "a results folder written by `prune-sense run`")
    .option("-o, --out <dir>", "folder for the figures (default: DIR/figures)")
    .option("--no-png", "write SVG and specs only")
    .addHelpText("after", "\nExamples:\n  $ prune-sense plot results/default\n  $ prune-sense plot results/sweep-k-lambda-eps --out figs --no-png")
    .action(async (dir: string, opts: { out?: string; png: boolean }) => {
      // Vega and resvg load in ~0.3 s: only when plotting
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { plotResults } = await import("../../figures/index.js");
      const files = await plotResults(dir, { outDir: opts.out, png: opts.png });
      for (const f of files) io.out(f.png || f.svg);
      if (files.length === 0) io.warn(`${dir}: no figure applies to these runs`);
    });
}
