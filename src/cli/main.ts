/**
 * The command-line program: registers the commands and is the one error
 * boundary. User errors (bad config, bad flags, missing files) print their lines
 * without a stack and exit 2; anything else is a bug: it prints a stack and
 * where to report it. PRUNE_SENSE_DEBUG=1 shows stacks for user errors too.
 */
import chalk, { chalkStderr } from "chalk";
import { Command, CommanderError } from "commander";
import { injectTestBug, printable, UserError } from "../errors.js";
import { kernelsSwitchProblem } from "../linalg/wasm/kernels.js";
import { environmentError, isEnvironmentError } from "../output/fs-errors.js";
import { packageVersion } from "../package/assets.js";
import { processIo, type Io } from "./io.js";
import { registerBench } from "./commands/bench.js";
import { registerInit } from "./commands/init.js";
import { registerMerge } from "./commands/merge.js";
import { registerPlot } from "./commands/plot.js";
import { registerReproduce } from "./commands/reproduce.js";
import { registerRun } from "./commands/run.js";
import { registerSchema } from "./commands/schema.js";
import { registerStatus } from "./commands/status.js";
import { registerSummarize } from "./commands/summarize.js";
import { registerValidate } from "./commands/validate.js";

/** The command table: one register function per command file. */
const COMMANDS: ReadonlyArray<(program: Command, io: Io) => void> = [
  registerRun, registerValidate, registerMerge, registerPlot, registerReproduce, registerBench, registerSchema,
  registerStatus, registerSummarize, registerInit,
];

export function buildProgram(io: Io): Command {
  const program = new Command("prune-sense")
    .description("Group-Lasso training, greedy pruning and fine-tuning for matrix sensing and quadratic networks")
    .version(packageVersion(), "-V, --version", "print the version (with --verbose: also Node.js, kernels, platform, time)")
    .exitOverride()
    // commander echoes unknown options and arguments: never raw control characters
    .configureOutput({ writeErr: (text) => process.stderr.write(printable(text, true)) })
    .addHelpText(
      "after",
      `
Examples:
  $ prune-sense run configs/default.yaml            # one run → results/default/
  $ prune-sense run configs/default.yaml --set train.lambda=0,0.1 --set seed=1,2,3
  $ prune-sense validate configs/default.yaml
  $ prune-sense plot results/default                # figures → results/default/figures/
  $ prune-sense reproduce --quick                   # the paper's claims → results/paper/REPORT.md
  $ prune-sense schema > prune-sense.schema.json`,
    );
  for (const register of COMMANDS) register(program, io);
  for (const cmd of program.commands) cmd.exitOverride();
  program.hook("preAction", () => {
    if (kernelsSwitchProblem) throw new UserError(kernelsSwitchProblem);
    injectTestBug("command");
  });
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  if (process.env.NO_COLOR) chalk.level = chalkStderr.level = 0;
  // `prune-sense … | head` closes stdout early: that is not an error
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  const io = processIo();
  try {
    if (isVerboseVersion(argv.slice(2))) {
      // provenance loads the kernels: only when asked for
      const { currentProvenance, provenanceLines } = await import("../package/provenance.js");
      for (const line of provenanceLines(currentProvenance())) io.out(line);
      return;
    }
    await buildProgram(io).parseAsync(argv as string[]);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

/** `--version --verbose` (either order): commander's --version would print the bare version and stop. */
function isVerboseVersion(args: readonly string[]): boolean {
  return args.length === 2 && args.includes("--verbose") && (args.includes("--version") || args.includes("-V"));
}

function exitCodeFor(err: unknown): number {
  const debug = Boolean(process.env.PRUNE_SENSE_DEBUG);
  if (err instanceof CommanderError) {
    // commander has printed its message (or the help/version) already
    return err.exitCode === 0 ? 0 : 2;
  }
  // a full disk, a read-only folder, a file where a folder should be: the user's to fix
  if (!(err instanceof UserError) && isEnvironmentError(err)) err = environmentError(err);
  if (err instanceof UserError) {
    for (const line of err.lines) process.stderr.write(`${chalkStderr.red("error:")} ${printable(line)}\n`);
    if (debug) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`${chalkStderr.red("internal error:")} ${e?.stack ?? String(err)}\n`);
  process.stderr.write("This is a bug in prune-sense: please report it with the command and config that caused it.\n");
  return 70;
}
