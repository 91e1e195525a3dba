/** `prune-sense validate CONFIG`: check everything a run would check, print the resolved config and the run count. */
import type { Command } from "commander";
import { stringify as toYaml } from "yaml";
import { writtenForm } from "../../config/written-form.js";
import { parseOverrides } from "../../sweep/expand.js";
import { planRunsFromFile } from "../../sweep/plan.js";
import { collect, type Io } from "../io.js";

export function registerValidate(program: Command, io: Io): void {
  program
    .command("validate")
    .description("check a config (all errors at once) and print its resolved form and run count")
    .argument("<config>", "YAML or JSON config file")
    .option("-s, --set <key=value>", "override a key; a comma list sweeps it (repeatable)", collect, [])
    .option("--unset <key>", "remove a key (its default applies; an option turns off), like --set KEY=null (repeatable)", collect, [])
    .addHelpText("after", "\nExample:\n  $ prune-sense validate configs/default.yaml --set train.lambda=\"0.5*sigma_r^3\"")
    .action((configPath: string, opts: { set: string[]; unset: string[] }) => {
      const plan = planRunsFromFile(configPath, parseOverrides(opts.set, opts.unset));
      for (const w of plan.warnings) io.warn(w);
      const first = plan.runs[0];
      io.out(`# ${configPath}: valid, ${plan.runs.length} run${plan.runs.length === 1 ? "" : "s"}` +
        (plan.sweptKeys.length ? ` (sweeping ${plan.sweptKeys.join(", ")}); the first run resolves to:` : "; resolves to:"));
      io.out(`# run_id: ${first.id}`);
      io.out(toYaml(writtenForm(first.config)).trimEnd());
    });
}
