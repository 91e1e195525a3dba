/** `prune-sense merge DIR...`: join the shards of a sweep into one summary.csv. */
import type { Command } from "commander";
import { mergeResults } from "../../output/merge.js";
import type { Io } from "../io.js";

export function registerMerge(program: Command, io: Io): void {
  program
    .command("merge")
    .description("join the shards of a sweep, or several sweeps (one shared folder or several), into one summary.csv")
    .argument("<dirs...>", "results folders written by `run --shard I/N`")
    .option("-o, --out <dir>", "folder to merge into (default: the first)")
    .addHelpText("after", "\nExamples:\n  $ prune-sense merge results/sweep-k-lambda-eps\n  $ prune-sense merge shard1/ shard2/ --out results/sweep")
    .action((dirs: string[], opts: { out?: string }) => {
      const out = opts.out ?? dirs[0];
      const { records, missing } = mergeResults(dirs, out, (line) => io.warn(line));
      io.out(`${records.length} runs → ${out}/summary.csv`);
      if (missing.length) {
        io.warn(`${missing.length} run${missing.length === 1 ? " is" : "s are"} not complete yet: ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}`);
        io.setExitCode(1);
      }
    });
}
