/**
 * What commands may do to the outside world, in one place: print results to
 * stdout, notes and warnings to stderr, and set the exit code. Commands get an
 * `Io`; library code gets none.
 */
import { chalkStderr } from "chalk";
import { InvalidArgumentError } from "commander";
import { printable } from "../errors.js";

export interface Io {
  out(line: string): void;
  info(line: string): void;
  warn(line: string): void;
  setExitCode(code: number): void;
}

export function processIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    info: (line) => process.stderr.write(`${chalkStderr.dim(line)}\n`),
    warn: (line) => process.stderr.write(`${chalkStderr.yellow("warning:")} ${printable(line)}\n`),
    setExitCode: (code) => {
      process.exitCode = Math.max(Number(process.exitCode ?? 0), code);
    },
  };
}

/**
 * Keep going when `stream` (stdout or stderr) can no longer be written: a reader that went away
 * (`prune-sense run … 2>&1 | head -1`: EPIPE), a closed terminal (EIO), a redirect onto a full disk.
 * What a command prints is a view of what it writes to disk, so losing the view must never cost a
 * result: the first error marks the stream closed, later writes are dropped (stdio streams are
 * never destroyed, so without this each write would fail again), and the command finishes its runs,
 * refreshes summary.csv and exits with the code it would have had. Without a listener, the error
 * would be thrown from the next tick and end the process with code 1.
 */
export function keepGoingWhenClosed(stream: NodeJS.WriteStream): void {
  stream.on("error", () => {
    // Stryker disable next-line BlockStatement: dropping the writes only saves failing system calls
    stream.write = (() => true) as typeof stream.write;
  });
}

/** Commander reducer for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Commander parser for a positive integer option. */
export function parsePositiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer.");
    return n;
  };
}
