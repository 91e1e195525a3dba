/**
 * Deterministic crash tests of `run`: the writer stops itself at a named point
 * (PRUNE_SENSE_TEST_PAUSE_AT, see src/output/pause.ts), is killed there with
 * SIGKILL, and resuming gives the same files as an uninterrupted run.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { cli } from "../e2e/cli.js";
import { HOST } from "../../src/files/owner.js";
import { tempOwner } from "../../src/files/temp-names.js";
import { cliWithinAsync, completeIds, FAULT_SWEEP, killAt, leftovers, noHalfRuns, scratch, snapshot, start, waitForFile } from "./harness.js";

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

describe("killed while checking the folder is writable", () => {
  it("leaves a probe named by its host and pid, which the next run removes at once", async () => {
    const dir = scratch("crash-probe");
    const marker = join(scratch("probe-marker"), "paused");
    const args = ["run", FAULT_SWEEP, "--out", dir, "--jobs", "1", "--set", "seed=1"];
    const p = start(args, { PRUNE_SENSE_TEST_PAUSE_AT: "in-probe", PRUNE_SENSE_TEST_PAUSE_MARKER: marker });
    await waitForFile(marker, 8_000);
    p.kill("SIGKILL");
    expect((await p.done).signal).toBe("SIGKILL");
    // the owner is in the name like any temp file's, not "probe"
    const probes = readdirSync(dir).filter((n) => n.startsWith(".write-check"));
    expect(probes).toHaveLength(1);
    expect(tempOwner(probes[0])).toEqual({ host: HOST, pid: p.pid });
    const resumed = await cliWithinAsync(args, 10_000);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(leftovers(dir)).toEqual([]);
  }, 20_000);
});
