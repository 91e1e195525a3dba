/**
 * Deterministic crash tests: the writer stops itself at a named point
 * (PRUNE_SENSE_TEST_PAUSE_AT, see src/output/pause.ts), is killed there with
 * SIGKILL, and the next command completes the folder: resume gives the same
 * files as an uninterrupted run; a re-merge completes a killed merge.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { cli, summaryWithoutSeconds, tempDir } from "../e2e/cli.js";
import { inspectRun } from "../../src/output/results.js";
import { completeIds, FAULT_SWEEP, leftovers, snapshot, start, waitForFile } from "./harness.js";
import { readdirSync, existsSync } from "node:fs";

const POINTS = ["after-temp", "between-run-files", "after-result"] as const;

/** Start `args` paused at `point:n`, wait until it stops there, SIGKILL it. */
async function killAt(args: string[], point: string, n: number): Promise<void> {
  const marker = join(tempDir("marker"), "paused");
  const p = start(args, { PRUNE_SENSE_TEST_PAUSE_AT: `${point}:${n}`, PRUNE_SENSE_TEST_PAUSE_MARKER: marker });
  await waitForFile(marker);
  p.kill("SIGKILL");
  const exit = await p.done;
  expect(exit.signal).toBe("SIGKILL");
}

/** No run folder is half there: each is complete or has no result.json yet. */
function noHalfRuns(dir: string): void {
  const runs = join(dir, "runs");
  if (!existsSync(runs)) return;
  for (const id of readdirSync(runs)) expect(inspectRun(dir, id).state, id).not.toBe("damaged");
}

describe("killed at a crash point, then resumed", () => {
  const clean = tempDir("crash-clean");
  let cleanRun: ReturnType<typeof cli>;
  beforeAll(() => {
    cleanRun = cli(["run", FAULT_SWEEP, "--out", clean, "--jobs", "1"]);
  });

  it.each(POINTS)("gives byte-identical files to an uninterrupted run when killed at %s", async (point) => {
    expect(cleanRun.code).toBe(0);
    const dir = tempDir(`crash-${point}`);
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

describe("merge killed at a crash point, then merged again", () => {
  const a = tempDir("merge-a");
  const b = tempDir("merge-b");
  const whole = tempDir("merge-whole");
  const codes: Array<number | null> = [];
  beforeAll(() => {
    for (const args of [["--out", a, "--shard", "1/2"], ["--out", b, "--shard", "2/2"], ["--out", whole]]) {
      codes.push(cli(["run", FAULT_SWEEP, ...args, "--jobs", "1"]).code);
    }
  });

  it.each(POINTS)("leaves no half-run when killed at %s, and the next merge completes the folder", async (point) => {
    expect(codes).toEqual([0, 0, 0]);
    const out = tempDir(`merge-${point}`);
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
