/** `prune-sense schema`: the JSON Schema of config files (or, with --claims, of claims files), for editors' YAML language servers. */
import type { Command } from "commander";
import { configJsonSchema } from "../../config/schema.js";
import type { Io } from "../io.js";

export function registerSchema(program: Command, io: Io): void {
  program
    .command("schema")
    .description("print the JSON Schema of config files (generated from the validator)")
    .option("--claims", "the JSON Schema of claims files (prune-sense check) instead")
    .addHelpText(
      "after",
      `
Example (VS Code / yaml-language-server): save it, then start a config with
  # yaml-language-server: $schema=./prune-sense.schema.json
  $ prune-sense schema > prune-sense.schema.json
  $ prune-sense schema --claims > prune-sense-claims.schema.json`,
    )
    .action(async (opts: { claims?: boolean }) => {
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const schema = opts.claims ? (await import("../../check/schema.js")).claimsJsonSchema() : configJsonSchema();
      io.out(JSON.stringify(schema, null, 2));
    });
}
