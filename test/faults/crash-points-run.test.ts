/**
 * Deterministic crash tests of `run`: the writer stops itself at a named point
 * (PRUNE_SENSE_TEST_PAUSE_AT, see src/output/pause.ts), is killed there with
 * SIGKILL, and resuming gives the same files as an uninterrupted run.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../e2e/cli.js";
import { completeIds, FAULT_SWEEP, killAt, leftovers, noHalfRuns, scratch, snapshot } from "./harness.js";

const POINTS = ["after-temp", "between-run-files", "after-result"] as const;

describe("killed at a crash point, then resumed", () => {
  const clean = scratch("crash-clean");
  let cleanRun: ReturnType<typeof cli>;
  beforeAll(() => {
    cleanRun = cli(["run", FAULT_SWEEP, "--out", clean, "--jobs", "1"]);
  });

  it.each(POINTS)("gives byte-identical files to an uninterrupted run when killed at %s", async (point) => {
    expect(cleanRun.code).toBe(0);
    const dir = scratch(`crash-${point}`);
    await killAt(["run", FAULT_SWEEP, "--out", dir, "--jobs", "1"], point, 3);
    noHalfRuns(dir);
    const before = completeIds(dir).length;
    expect(before).toBe(point === "after-result" ? 3 : 2);
    const resumed = cli(["run", FAULT_SWEEP, "--out", dir, "--jobs", "1"]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`${before} complete runs skipped`);
    expect(leftovers(dir)).toEqual([]);
    expect(snapshot(dir)).toEqual(snapshot(clean));
  });
});
