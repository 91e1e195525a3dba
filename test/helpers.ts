/** Shared test helpers: seeded random data, numerical comparisons, config error lines. */
import { ConfigError } from "../src/errors.js";

/** Seeded arrays, relative errors and finite differences: shared with the conformance checks (src/conformance/). */
export { numericalGradient, randomArray, relativeMaxError } from "../src/conformance/numeric.js";

/** The lines of the ConfigError that `fn` throws; any other error propagates, and no error at all fails the test. */
export function configErrorLines(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  throw new Error("expected a ConfigError");
}
