/**
 * `prune-sense run` in this thread: a sweep whose runs share one training runs in-process
 * (runSweep), so these tests reach src/cli/commands/run.ts itself, where the end-to-end tests
 * reach only the binary. What a user sees: the files written, the summary table on stdout,
 * notes and progress on stderr, the exit code, resuming, shards, Ctrl-C.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { onStderr, runCommand, runMain, tempDir, tinyConfig } from "./harness.js";
import { withoutDiagnostics } from "../e2e/cli.js";

const ID = /r[0-9a-f]{10}/;

/**
 * The end of the process by the signal (src/cli/signals.ts), caught: kill, the listener removal
 * that precedes it and the wait that follows it are spied on, so the test goes on.
 */
function catchEndBySignal() {
  vi.spyOn(process, "removeAllListeners").mockImplementation(() => process);
  vi.spyOn(Atomics, "wait").mockImplementation(() => "timed-out");
  vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
  return vi.spyOn(process, "kill").mockImplementation(() => true);
}

afterEach(() => {
  onStderr(undefined);
  vi.restoreAllMocks();
  delete process.env.PRUNE_SENSE_TEST_INJECT_BUG;
});

/** The ids of summary.csv in its order (the plan's). */
const summaryIds = (out: string): string[] => readFileSync(join(out, "summary.csv"), "utf8").trim().split("\n").slice(1).map((row) => row.split(",")[0]);
/** The line that counts the runs and names the folder. */
const countsLine = (out: string[]): string | undefined => out.find((l) => / · results in /.test(l));

