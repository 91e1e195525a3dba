/** `prune-sense init [DIR]`: a starter config to edit, from the installed package's bundled configs. */
import type { Command } from "commander";
import { ensureWritableDir } from "../../output/atomic.js";
import { bundledConfigNames, writeStarterConfig } from "../starter.js";
import type { Io } from "../io.js";

export function registerInit(program: Command, io: Io): void {
  program
    .command("init")
    .description("write a starter config (a copy of a bundled one, its $schema line pointing at the installed schema)")
    .argument("[dir]", "folder to write it into (created if missing)", ".")
    .option("--from <name>", "which bundled config to copy (listed below)", "default")
    .option("-f, --force", "overwrite the file if it exists")
    .addHelpText(
      "after",
      () => `
Bundled configs: ${bundledConfigNames().join(", ")}

Examples:
  $ prune-sense init                                # → ./default.yaml
  $ prune-sense init experiments --from quadratic-net
  $ prune-sense run default.yaml`,
    )
    .action((dir: string, opts: { from: string; force?: boolean }) => {
      // one line for /proc, a file or a read-only folder (Node's recursive mkdir never returns under /proc)
      ensureWritableDir(dir, "the config");
      const path = writeStarterConfig(dir, { from: opts.from, force: opts.force });
      io.out(path);
      io.info(`edit it, then: prune-sense run ${path}`);
    });
}
