/**
 * The README's sweep-end output (docs/sweep-end.txt, captured by
 * scripts/sweep-end.mjs) is what the 108-run sweep prints today: the sweep is
 * run again, as a user would, and every line compared but the timing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SWEEP_END_TXT, sweepSeconds } from "../../src/cli/docs.js";
import { packagePath } from "../../src/package/assets.js";
import { cliP, tempDir, type CliResult } from "../e2e/cli.js";

const untimed = (text: string) => text.trimEnd().replace(/· total [\d.]+ s/g, "· total T s");

describe(SWEEP_END_TXT, () => {
  const captured = readFileSync(packagePath(SWEEP_END_TXT), "utf8");
  let r: CliResult;
  let out: string;
  beforeAll(async () => {
    const dir = tempDir("sweep-end");
    out = join(dir, "results", "sweep-k-lambda-eps");
    r = await cliP(["run", "configs/sweep-k-lambda-eps.yaml", "--jobs", "2", "--out", out], { XDG_CACHE_HOME: join(dir, "cache") });
  }, 120_000);

  it("reports its time", () => {
    expect(sweepSeconds(captured)).toMatch(/^[\d.]+ s$/);
  });

  it("is what the sweep prints now, line for line but the time", () => {
    expect(r.code, r.stderr).toBe(0);
    // the README's run writes to the default folder, results/<name>
    expect(untimed(r.stdout.split(out).join("results/sweep-k-lambda-eps"))).toBe(untimed(captured));
  });
});
