/** `prune-sense status DIR`: how far the sweeps of a results folder have got (per sweep and shard). */
import type { Command } from "commander";
import { folderStatus, statusLines } from "../../inspect/status.js";
import type { Io } from "../io.js";

export function registerStatus(program: Command, io: Io): void {
  program
    .command("status")
    .description("count the runs of each sweep in a results folder: ok, diverged, failed, missing (per shard too); exit 1 while runs are missing")
    .argument("<dir>", "a results folder written by `prune-sense run` (one shard's or a shared one)")
    .option("--json", "print the counts as JSON (with the ids of missing runs)")
    .addHelpText("after", "\nExamples:\n  $ prune-sense status results/sweep-k-lambda-eps\n  $ prune-sense status /scratch/sweep --json | jq .sweeps[0].missing")
    .action((dir: string, opts: { json?: boolean }) => {
      const status = folderStatus(dir);
      if (opts.json) io.out(JSON.stringify(status, null, 2));
      else for (const line of statusLines(status)) io.out(line);
      if (!status.complete) io.setExitCode(1);
    });
}
