/** `prune-sense status DIR`: how far the sweeps of a results folder have got (per sweep and shard). */
import type { Command } from "commander";
import { folderStatus, statusLines } from "../../inspect/status.js";
import { resultsFolders } from "../../inspect/sweeps.js";
import type { Io } from "../io.js";

export function registerStatus(program: Command, io: Io): void {
  program
    .command("status")
    .description("count the runs of each sweep in a results folder: ok, diverged, failed, missing (per shard too); exit 1 while runs are missing")
    .argument("<dir>", "a results folder written by `prune-sense run` (one shard's or a shared one), or a folder of them (`reproduce --out`)")
    .option("--json", "print the counts as JSON (with the ids of missing runs)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ prune-sense status results/sweep-k-lambda-eps\n  $ prune-sense status /scratch/sweep --json | jq .sweeps[0].missing\n  $ prune-sense status results/paper              # every config's folder of a reproduction",
    )
    .action((dir: string, opts: { json?: boolean }) => {
      const folders = resultsFolders(dir);
      const statuses = folders.map(folderStatus);
      const complete = statuses.every((s) => s.complete);
      if (folders.length === 1 && folders[0] === dir) {
        if (opts.json) io.out(JSON.stringify(statuses[0], null, 2));
        else for (const line of statusLines(statuses[0])) io.out(line);
      } else if (opts.json) {
        io.out(JSON.stringify({ dir, folders: statuses, complete }, null, 2));
      } else {
        // one block per results folder, headed by its path
        statuses.forEach((s, i) => {
          if (i > 0) io.out("");
          io.out(`${s.dir}:`);
          for (const line of statusLines(s)) io.out(`  ${line}`);
        });
      }
      if (!complete) io.setExitCode(1);
    });
}
