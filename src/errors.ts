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
