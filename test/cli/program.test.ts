/**
 * The command-line program in-process (the end-to-end tests spawn the built
 * binary; these reach the same code from src/): the error boundary's exit codes
 * and lines, and the commands that need no worker threads.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import chalk from "chalk";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildProgram, main } from "../../src/cli/main.js";
import { summaryLines } from "../../src/cli/report.js";
import type { Io } from "../../src/cli/io.js";
import { collect, parsePositiveInt } from "../../src/cli/io.js";
import { planRuns } from "../../src/sweep/plan.js";
import { emptyMetrics } from "../../src/pipeline/run.js";
import type { RunRecord } from "../../src/output/results.js";
import { writePlanFile } from "../../src/sweep/run-sweep.js";
import { writeRunFiles } from "../../src/output/results.js";
import { currentProvenance } from "../../src/package/provenance.js";

const TINY = "test/fixtures/configs/tiny-sweep.yaml";

/** An Io that records what a command printed and the exit code it asked for. */
function recordingIo() {
  const io = { out: [] as string[], info: [] as string[], warn: [] as string[], code: 0 };
  const sink: Io = {
    out: (l) => io.out.push(l), info: (l) => io.info.push(l), warn: (l) => io.warn.push(l),
    setExitCode: (c) => (io.code = Math.max(io.code, c)),
  };
  return { io, run: async (...args: string[]) => (await buildProgram(sink, ["node", "prune-sense", ...args])).parseAsync(["node", "prune-sense", ...args]) };
}

