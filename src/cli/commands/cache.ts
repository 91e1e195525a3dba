/** `prune-sense cache [clear]`: where the data/moments cache is, how big, and emptying it. */
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import type { Io } from "../io.js";

const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

export function registerCache(program: Command, io: Io): void {
  program
    .command("cache")
    .description("show the data/moments cache (folder, files, size) or clear it")
    .argument("[action]", "`clear` deletes every cached data set (and killed writers' temp files)")
    .addHelpText(
      "after",
      `
Runs keep each data set's measurements and second moments in $XDG_CACHE_HOME/prune-sense
(default ~/.cache/prune-sense), so a later run on the same data skips building them.
Least recently used files go past PRUNE_SENSE_CACHE_MAX_BYTES (default 2G; a size as for
--max-memory, e.g. 512M); \`run --no-cache\` (or PRUNE_SENSE_CACHE=off) neither reads nor writes it.
\`clear\` also removes the temp files of writers that were killed.

Examples:
  $ prune-sense cache
  $ prune-sense cache clear`,
    )
    .action(async (action: string | undefined) => {
      if (action !== undefined && action !== "clear") throw new UsageError(`cache: unknown action "${action}" (expected: clear, or nothing)`);
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { openArrayStore } = await import("../../cache/store.js");
      const store = openArrayStore();
      if (action === "clear") {
        const { removed, liveTemps } = store.clear();
        const left = liveTemps ? `; ${liveTemps} temp file${liveTemps === 1 ? "" : "s"} of running writers left to them` : "";
        io.out(`cleared ${removed} file${removed === 1 ? "" : "s"} from ${store.dir}${left}`);
        return;
      }
      const s = store.stats();
      // temp files count: a killed writer's take room until `cache clear` (or the next write) removes them
      const temps = s.temps
        ? `, including ${s.temps} temp file${s.temps === 1 ? "" : "s"} (${mb(s.tempBytes)}${s.goneTemps ? `, ${s.goneTemps} of killed writers: \`cache clear\` removes ${s.goneTemps === 1 ? "it" : "them"}` : ", being written"})`
        : "";
      io.out(`${s.dir}: ${s.files} data set${s.files === 1 ? "" : "s"}, ${mb(s.bytes)} of ${mb(s.maxBytes)}${temps}`);
    });
}
