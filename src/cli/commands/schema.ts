/** `prune-sense schema`: the JSON Schema of config files (or, with --claims, of claims files), for editors' YAML language servers. */
import type { Command } from "commander";
import { configJsonSchema } from "../../config/schema.js";
import { loadPlugins } from "../../plugins/load.js";
import { collect, type Io } from "../io.js";

export function registerSchema(program: Command, io: Io): void {
  program
    .command("schema")
    .description("print the JSON Schema of config files (generated from the validator)")
    .option("--claims", "the JSON Schema of claims files (prune-sense check) instead")
    .option("--plugin <path>", "include the kinds and parameters of a plug-in module (repeatable; docs/plugins.md)", collect, [])
    .addHelpText(
      "after",
      `
Example (VS Code / yaml-language-server): save it, then start a config with
  # yaml-language-server: $schema=./prune-sense.schema.json
  $ prune-sense schema > prune-sense.schema.json
  $ prune-sense schema --claims > prune-sense-claims.schema.json
  $ prune-sense schema --plugin ./my-penalty.mjs > prune-sense.schema.json`,
    )
    .action(async (opts: { claims?: boolean; plugin: string[] }) => {
      await loadPlugins(opts.plugin);
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const schema = opts.claims ? (await import("../../check/schema.js")).claimsJsonSchema() : configJsonSchema();
      io.out(JSON.stringify(schema, null, 2));
    });
}
