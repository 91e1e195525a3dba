/** `prune-sense schema`: the JSON Schema of config files, for editors' YAML language servers. */
import type { Command } from "commander";
import { configJsonSchema } from "../../config/schema.js";
import type { Io } from "../io.js";

export function registerSchema(program: Command, io: Io): void {
  program
    .command("schema")
    .description("print the JSON Schema of config files (generated from the validator)")
    .addHelpText(
      "after",
      `
Example (VS Code / yaml-language-server): save it, then start a config with
  # yaml-language-server: $schema=./prune-sense.schema.json
  $ prune-sense schema > prune-sense.schema.json`,
    )
    .action(() => io.out(JSON.stringify(configJsonSchema(), null, 2)));
}