describe("run", () => {
  it("writes every run's files and summary.csv, prints the table and where the results are, exit 0", async () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const io = await runCommand("run", tinyConfig(dir), "--out", out, "--jobs", "2");
    expect(io.code).toBe(0);
    expect(withoutDiagnostics(io.warn)).toEqual([]);
    expect(io.info).toEqual([]);
    // a sweep ends with its aggregate table (test/cli/sweep-end.test.ts), one row per threshold
    expect(io.out[0].split(/\s+/)).toEqual(["threshold", "runs", "r", "kept", "min–max", "err", "med", "err", "max", "rate", "med"]);
    expect(io.out[1].split(/\s+/).slice(0, 2)).toEqual(["0.05", "1"]);
    expect(io.out[2].split(/\s+/).slice(0, 2)).toEqual(["0.1", "1"]);
    expect(io.out).toContain("files: summary.csv, runs/<run_id>/{config.json,trace.csv,columns.csv}");
    expect(io.out).toContainEqual(expect.stringMatching(new RegExp(`^2 ok · results in ${out} · total \\d+\\.\\d\\d s$`)));
    expect(io.out.at(-3)).toBe(`next: prune-sense summarize ${out}`);
    const ids = summaryIds(out);
    for (const id of ids) expect(id).toMatch(ID);
    expect(readdirSync(join(out, "runs")).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(readdirSync(join(out, "runs", id)).sort()).toEqual(["columns.csv", "config.json", "result.json", "trace.csv"]);
    }
    const summary = readFileSync(join(out, "summary.csv"), "utf8").trim().split("\n");
    expect(summary).toHaveLength(3);
    expect(summary.slice(1).map((row) => row.split(",")[0]).sort()).toEqual([...ids].sort());
  });

  it("prints a plain progress line per finished run on stderr when it is not a terminal", async () => {
    const dir = tempDir();
    const io = await runCommand("run", tinyConfig(dir), "--out", join(dir, "out"));
    const ids = summaryIds(join(dir, "out"));
    // the first line comes at once, the last one always; the runs finish in plan order here
    expect(io.stderr).toMatch(new RegExp(`^\\[1/2\\] \\d+\\.\\ds · last: ${ids[0]} ok\\n\\[2/2\\] \\d+\\.\\ds · last: ${ids[1]} ok\\n$`));
  });

  it("resumes: complete runs are skipped and said so, --force runs them again", async () => {
    const dir = tempDir();
    const config = tinyConfig(dir);
    const out = join(dir, "out");
    const first = await runCommand("run", config, "--out", out);
    const again = await runCommand("run", config, "--out", out);
    expect(again.info).toEqual(["2 complete runs skipped (resume; --force re-runs them)"]);
    // the skipped runs are listed from their saved results, as they were
    const rows = (lines: string[]) => lines.slice(0, 3).map((l) => l.replace(/ +\d+\.\d$/, ""));
    expect(rows(again.out)).toEqual(rows(first.out));
    expect(countsLine(again.out)).toMatch(/^2 ok · results in /);
    const forced = await runCommand("run", config, "--out", out, "--force");
    expect(forced.info).toEqual([]);
    expect(countsLine(forced.out)).toMatch(/^2 ok · results in /);
    const one = tinyConfig(dir, "one", "");
    await runCommand("run", one, "--out", join(dir, "one"));
    expect((await runCommand("run", one, "--out", join(dir, "one"))).info).toEqual(["1 complete run skipped (resume; --force re-runs them)"]);
  });

  it("says how many runs of other sweeps the folder's summary.csv also lists", async () => {
    const dir = tempDir();
    const out = join(dir, "shared");
    await runCommand("run", tinyConfig(dir, "a"), "--out", out);
    const b = await runCommand("run", tinyConfig(dir, "b", "sweep:\n  prune.threshold: [0.2]\n"), "--out", out);
    expect(b.info).toEqual([`${out}/summary.csv also lists 2 runs of other sweeps in this folder`]);
    const c = await runCommand("run", tinyConfig(dir, "c", "sweep:\n  prune.threshold: [0.3, 0.4]\n"), "--out", out);
    expect(c.info).toEqual([`${out}/summary.csv also lists 3 runs of other sweeps in this folder`]);
    const d = await runCommand("run", tinyConfig(dir, "d", ""), "--out", join(dir, "pair"));
    expect(d.info).toEqual([]);
    const e = await runCommand("run", tinyConfig(dir, "e", "sweep:\n  prune.threshold: [0.2]\n"), "--out", join(dir, "pair"));
    expect(e.info).toEqual([`${join(dir, "pair")}/summary.csv also lists 1 run of other sweeps in this folder`]);
  });

  it("exits 1 when a run failed, naming the run and its error", async () => {
    process.env.PRUNE_SENSE_TEST_INJECT_BUG = "run";
    const dir = tempDir();
    const io = await runCommand("run", tinyConfig(dir), "--out", join(dir, "out"));
    expect(io.code).toBe(1);
    const failed = io.out.filter((l) => /^r[0-9a-f]{10}: /.test(l));
    expect(failed).toHaveLength(2);
    for (const line of failed) expect(line).toMatch(/^r[0-9a-f]{10}: Error: bug injected at run by PRUNE_SENSE_TEST_INJECT_BUG \(test-only\)$/);
    expect(countsLine(io.out)).toMatch(/^0 ok, 2 failed · results in /);
  });

  it("exits 1 when one run of several failed", async () => {
    const dir = tempDir();
    const out = join(dir, "out");
    await runCommand("run", tinyConfig(dir, "mixed", "sweep:\n  prune.threshold: [0.05]\n"), "--out", out);
    process.env.PRUNE_SENSE_TEST_INJECT_BUG = "run";
    // the first run is complete (skipped), the second fails
    const io = await runCommand("run", tinyConfig(dir, "mixed"), "--out", out);
    expect(countsLine(io.out)).toMatch(/^1 ok, 1 failed · /);
    expect(io.code).toBe(1);
  });

  it("prints the config's warnings, and fewer jobs when the memory limit holds fewer runs at once", async () => {
    const dir = tempDir();
    const config = tinyConfig(dir, "narrow", "model: { k: 1 }\nsweep:\n  prune.threshold: [0.05, 0.1, 0.2]\n");
    writeFileSync(config, readFileSync(config, "utf8").replace("model: { k: 6 }\n", ""));
    const io = await runCommand("run", config, "--out", join(dir, "out"), "--jobs", "3", "--max-memory", "150M");
    expect(withoutDiagnostics(io.warn)).toEqual(["model.k: 1 < problem.r (2): the model cannot fit the ground truth exactly"]);
    expect(io.info).toEqual(["--jobs 1 instead of 3: that many runs fit in the memory limit at once (--max-memory)"]);
    // more jobs than runs is not a cut
    const roomy = await runCommand("run", tinyConfig(dir), "--out", join(dir, "roomy"), "--jobs", "4", "--max-memory", "8G");
    expect(roomy.info).toEqual([]);
  });

  it("runs one shard into its own summary file", async () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const io = await runCommand("run", tinyConfig(dir, "sharded", "sweep:\n  prune.threshold: [0.05, 0.1, 0.2]\n"), "--out", out, "--shard", "2/2");
    expect(io.out.filter((l) => ID.test(l.split(/\s+/)[0]))).toHaveLength(1);
    expect(io.out).toContain("files: summary-shard-2-of-2.csv, runs/<run_id>/{config.json,trace.csv,columns.csv}");
    expect(existsSync(join(out, "summary-shard-2-of-2.csv"))).toBe(true);
    expect(readdirSync(join(out, "runs"))).toHaveLength(1);
  });

  it("says which damaged run it runs again", async () => {
    const dir = tempDir();
    const config = tinyConfig(dir);
    const out = join(dir, "out");
    await runCommand("run", config, "--out", out);
    const id = summaryIds(out)[0];
    writeFileSync(join(out, "runs", id, "result.json"), "{ not json");
    const again = await runCommand("run", config, "--out", out);
    expect(withoutDiagnostics(again.warn)).toHaveLength(1);
    expect(withoutDiagnostics(again.warn)[0]).toMatch(new RegExp(`^run ${id}: .+; running it again$`));
    expect(again.info).toEqual(["1 complete run skipped (resume; --force re-runs them)"]);
  });

  it("on SIGTERM (a job scheduler's stop) says the same as on Ctrl-C, and ends of the signal (status 143)", async () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const before = process.listeners("SIGTERM");
    const kill = catchEndBySignal();
    let stopped = false;
    onStderr((chunk) => {
      if (!stopped && chunk.startsWith("[1/2]")) {
        stopped = true;
        (process.listeners("SIGTERM").find((l) => !before.includes(l)) as (s: NodeJS.Signals) => void)("SIGTERM");
      }
    });
    const io = await runCommand("run", tinyConfig(dir), "--out", out);
    expect(stopped).toBe(true);
    expect(kill).toHaveBeenCalledWith(process.pid, "SIGTERM");
    expect(withoutDiagnostics(io.warn)).toEqual([`interrupted (SIGTERM): completed runs are kept in ${out}; run the same command again to resume`]);
    expect(process.listeners("SIGTERM")).toEqual(before);
  });

  it("on Ctrl-C stops the view, says the finished runs are kept and how to resume, and ends of the signal (status 130)", async () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const before = process.listeners("SIGINT");
    const beforeTerm = process.listeners("SIGTERM");
    const kill = catchEndBySignal();
    let interrupted = false;
    onStderr((chunk) => {
      // Ctrl-C once the first run is reported done
      if (!interrupted && chunk.startsWith("[1/2]")) {
        interrupted = true;
        const handler = process.listeners("SIGINT").find((l) => !before.includes(l));
        (handler as (s: NodeJS.Signals) => void)("SIGINT");
      }
    });
    const io = await runCommand("run", tinyConfig(dir), "--out", out);
    expect(interrupted).toBe(true);
    expect(kill).toHaveBeenCalledWith(process.pid, "SIGINT");
    expect(withoutDiagnostics(io.warn)).toEqual([`interrupted (SIGINT): completed runs are kept in ${out}; run the same command again to resume`]);
    // the handlers go with the command: a later Ctrl-C is not answered by a finished run
    expect(process.listeners("SIGINT")).toEqual(before);
    expect(process.listeners("SIGTERM")).toEqual(beforeTerm);
  });
});

