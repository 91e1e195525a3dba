/**
 * A closed stdout or stderr never costs a result (`prune-sense run sweep.yaml 2>&1 | head -1`, a log
 * reader that went away): the command stops writing there, finishes every run, refreshes summary.csv
 * and exits with the code it would have had. Through the binary, with the reader of its pipe closed.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, ROOT } from "../e2e/cli.js";
import { completeIds, FAULT_SWEEP, scratch, snapshot, summaryIds, uninterruptedSweep } from "./harness.js";

/** `prune-sense ARGS` with its stdout and stderr pipes; `close` says which the test closes and when. */
function withClosedPipe(args: string[], close: "stdout" | "stderr", env: Record<string, string> = {}): Promise<{ code: number | null; other: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  // closed before the child writes a byte: its first write there fails (EPIPE)
  child[close].destroy();
  let other = "";
  child[close === "stdout" ? "stderr" : "stdout"].on("data", (b: Buffer) => (other += b.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, other })));
}

const RUNS = 8;
let whole: string;
beforeAll(() => {
  whole = uninterruptedSweep();
}, 120_000);

describe("a closed pipe", () => {
  it("`run … 2>&1 | head -1`: every run finishes and is listed, as in an uninterrupted run, with the run's exit code", () => {
    const dir = scratch("head");
    // head reads the first progress line and exits; every later write of the run meets a closed pipe
    const r = spawnSync("bash", ["-c", `"$0" "$1" run "$2" --out "$3" --jobs 2 2>&1 | head -1; exit "\${PIPESTATUS[0]}"`, process.execPath, BIN, FAULT_SWEEP, dir], {
      cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.stdout).toMatch(/^\[1\/8\] /);
    expect(r.status).toBe(0);
    expect(completeIds(dir)).toHaveLength(RUNS);
    expect(summaryIds(join(dir, "summary.csv"))).toEqual(completeIds(dir));
    expect(snapshot(join(dir, "runs"))).toEqual(snapshot(join(whole, "runs")));
    expect(snapshot(dir)["summary.csv"]).toEqual(snapshot(whole)["summary.csv"]);
  }, 120_000);

  it("stderr closed (progress and warnings): the sweep completes, a damaged run is redone, exit 0", async () => {
    const dir = scratch("stderr");
    expect(spawnSync(process.execPath, [BIN, "run", FAULT_SWEEP, "--out", dir, "--jobs", "2"], { cwd: ROOT }).status).toBe(0);
    // a damaged run and a missing one: the rerun warns about the first (on stderr, closed) and runs both
    const [damaged] = readdirSync(join(dir, "runs")).sort();
    appendFileSync(join(dir, "runs", damaged, "trace.csv"), "x\n");
    const r = await withClosedPipe(["run", FAULT_SWEEP, "--out", dir, "--jobs", "2"], "stderr");
    expect(r.code).toBe(0);
    expect(r.other).toContain(`${RUNS} ok`);
    expect(completeIds(dir)).toHaveLength(RUNS);
    expect(snapshot(dir)).toEqual(snapshot(whole));
  }, 120_000);

  it("stdout closed (the final table): the summary is complete and a failed run still exits 1", async () => {
    const dir = scratch("stdout");
    const r = await withClosedPipe(["run", FAULT_SWEEP, "--out", dir, "--jobs", "2"], "stdout", { PRUNE_SENSE_TEST_INJECT_BUG: "run" });
    expect(r.code).toBe(1);
    expect(summaryIds(join(dir, "summary.csv"))).toEqual(completeIds(dir));
    expect(completeIds(dir)).toHaveLength(RUNS);
  }, 120_000);

  it("`--version` (answered by bin/ before the program loads): the package's version, and exit 0 when its reader is gone or its disk full", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const r = spawnSync(process.execPath, [BIN, flag], { cwd: ROOT, encoding: "utf8" });
      expect([r.status, r.stdout, r.stderr]).toEqual([0, `${version}\n`, ""]);
    }
    const closed = await withClosedPipe(["--version"], "stdout");
    expect([closed.code, closed.other]).toEqual([0, ""]);
    // a full disk under a redirection: as the program's other output, no reason to fail
    const full = spawnSync("bash", ["-c", `"$0" "$1" --version > /dev/full`, process.execPath, BIN], { cwd: ROOT, encoding: "utf8" });
    expect([full.status, full.stderr]).toEqual([0, ""]);
  });
});
