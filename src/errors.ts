/**
 * Typed errors. Library code throws these and never prints or exits; the CLI's
 * one error boundary (cli/main.ts) prints their message without a stack and
 * exits with their `exitCode`. Anything else is a bug and gets a stack.
 */

/** A user mistake (bad config, bad flag, missing file): exit code 2. */
export class UserError extends Error {
  readonly exitCode: number = 2;
  /** One line per problem, all of them, in the order found. */
  readonly lines: string[];
  constructor(lines: string | string[]) {
    const list = Array.isArray(lines) ? lines : [lines];
    super(list.join("\n"));
    this.name = new.target.name;
    this.lines = list;
  }
}

/** A config file that cannot be read, parsed, validated or resolved. */
export class ConfigError extends UserError {}

/** A command-line usage problem (bad option value, wrong arguments). */
export class UsageError extends UserError {}

/** Where PRUNE_SENSE_TEST_INJECT_BUG may throw. */
export type InjectedBugSite = "command" | "run";

/**
 * Test-only hook, so the suite can check what a bug looks like to a user:
 * PRUNE_SENSE_TEST_INJECT_BUG=command throws a plain Error inside the command
 * (exit 70), =run inside every run's pipeline (each run is recorded `failed`, exit 1).
 * Unset (always, outside tests) it does nothing.
 */
export function injectTestBug(site: InjectedBugSite): void {
  if (process.env.PRUNE_SENSE_TEST_INJECT_BUG === site) {
    throw new Error(`bug injected at ${site} by PRUNE_SENSE_TEST_INJECT_BUG (test-only)`);
  }
}

/**
 * Text safe to print on a terminal: control characters (C0, DEL, C1) and
 * bidirectional overrides become visible escapes (\x1b, \u202e), so a config
 * key holding an escape sequence cannot clear the screen or set the title.
 * @example printable("a\x1b[2Jb") // → "a\\x1b[2Jb"
 */
export function printable(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g : /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