describe("run on a terminal", () => {
  it("draws bars and, on Ctrl-C, shows the cursor again before saying how to resume", async () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const before = process.listeners("SIGINT");
    const kill = catchEndBySignal();
    const wasTTY = process.stderr.isTTY;
    process.stderr.isTTY = true;
    let interrupted = false;
    let atInterrupt = "";
    let drawn = "";
    onStderr((chunk) => {
      drawn += chunk;
      // Ctrl-C once the bars show the first run done
      if (!interrupted && drawn.includes("1/2 runs")) {
        interrupted = true;
        (process.listeners("SIGINT").find((l) => !before.includes(l)) as (s: NodeJS.Signals) => void)("SIGINT");
        atInterrupt = drawn;
      }
    });
    try {
      const io = await runCommand("run", tinyConfig(dir), "--out", out);
      expect(interrupted).toBe(true);
      expect(kill).toHaveBeenCalledWith(process.pid, "SIGINT");
      expect(withoutDiagnostics(io.warn)).toEqual([`interrupted (SIGINT): completed runs are kept in ${out}; run the same command again to resume`]);
      expect(atInterrupt).toContain("\u001b[?25h");
      expect(io.stderr).toMatch(/ train \d+\/60 · r[0-9a-f]{10} prune\.threshold=0\.05/);
    } finally {
      process.stderr.isTTY = wasTTY;
    }
  });
});

describe("run through main: user errors are one line, exit 2", () => {
  it("names a bad --jobs, --shard and --max-memory", async () => {
    const dir = tempDir();
    const config = tinyConfig(dir);
    const jobs = await runMain(["run", config, "--jobs", "0"]);
    expect(jobs.code).toBe(2);
    expect(jobs.stderr).toBe("error: option '-j, --jobs <n>' argument '0' is invalid. expected a positive integer.\n");
    const shard = await runMain(["run", config, "--shard", "3/2", "--out", join(dir, "never")]);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toMatch(/^error: --shard 3\/2: [^\n]+\n$/);
    expect(existsSync(join(dir, "never"))).toBe(false);
  });

  it("refuses an output folder that is a file, before running anything", async () => {
    const dir = tempDir();
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const r = await runMain(["run", tinyConfig(dir), "--out", file]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toContain(file);
    expect(r.stdout).toBe("");
  });
});
