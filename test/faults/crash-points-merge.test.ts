/**
 * Deterministic crash tests of `merge`: killed with SIGKILL at each crash point
 * (PRUNE_SENSE_TEST_PAUSE_AT), it leaves no half-copied run, and the next merge
 * completes the folder.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { cli, summaryWithoutSeconds } from "../e2e/cli.js";
import { completeIds, FAULT_SWEEP, killAt, leftovers, noHalfRuns, scratch } from "./harness.js";

const POINTS = ["after-temp", "between-run-files", "after-result"] as const;

describe("merge killed at a crash point, then merged again", () => {
  const a = scratch("merge-a");
  const b = scratch("merge-b");
  const whole = scratch("merge-whole");
  const codes: Array<number | null> = [];
  beforeAll(() => {
    for (const args of [["--out", a, "--shard", "1/2"], ["--out", b, "--shard", "2/2"], ["--out", whole]]) {
      codes.push(cli(["run", FAULT_SWEEP, ...args, "--jobs", "1"]).code);
    }
  });

  it.each(POINTS)("leaves no half-run when killed at %s, and the next merge completes the folder", async (point) => {
    expect(codes).toEqual([0, 0, 0]);
    const out = scratch(`merge-${point}`);
    await killAt(["merge", a, b, "--out", out], point, 2);
    noHalfRuns(out);
    const again = cli(["merge", a, b, "--out", out]);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe(`8 runs → ${out}/summary.csv`);
    expect(completeIds(out)).toEqual(completeIds(whole));
    expect(summaryWithoutSeconds(join(out, "summary.csv"))).toBe(summaryWithoutSeconds(join(whole, "summary.csv")));
    expect(leftovers(out)).toEqual([]);
  });
});
