/** `prune-sense plot DIR`: figures (SVG, PNG and the Vega-Lite spec) from a results folder. */
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ensureWritableDir } from "../../output/atomic.js";
import { collect, type Io } from "../io.js";

export function registerPlot(program: Command, io: Io): void {
  program
    .command("plot")
    .description("draw the figures of a results folder (SVG, PNG, and each Vega-Lite spec to restyle)")
    .argument("<dir>", "a results folder written by `prune-sense run`")
    .option("-o, --out <dir>", "folder for the figures (default: DIR/figures); figures an earlier plot wrote there are replaced")
    .option("--no-png", "write SVG and specs only")
    .option("-w, --where <key=value>", "single-run figures (column norms, trace) show runs with this value: a summary.csv column or a config path (repeatable)", collect, [])
    .option("-r, --run <id>", "single-run figures show this run")
    .addHelpText(
      "after",
      `
Single-run figures show, by default, among finished runs: the smallest seed, then the widest k
(one regularized and one λ = 0 run for the column norms); each figure's subtitle names the run.

Examples:
  $ prune-sense plot results/default
  $ prune-sense plot results/sweep-k-lambda-eps --out figs --no-png
  $ prune-sense plot results/sweep --where train.lambda=0.01 --where seed=2
  $ prune-sense plot results/sweep --run r3f0160742b`,
    )
    .action(async (dir: string, opts: { out?: string; png: boolean; where: string[]; run?: string }) => {
      // a file, a FIFO, /proc or a full disk as --out: one line before anything is drawn, or loaded
      // (a folder without runs is reported by plotResults, before any folder is made)
      if (existsSync(join(dir, "summary.csv"))) ensureWritableDir(opts.out ?? join(dir, "figures"), "figures");
      // Vega and resvg load in ~0.3 s: only when plotting
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { plotResults, parseWhere } = await import("../../figures/index.js");
      const selection = { where: parseWhere(opts.where), run: opts.run ?? null };
      const files = await plotResults(dir, { outDir: opts.out, png: opts.png, selection });
      for (const f of files) io.out(f.png || f.svg);
      if (files.length === 0) io.warn(`${dir}: no figure applies to these runs`);
    });
}
