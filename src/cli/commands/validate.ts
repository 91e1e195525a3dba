/** `prune-sense validate CONFIG`: check everything a run would check, print the resolved config, the run count and the memory estimate. */
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { stringify as toYaml } from "yaml";
import { writtenForm } from "../../config/written-form.js";
import { parseOverrides } from "../../sweep/expand.js";
import { estimateRunMemory, formatBytes, LIMIT_OPTIONS, limitsFromOptions } from "../../sweep/limits.js";
import { planConfigFile, type PlannedRun } from "../../sweep/plan.js";
import { collect, type Io } from "../io.js";
import { ConfigError } from "../../errors.js";
import { missingConfigLine } from "../starter.js";

/** "memory: up to 6.1 MB per run (run 3f0160742b); 12 MB with 2 runs at once (--jobs 2, the default); limit 21.9 GB". */
function memoryLine(runs: readonly PlannedRun[], limit: number): string {
  const sizes = runs.map((r) => ({ id: r.id, bytes: estimateRunMemory(r.config).bytes })).sort((a, b) => b.bytes - a.bytes);
  const jobs = Math.min(availableParallelism(), runs.length);
  const atOnce = sizes.slice(0, jobs).reduce((s, x) => s + x.bytes, 0);
  return `# estimated memory: up to ${formatBytes(sizes[0].bytes)} per run (run ${sizes[0].id}); ` +
    `${formatBytes(atOnce)} with ${jobs} run${jobs === 1 ? "" : "s"} at once (--jobs ${availableParallelism()}, the default); limit ${formatBytes(limit)} per run`;
}

export function registerValidate(program: Command, io: Io): void {
  program
    .command("validate")
    .description("check a config (all errors at once) and print its resolved form, run count and memory estimate")
    .argument("<config>", "YAML or JSON config file")
    .option("-s, --set <key=value>", "override a key; a comma list sweeps it (repeatable)", collect, [])
    .option("--unset <key>", "remove a key (its default applies; an option turns off), like --set KEY=null (repeatable)", collect, [])
    .option("--plugin <path>", "load a plug-in module (.mjs) besides the config's plugins: (repeatable; docs/plugins.md)", collect, [])
    .option(...LIMIT_OPTIONS.maxMemory)
    .option(...LIMIT_OPTIONS.maxRuns)
    .addHelpText("after", "\nExample:\n  $ prune-sense validate configs/default.yaml --set train.lambda=\"0.5*sigma_r^3\"")
    .action(async (configPath: string, opts: { plugin: string[]; set: string[]; unset: string[]; maxMemory?: string; maxRuns?: string }) => {
      const limits = limitsFromOptions(opts);
      // a bundled config's path or name given where only a clone has it: say how to get it
      const missing = missingConfigLine(configPath);
      if (missing) throw new ConfigError(missing);
      const plan = await planConfigFile(configPath, () => parseOverrides(opts.set, opts.unset), limits, opts.plugin);
      for (const w of plan.warnings) io.warn(w);
      const first = plan.runs[0];
      io.out(`# ${configPath}: valid, ${plan.runs.length} run${plan.runs.length === 1 ? "" : "s"}` +
        (plan.sweptKeys.length ? ` (sweeping ${plan.sweptKeys.join(", ")}); the first run resolves to:` : "; resolves to:"));
      io.out(`# run_id: ${first.id}`);
      io.out(toYaml(writtenForm(first.config)).trimEnd());
      io.out(memoryLine(plan.runs, limits.maxMemory));
    });
}
