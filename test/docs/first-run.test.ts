/**
 * The screen of the README's first command (and of docs/results.md), checked against a real run
 * of configs/default.yaml through the binary: every cell but the seconds. The recovery error and
 * test loss sit at round-off level, so they move with any change of summation order; a doc that
 * shows other digits than a user gets breaks the "same config, same bytes" promise on sight.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, ROOT, tempDir } from "../e2e/cli.js";

/** The header and run lines of a `run` screen, without the seconds column. */
function table(text: string): string[] {
  const lines = text.split("\n");
  const head = lines.findIndex((l) => /^run\s+status\s+kept\s+r\s+rec\.err\s+rate\s+test\s+s$/.test(l));
  if (head < 0) return [];
  return [lines[head], lines[head + 1]].map((l) => l.trim().split(/\s+/).slice(0, -1).join(" "));
}

describe("the first run's screen in the docs", () => {
  let shown: string[];
  beforeAll(() => {
    // the WebAssembly kernels, as a user runs it (the TypeScript fallback sums in another order)
    const r = cli(["run", "configs/default.yaml", "--out", tempDir("first-run")], { PRUNE_SENSE_KERNELS: "wasm" });
    expect(r.code, r.stderr).toBe(0);
    shown = table(r.stdout);
  }, 60_000);

  it.each(["README.md", "docs/results.md"])("%s shows what `run configs/default.yaml` prints (seconds aside)", (file) => {
    expect(shown).toHaveLength(2);
    expect(shown[1]).toMatch(/^r[0-9a-f]{10} ok 3 3 /);
    expect(table(readFileSync(join(ROOT, file), "utf8"))).toEqual(shown);
  });
});