describe("main, the error boundary", () => {
  let stderr: string;
  const savedNoColor = process.env.NO_COLOR;
  beforeEach(() => {
    stderr = "";
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    process.env.NO_COLOR = "1";
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
    delete process.env.PRUNE_SENSE_DEBUG;
    delete process.env.PRUNE_SENSE_TEST_INJECT_BUG;
    if (savedNoColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = savedNoColor;
  });

  it("exits 2 with one line and no stack for a user error", async () => {
    await main(["node", "prune-sense", "run", "missing.yaml"]);
    expect(process.exitCode).toBe(2);
    expect(stderr).toBe("error: missing.yaml: no such file\n");
  });

  it("adds the stack to a user error with PRUNE_SENSE_DEBUG=1", async () => {
    process.env.PRUNE_SENSE_DEBUG = "1";
    await main(["node", "prune-sense", "run", "missing.yaml"]);
    expect(process.exitCode).toBe(2);
    expect(stderr).toMatch(/^error: missing.yaml: no such file\n\w*Error: missing.yaml: no such file\n\s+at /);
  });

  it("exits 70 with the stack and where to report it for anything else", async () => {
    process.env.PRUNE_SENSE_TEST_INJECT_BUG = "command";
    await main(["node", "prune-sense", "validate", TINY]);
    expect(process.exitCode).toBe(70);
    expect(stderr).toMatch(/^internal error: Error: bug injected at command by PRUNE_SENSE_TEST_INJECT_BUG \(test-only\)\n\s+at /);
    expect(stderr).toContain("This is a bug in prune-sense: please report it with the command and config that caused it.\n");
  });

  it("exits 2 for a bad flag (commander prints it) and 0 for --version", async () => {
    await main(["node", "prune-sense", "run", TINY, "--frobnicate"]);
    expect(process.exitCode).toBe(2);
    expect(stderr).toBe("error: unknown option '--frobnicate'\n");
    process.exitCode = undefined;
    await main(["node", "prune-sense", "--version"]);
    expect(process.exitCode).toBe(0);
  });
});

describe("commands in-process", () => {
  it("validate prints the run count, swept keys, run id and resolved config", async () => {
    const { io, run } = recordingIo();
    await run("validate", TINY, "--set", "model.k=5");
    expect(io.out[0]).toBe(`# ${TINY}: valid, 12 runs (sweeping train.lambda, prune.threshold, seed); the first run resolves to:`);
    expect(io.out[1]).toMatch(/^# run_id: r[0-9a-f]{10}$/);
    expect(io.out[2]).toContain("k: 5\n");
    const one = recordingIo();
    await one.run("validate", "configs/default.yaml");
    expect(one.io.out[0]).toBe("# configs/default.yaml: valid, 1 run; resolves to:");
  });

  it("schema prints the committed JSON Schema", async () => {
    const { io, run } = recordingIo();
    await run("schema");
    expect(`${io.out.join("\n")}\n`).toBe(readFileSync("prune-sense.schema.json", "utf8"));
  });

  it("run --dry-run lists each run with its index, id and swept values, for a shard too", async () => {
    const { io, run } = recordingIo();
    await run("run", TINY, "--dry-run", "--out", "somewhere", "--shard", "2/5");
    expect(io.out[0]).toBe("12 runs (shard 2/5: 3) → somewhere");
    expect(io.out.slice(1).map((l) => l.slice(0, 4))).toEqual(["   1", "   6", "  11"]);
    expect(io.out[1]).toMatch(/^ {3}1 {2}r[0-9a-f]{10} {2}train\.lambda=0, prune\.threshold=0\.05, seed=2$/);
    const single = recordingIo();
    await single.run("run", "configs/default.yaml", "--dry-run");
    expect(single.io.out[0]).toBe("1 run → results/default");
  });

  it("run refuses a shard without runs, before writing anything", async () => {
    const { run } = recordingIo();
    await expect(run("run", "configs/default.yaml", "--shard", "2/3", "--out", "never")).rejects.toThrow(
      "--shard 2/3: this shard has no runs (the sweep has 1)",
    );
  });

  it("merge reports the runs it joined, and exit code 1 with the missing ones", async () => {
    const plan = planRuns({ train: { steps: 5 }, finetune: { steps: 5 }, sweep: { seed: [1, 2, 3, 4, 5, 6, 7] } });
    const dir = mkdtempSync(join(tmpdir(), "prune-sense-cli-merge-"));
    writePlanFile(dir, plan);
    const rec = (i: number): RunRecord => ({
      run_id: plan.runs[i].id, index: i, swept: plan.runs[i].swept, status: "ok", error: "", diverged_phase: "", diverged_step: null,
      metrics: emptyMetrics(), seconds: 0, config: plan.runs[i].config, provenance: currentProvenance(new Date(0)),
    });
    writeRunFiles(dir, rec(0), { trace: [], columns: [] });
    const { io, run } = recordingIo();
    await run("merge", dir);
    expect(io.out).toEqual([`1 runs → ${dir}/summary.csv`]);
    expect(io.warn).toEqual([`6 runs are not complete yet: ${plan.runs.slice(1, 6).map((r) => r.id).join(", ")}, …`]);
    expect(io.code).toBe(1);
    for (let i = 1; i < 6; i++) writeRunFiles(dir, rec(i), { trace: [], columns: [] });
    const again = recordingIo();
    await again.run("merge", dir);
    expect(again.io.warn).toEqual([`1 run is not complete yet: ${plan.runs[6].id}`]);
    writeRunFiles(dir, rec(6), { trace: [], columns: [] });
    const done = recordingIo();
    await done.run("merge", dir);
    expect(done.io.code).toBe(0);
    expect(done.io.warn).toEqual([]);
  });
});

describe("option parsers", () => {
  it("collect repeats, parsePositiveInt accepts 1, 2, … only", () => {
    expect(collect("b", ["a"])).toEqual(["a", "b"]);
    expect(parsePositiveInt("--jobs")("3")).toBe(3);
    for (const bad of ["0", "-1", "1.5", "x", ""]) expect(() => parsePositiveInt("--jobs")(bad)).toThrow("expected a positive integer.");
  });
});

describe("summaryLines", () => {
  beforeAll(() => {
    chalk.level = 0; // the layout, not the colours (a terminal running the tests would have them)
  });
  const plan = planRuns({ train: { steps: 5 }, sweep: { "model.k": Array.from({ length: 22 }, (_, i) => i + 3) } });
  const rec = (i: number, over: Partial<RunRecord> = {}): RunRecord => ({
    run_id: plan.runs[i].id, index: i, swept: plan.runs[i].swept, status: "ok", error: "", diverged_phase: "", diverged_step: null,
    metrics: { ...emptyMetrics(), kept_columns: 3, recovery_error: 5.84e-16, test_loss: 0, finetune_rate: 0.858 },
    seconds: 0.54, config: plan.runs[i].config, ...over,
  });

  it("lays out a table of runs, statuses and metrics, then the counts and where the files are", () => {
    const lines = summaryLines(
      [rec(0), rec(1, { status: "diverged", diverged_step: 12, metrics: emptyMetrics() }), rec(2, { status: "failed", error: "Error: boom" })],
      ["model.k"], "out/dir", "summary.csv",
    );
    // a swept key is headed by its last part (model.k → k) so the table fits 80 columns
    expect(lines[0].trim().split(/\s+/)).toEqual(["run", "k", "status", "kept", "r", "rec.err", "rate", "test", "s"]);
    expect(lines[1].trim().split(/\s+/)).toEqual([plan.runs[0].id, "3", "ok", "3", "3", "5.84e-16", "0.858", "0", "0.5"]);
    expect(lines[2].trim().split(/\s+/)).toEqual([plan.runs[1].id, "4", "diverged@12", "–", "3", "–", "–", "–", "0.5"]);
    expect(lines[4]).toBe(`${plan.runs[2].id}: Error: boom`);
    expect(lines[5]).toBe("files: summary.csv, runs/<run_id>/{config.json,trace.csv,columns.csv}");
    expect(lines[6]).toBe("1 ok, 1 diverged, 1 failed · results in out/dir");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    // columns line up: every row is as wide as the header up to the last column
    expect(lines[1].indexOf("ok")).toBe(lines[0].indexOf("status"));
  });

  it("shows 20 rows, then how many more are in the summary file", () => {
    const lines = summaryLines(plan.runs.map((_, i) => rec(i)), ["model.k"], "o", "summary-shard-1-of-2.csv");
    expect(lines).toHaveLength(1 + 20 + 3);
    expect(lines[21]).toBe("… 2 more rows in summary-shard-1-of-2.csv");
    expect(lines[22]).toBe("files: summary-shard-1-of-2.csv, runs/<run_id>/{config.json,trace.csv,columns.csv}");
    expect(lines[23]).toBe("22 ok · results in o");
  });
});
