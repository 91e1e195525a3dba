/**
 * Stryker only (listed in test/stryker/vitest.config.ts): credits each test with the code its
 * file's beforeAll hooks ran, in the coverage of Stryker's first (dry) run.
 *
 * Why: many tests run a command once in beforeAll (the hygiene rule: CLI runs and whole
 * reproductions sit in beforeAll, with a timeout) and then state what it wrote, test by test.
 * Stryker's per-test coverage records code reached outside a test as "static", and with
 * ignoreStatic a mutant that is also reached by some test is then run against that test only.
 * A mutant in `reproduce()` itself was run against one test that does not look at what the
 * mutant changed, and survived, while the tests that do look never ran (measured: 136 of
 * src/reproduce's 222 survivors were of this kind). Crediting every later test of the file with
 * what its hooks reached makes Stryker run those tests for such a mutant. It over-credits (a
 * test that does not read a hook's result runs too), which costs time, never a wrong score.
 */
import { beforeAll, beforeEach, inject } from "vitest";

interface Coverage { static: Record<string, number>; perTest: Record<string, Record<string, number>> }
interface StrykerNamespace { mutantCoverage?: Coverage; currentTestId?: string }

// inject() throws for a key that was never provided: outside Stryker this file does nothing
function provided(key: "mode" | "globalNamespace"): string | undefined {
  try {
    return inject(key as never) as string | undefined;
  } catch {
    return undefined;
  }
}

if (provided("mode") === "dry-run") {
  const namespace = provided("globalNamespace") ?? "__stryker__";
  const ns = (): StrykerNamespace => ((globalThis as Record<string, unknown>)[namespace] as StrykerNamespace | undefined) ?? {};
  let counts = new Map<string, number>();
  let reachedByHooks = new Set<string>();
  const snapshot = (): Map<string, number> => new Map(Object.entries(ns().mutantCoverage?.static ?? {}));

  beforeAll(() => {
    counts = snapshot();
    reachedByHooks = new Set();
  });

  // runs after Stryker's own beforeEach (it sets currentTestId) and after every beforeAll of the test's suites
  beforeEach(() => {
    const now = snapshot();
    for (const [id, count] of now) if (count > (counts.get(id) ?? 0)) reachedByHooks.add(id);
    counts = now;
    const { mutantCoverage: cov, currentTestId } = ns();
    if (!cov || !currentTestId || reachedByHooks.size === 0) return;
    const mine = (cov.perTest[currentTestId] ??= {});
    for (const id of reachedByHooks) mine[id] = (mine[id] ?? 0) + 1;
  });
}
