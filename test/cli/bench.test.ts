/**
 * `prune-sense bench`: what the options ask of the benchmark and what is printed. The
 * measurements themselves (tens of seconds, spawned processes) are stood in for here;
 * test/bench tests the benchmark, the e2e tests the binary.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { packageVersion } from "../../src/package/assets.js";
import { runCommand, runMain } from "./harness.js";

const calls = vi.hoisted(() => ({ bench: [] as unknown[], whole: [] as unknown[], batched: [] as unknown[], scaling: 0, twoData: 0 }));

vi.mock("../../src/bench/index.js", () => ({
  runBenchmark: async (o: { onLine?: (l: string) => void }) => {
    calls.bench.push(o);
    o.onLine?.("population d=200: step 1.0 ms");
    return { rows: ["row"], yardstick: { state: "skipped" } };
  },
  formatBenchTable: (r: { rows: string[] }) => `table of ${r.rows.length} row`,
}));
vi.mock("../../src/bench/whole-process.js", () => ({
  measureWholeProcess: (o: { onLine?: (l: string) => void }) => {
    calls.whole.push(o);
    o.onLine?.("whole run default: 1.2 s");
    return { repeats: 3 };
  },
  formatWholeProcess: () => "whole-process table",
}));
vi.mock("../../src/bench/batched-sweep.js", () => ({
  measureBatchedSweep: (o: { onLine?: (l: string) => void }) => {
    calls.batched.push(o);
    o.onLine?.("batched sweep: ours 1.0 s");
    return { runs: 32, ours_runs_per_s: 32 };
  },
  formatBatchedSweep: () => "batched-sweep table",
}));
vi.mock("../../src/bench/sweep-scaling.js", async (original) => ({
  ...((await original()) as object),
  measureSweepScaling: () => {
    calls.scaling++;
    return [{ jobs: 1, seconds: 2, speedup: 1 }];
  },
  measureTwoDataSweep: () => {
    calls.twoData++;
    return [{ jobs: 2, seconds: 1, speedup: 2 }];
  },
  formatScaling: (_rows: unknown, config: string) => `scaling of ${config}`,
}));

beforeEach(() => {
  calls.bench = [];
  calls.whole = [];
  calls.batched = [];
  calls.scaling = 0;
  calls.twoData = 0;
});

describe("bench", () => {
  it("by default times steps, whole processes and sweep scaling, progress on stderr and tables on stdout", async () => {
    const io = await runCommand("bench");
    expect(calls.bench).toEqual([expect.objectContaining({ quick: false, reps: undefined, yardstick: undefined })]);
    expect(calls.whole).toEqual([expect.objectContaining({ yardstick: undefined })]);
    expect(calls.batched).toEqual([expect.objectContaining({ yardstick: undefined })]);
    expect(calls.scaling).toBe(1);
    expect(calls.twoData).toBe(1);
    expect(io.info).toEqual(["population d=200: step 1.0 ms", "whole run default: 1.2 s", "batched sweep: ours 1.0 s"]);
    // one text, the parts a blank line apart (bench/report.ts, which docs/speed.md renders too)
    expect(io.out).toEqual([[
      "table of 1 row", "whole-process table", "batched-sweep table", "scaling of configs/sweep-k-lambda-eps.yaml",
      "scaling of of 16 runs over two data sets (bench/sweep-scaling.ts TWO_DATA_SWEEP)",
    ].join("\n\n")]);
  });

  it("--quick is a smoke run: the step table only", async () => {
    const io = await runCommand("bench", "--quick", "--reps", "3");
    expect(calls.bench).toEqual([expect.objectContaining({ quick: true, reps: 3 })]);
    expect(calls.whole).toEqual([]);
    expect(calls.batched).toEqual([]);
    expect(calls.scaling).toBe(0);
    expect(calls.twoData).toBe(0);
    expect(io.out).toEqual(["table of 1 row"]);
  });

  it("--json prints one JSON document, with null for what was skipped, and no progress lines", async () => {
    const io = await runCommand("bench", "--json", "--no-scaling");
    expect(io.info).toEqual([]);
    expect(io.out).toHaveLength(1);
    expect(JSON.parse(io.out[0])).toEqual({
      prune_sense: packageVersion(), rows: ["row"], yardstick: { state: "skipped" }, whole_process: { repeats: 3 },
      batched_sweep: { runs: 32, ours_runs_per_s: 32 }, sweep_scaling: null, sweep_two_data_sets: null,
    });
    expect(calls.bench).toEqual([expect.objectContaining({ onLine: undefined })]);
    expect(calls.whole).toEqual([expect.objectContaining({ onLine: undefined })]);
    expect(calls.batched).toEqual([expect.objectContaining({ onLine: undefined })]);
    const both = await runCommand("bench", "--json", "--no-whole-process");
    expect(JSON.parse(both.out[0])).toMatchObject({
      whole_process: null, batched_sweep: null, sweep_scaling: [{ jobs: 1, seconds: 2, speedup: 1 }], sweep_two_data_sets: [{ jobs: 2, seconds: 1, speedup: 2 }],
    });
  });

  it("passes the yardstick paths on, and --no-yardstick runs no numpy at all", async () => {
    await runCommand("bench", "--yardstick", "a/numpy_step.py", "--sufficient-yardstick", "b/suff.py", "--no-scaling");
    expect(calls.bench).toEqual([expect.objectContaining({ yardstick: "a/numpy_step.py" })]);
    expect(calls.whole).toEqual([expect.objectContaining({ yardstick: "b/suff.py" })]);
    expect(calls.batched).toEqual([expect.objectContaining({ yardstick: "b/suff.py" })]);
    const io = await runCommand("bench", "--no-yardstick", "--sufficient-yardstick", "b/suff.py", "--no-scaling");
    expect(calls.bench[1]).toMatchObject({ yardstick: null });
    expect(calls.whole[1]).toMatchObject({ yardstick: null });
    expect(calls.batched[1]).toMatchObject({ yardstick: null });
    expect(io.out).toEqual(["table of 1 row\n\nwhole-process table\n\nbatched-sweep table"]);
  });

  it("refuses --reps 0 in one line, exit 2", async () => {
    const r = await runMain(["bench", "--reps", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: option '--reps <n>' argument '0' is invalid\. expected a positive integer\.\n$/);
    expect(calls.bench).toEqual([]);
  });
});
