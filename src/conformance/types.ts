/**
 * A shared check: one property every implementation of a kind must have. The
 * built-ins' test suites (test/methods/*-suite.test.ts, test/solvers/solver-suite.test.ts)
 * and `prune-sense plugin test` run the same checks.
 */

/** What a check found: whether it holds, and the worst numbers it saw. */
export interface Outcome {
  pass: boolean;
  /** The worst case against its limit, e.g. "max relative error 3.1e-9 (limit 1e-7)". */
  detail: string;
}

export interface Check {
  name: string;
  run(): Outcome;
}

/** An outcome from a condition. */
export const outcome = (pass: boolean, detail: string): Outcome => ({ pass, detail });

/** The check's outcome, or a failure saying what it threw (plug-in code may throw anything). */
export function runCheck(check: Check): Outcome {
  try {
    return check.run();
  } catch (err) {
    return outcome(false, `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
}
