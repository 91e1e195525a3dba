/**
 * The command-line program: registers the commands and is the one error
 * boundary. User errors (bad config, bad flags, missing files) print their lines
 * without a stack and exit 2; anything else is a bug: it prints a stack and
 * where to report it. PRUNE_SENSE_DEBUG=1 shows stacks for user errors too.
 */
import chalk, { chalkStderr } from "chalk";
import { Command, CommanderError } from "commander";
import { cacheSettingsProblem } from "../cache/settings.js";
import { injectTestBug, printable, UserError } from "../errors.js";
import { threadsSwitchProblem } from "../linalg/threads/share.js";
import { kernelsSwitchProblem } from "../linalg/wasm/kernels.js";
import { environmentError, isEnvironmentError } from "../output/fs-errors.js";
import { packageVersion } from "../package/assets.js";
import { adoptStartedWorkers, type StartedWorker } from "../sweep/early.js";
import { keepGoingWhenClosed, processIo, type Io } from "./io.js";

type Register = (program: Command, io: Io) => void;

/**
 * The command table: one register function per command file, each loaded only
 * when needed (start-up time: `--version` loads none, `validate` only its own,
 * so zod, yaml, csv-stringify, cli-progress… are not parsed by commands that
 * do not use them). Order is the order of `--help`.
 */
// Stryker disable StringLiteral: vite would try to load a mutated (empty) import path; an empty
// command name only makes commandsFor load every command (the same program, started more slowly)
const COMMANDS: ReadonlyArray<[name: string, load: () => Promise<Register>]> = [
  ["run", async () => (await import("./commands/run.js")).registerRun],
  ["validate", async () => (await import("./commands/validate.js")).registerValidate],
  ["merge", async () => (await import("./commands/merge.js")).registerMerge],
  ["plot", async () => (await import("./commands/plot.js")).registerPlot],
  ["reproduce", async () => (await import("./commands/reproduce.js")).registerReproduce],
  ["check", async () => (await import("./commands/check.js")).registerCheck],
  ["bench", async () => (await import("./commands/bench.js")).registerBench],
  ["schema", async () => (await import("./commands/schema.js")).registerSchema],
  ["cache", async () => (await import("./commands/cache.js")).registerCache],
  ["status", async () => (await import("./commands/status.js")).registerStatus],
  ["summarize", async () => (await import("./commands/summarize.js")).registerSummarize],
  ["init", async () => (await import("./commands/init.js")).registerInit],
  ["plugin", async () => (await import("./commands/plugin.js")).registerPlugin],
];
// Stryker restore StringLiteral

/**
 * The commands argv needs: none for a bare `--version`, the named one when the
 * first word is a command, else all (help, or an unknown command that commander reports).
 */
function commandsFor(argv: readonly string[]): ReadonlyArray<[string, () => Promise<Register>]> {
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) return [];
  const named = COMMANDS.find(([name]) => name === args[0]);
  return named ? [named] : COMMANDS;
}

export async function buildProgram(io: Io, argv: readonly string[] = []): Promise<Command> {
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
  $ prune-sense init                                # a starter config to edit → ./default.yaml
  $ prune-sense run configs/default.yaml            # one run → results/default/
  $ prune-sense run configs/default.yaml --set train.lambda=0,0.1 --set seed=1,2,3
  $ prune-sense validate configs/default.yaml
  $ prune-sense plot results/default                # figures → results/default/figures/
  $ prune-sense reproduce --quick                   # the paper's claims → results/paper/REPORT.md
  $ prune-sense schema > prune-sense.schema.json`,
    );
  const registers = await Promise.all(commandsFor(argv).map(([, load]) => load()));
  for (const register of registers) register(program, io);
  for (const cmd of program.commands) cmd.exitOverride();
  program.hook("preAction", () => {
    if (kernelsSwitchProblem) throw new UserError(kernelsSwitchProblem);
    if (threadsSwitchProblem) throw new UserError(threadsSwitchProblem);
    const cacheProblem = cacheSettingsProblem();
    if (cacheProblem) throw new UserError(cacheProblem);
    injectTestBug("command");
  });
  return program;
}

/**
 * Run the program on argv. `started`: worker threads bin/prune-sense.js started for a
 * `run` before loading the program (sweep/early.ts), handed to that command.
 */
export async function main(argv: readonly string[], started: readonly StartedWorker[] = []): Promise<void> {
  adoptStartedWorkers(started);
  if (process.env.NO_COLOR) chalk.level = chalkStderr.level = 0;
  // `prune-sense … | head` closes stdout (or stderr) early: the work goes on, unseen
  keepGoingWhenClosed(process.stdout);
  keepGoingWhenClosed(process.stderr);
  const io = processIo();
  try {
    if (isVerboseVersion(argv.slice(2))) {
      // provenance loads the kernels: only when asked for
      // Stryker disable next-line StringLiteral: vite would try to load a mutated (empty) import path
      const { currentProvenance, provenanceLines } = await import("../package/provenance.js");
      for (const line of provenanceLines(currentProvenance())) io.out(line);
      return;
    }
    await (await buildProgram(io, argv)).parseAsync(argv as string[]);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

/** Error lines printed at most; the rest are counted. */
const MAX_ERROR_LINES = 40;

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
    // a sweep may break a limit in each of thousands of runs: a screenful, then a count
    const lines = err.lines.length > MAX_ERROR_LINES ? [...err.lines.slice(0, MAX_ERROR_LINES), `… and ${err.lines.length - MAX_ERROR_LINES} more`] : err.lines;
    for (const line of lines) process.stderr.write(`${chalkStderr.red("error:")} ${printable(line)}\n`);
    if (debug) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`${chalkStderr.red("internal error:")} ${e?.stack ?? String(err)}\n`);
  process.stderr.write("This is a bug in prune-sense: please report it with the command and config that caused it.\n");
  return 70;
}
