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
