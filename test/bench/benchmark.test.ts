import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatBenchTable, runBenchmark, type BenchReport, type BenchSize } from "../../src/bench/index.js";
import { locateYardstick } from "../../src/bench/yardstick.js";
import { formatWholeProcess, locateSufficientYardstick, measureWholeProcess, numpyEnv, WHOLE_PROBLEMS, wholeRunConfig } from "../../src/bench/whole-process.js";

/** Whether python3 can import numpy here (the yardsticks need it). */
const NUMPY = (() => {
  const r = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8", timeout: 60_000 });
  if (r.error) return { ok: false, reason: "python3 not found" };
  return r.status === 0 ? { ok: true, reason: "" } : { ok: false, reason: "python3 cannot import numpy" };
})();

const TINY: BenchSize[] = [
  { kind: "population", d: 4, k: 5, n: 0 },
  { kind: "matrix-sensing", d: 3, k: 4, n: 20 },
  { kind: "quadratic-net", d: 3, k: 4, n: 30 },
];

/** A stand-in for numpy_step.py: echoes its size with fixed times, as `--json` does. */
const FAKE_YARDSTICK = `
import argparse, json
p = argparse.ArgumentParser()
p.add_argument("--model"); p.add_argument("--d", type=int); p.add_argument("--k", type=int)
p.add_argument("--n", type=int, default=0); p.add_argument("--reps", type=int, default=30)
p.add_argument("--json", action="store_true")
a = p.parse_args()
print(json.dumps([{"model": a.model, "d": a.d, "k": a.k, "n": a.n, "data_s": 0.5, "step_ms_median": 2.0, "step_ms_min": 1.5}]))
`;

describe("runBenchmark", () => {
  it("times data, setup, step and log row of every size, without a yardstick", async () => {
    const lines: string[] = [];
    const report = await runBenchmark({ sizes: TINY, reps: 3, yardstick: null, wholeRun: false, onLine: (l) => lines.push(l) });
    expect(report.yardstick).toMatchObject({ state: "skipped", reason: "disabled" });
    expect(report.rows.map((r) => r.kind)).toEqual(TINY.map((s) => s.kind));
    for (const row of report.rows) {
      for (const v of [row.data_ms, row.setup_ms, row.step_ms, row.step_ms_min, row.log_row_ms]) {
        expect(Number.isFinite(v) && v >= 0).toBe(true);
      }
      expect(row.reps).toBe(3);
      expect(row.numpy).toBeNull();
      expect(row.step_ratio).toBeNull();
      expect(row.whole).toBeNull();
    }
    expect(report.rows.map((r) => r.route)).toEqual(["dense", "moments", expect.any(String)]);
    expect(lines).toHaveLength(TINY.length);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("times a whole default-length run when asked", async () => {
    const report = await runBenchmark({ sizes: [{ ...TINY[1], wholeRun: true }], reps: 2, yardstick: null });
    const whole = report.rows[0].whole!;
    expect(whole.status).toBe("ok");
    expect(whole.steps).toBe(5000);
    expect(whole.log_rows).toBeGreaterThan(500);
    expect(whole.total_ms).toBeGreaterThan(0);
    expect(whole.numpy_ms).toBeNull();
  });

  it("skips the whole run in a quick benchmark", async () => {
    const report = await runBenchmark({ sizes: [{ ...TINY[1], wholeRun: true }], quick: true, yardstick: null });
    expect(report.rows[0].whole).toBeNull();
    expect(report.reps).toBe(5);
  });

  // CI installs python3-numpy (.ci/run); elsewhere a machine without it skips this visibly, with the reason
  it.skipIf(!NUMPY.ok)(`compares with the yardstick's numbers, run in the same invocation${NUMPY.ok ? "" : ` (skipped: ${NUMPY.reason})`}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-"));
    const path = join(dir, "numpy_step.py");
    writeFileSync(path, FAKE_YARDSTICK);
    const located = await locateYardstick(path);
    expect(located).toEqual({ state: "ok", path });
    const report = await runBenchmark({ sizes: [{ ...TINY[1], wholeRun: true }], reps: 2, yardstick: path });
    const row = report.rows[0];
    expect(row.numpy).toEqual({ data_ms: 500, step_ms: 2, step_ms_min: 1.5 });
    expect(row.step_ratio).toBeCloseTo(row.step_ms / 2, 12);
    expect(row.data_ratio).toBeCloseTo((row.data_ms + row.setup_ms) / 500, 12);
    expect(row.whole!.numpy_ms).toBe(500 + 5000 * 2);
    expect(row.whole!.ratio).toBeCloseTo(row.whole!.total_ms / 10500, 12);
  });
});

describe("locateYardstick", () => {
  it("skips a missing script with its path", async () => {
    const status = await locateYardstick("no/such/numpy_step.py", "/tmp");
    expect(status).toEqual({ state: "skipped", path: "/tmp/no/such/numpy_step.py", reason: "/tmp/no/such/numpy_step.py not found" });
  });

  it("is off when given null", async () => {
    expect(await locateYardstick(null)).toEqual({ state: "skipped", path: null, reason: "disabled" });
  });
});

describe("formatBenchTable", () => {
  const report: BenchReport = {
    started: "2026-01-01T00:00:00.000Z", node: "v20.0.0", cpu: "Test CPU", cores: 2, reps: 30,
    yardstick: { state: "ok", path: "/y/numpy_step.py", reason: "" },
    rows: [
      {
        kind: "matrix-sensing", d: 40, k: 80, n: 4000, route: "moments", data_ms: 200, setup_ms: 600, step_ms: 0.5,
        step_ms_min: 0.45, reps: 30, log_row_ms: 4, numpy: { data_ms: 270, step_ms: 3.5, step_ms_min: 3 },
        data_ratio: 800 / 270, step_ratio: 0.5 / 3.5,
        whole: { total_ms: 5000, status: "ok", steps: 5000, log_rows: 502, log_ms_estimate: 2008, numpy_ms: 17770, ratio: 5000 / 17770 },
        note: "",
      },
      {
        kind: "population", d: 200, k: 400, n: 0, route: "dense", data_ms: 10, setup_ms: 0.1, step_ms: 10.8,
        step_ms_min: 10, reps: 30, log_row_ms: 10, numpy: null, data_ratio: null, step_ratio: null, whole: null,
        note: "yardstick failed: boom",
      },
    ],
  };
  const table = formatBenchTable(report);
  const lines = table.split("\n");

  it("has a header, a rule and one line per size", () => {
    expect(lines[0]).toMatch(/^solver\s+d\s+k\s+n\s+route\s+data ms/);
    expect(lines[1]).toMatch(/^-+( +-+)+$/);
    expect(lines[2]).toMatch(/^matrix-sensing\s+40\s+80\s+4000\s+moments\s+800\s+600\s+270\s+2\.96×\s+0\.500\s+3\.50\s+0\.14×\s+5\.00\s+2\.01\s+17\.8\s+0\.28×$/);
    expect(lines[3]).toMatch(/^population\s+200\s+400\s+—\s+dense\s+10\.1\s+0\.100\s+—\s+—\s+10\.8\s+—\s+—\s+—\s+—\s+—\s+—$/);
  });

  it("explains the columns and lists the notes", () => {
    expect(table).toContain("numpy: /y/numpy_step.py");
    expect(table).toContain("population d=200: yardstick failed: boom");
  });
});

/** A stand-in for numpy_sufficient_stats.py: its JSON line with fixed times, after sleeping a little. */
const FAKE_SUFFICIENT = `
import argparse, json, time
p = argparse.ArgumentParser()
for a in ("--task", "--d", "--k", "--n", "--eta", "--T1", "--T2", "--log-every", "--seed", "--n-test"): p.add_argument(a)
a = p.parse_args()
time.sleep(0.05)
print(json.dumps({"task": a.task, "data_sec": 0.25, "setup_sec": 0.125, "step_sec": 0.0005, "total_sec": 0.5}))
`;

describe("measureWholeProcess", () => {
  it("builds the yardstick's problem as a config prune-sense runs", () => {
    expect(wholeRunConfig(WHOLE_PROBLEMS[0])).toMatchObject({
      seed: 3, problem: { kind: "matrix-sensing", d: 40, n: 4000, n_test: 500 }, model: { k: 80, init_scale: 1e-3 },
      train: { lambda: 0.1, beta: 0.1, step_size: 0.05, steps: 600 }, finetune: { steps: 200 }, log: { every: 100 },
    });
  });

  it("unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for numpy alone", () => {
    const env = numpyEnv({ OPENBLAS_CORETYPE: "Haswell", OPENBLAS_L2_SIZE: "1", PATH: "/bin", OPENBLAS_NUM_THREADS: "2" });
    expect(env).toEqual({ PATH: "/bin", OPENBLAS_NUM_THREADS: "2" });
  });

  it.skipIf(!NUMPY.ok)(`times ours cold and warm and the yardstick as whole processes, with ratios${NUMPY.ok ? "" : ` (skipped: ${NUMPY.reason})`}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-suff-"));
    const path = join(dir, "numpy_sufficient_stats.py");
    writeFileSync(path, FAKE_SUFFICIENT);
    const tiny = { label: "tiny", task: "sensing" as const, kind: "matrix-sensing", d: 4, k: 5, n: 40, eta: 0.05 };
    const report = measureWholeProcess({ yardstick: path, repeats: 1, problems: [tiny] });
    expect(report.yardstick).toMatchObject({ state: "ok", path });
    expect(report.yardstick.blas).not.toBe("");
    const [row] = report.rows;
    expect(row.ours_cold_s).toBeGreaterThan(0);
    expect(row.ours_warm_s).toBeGreaterThan(0);
    expect(row.numpy_s).toBeGreaterThanOrEqual(0.05);
    expect(row.cold_ratio).toBeCloseTo(row.ours_cold_s / row.numpy_s, 12);
    expect(row.warm_ratio).toBeCloseTo(row.ours_warm_s / row.numpy_s, 12);
    expect([row.numpy_data_s, row.numpy_setup_s, row.numpy_step_ms]).toEqual([0.25, 0.125, 0.5]);
    expect(report.startup.map((s) => s.command)).toEqual([
      "prune-sense --version", "prune-sense validate configs/default.yaml", "python3 -c 'import numpy'",
    ]);
    expect(row.ours_setup_one_thread_s).toBeGreaterThan(0);
    expect(row.ours_setup_s).toBeGreaterThan(0);
    const text = formatWholeProcess(report);
    expect(text).toMatch(/^tiny\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+×\s+[0-9.]+×\s+0\.25\s+0\.13\s+0\.500$/m);
    // the reduction row: ours on one thread, as a run does it, numpy's F.T @ F, and the ratio
    expect(text).toMatch(/^tiny\s+[0-9.]+\s+[0-9.]+\s+0\.125\s+[0-9.]+×$/m);
  });

  it("says why the yardstick was skipped", () => {
    expect(locateSufficientYardstick("no/such.py", "/tmp")).toMatchObject({ state: "skipped", reason: "/tmp/no/such.py not found" });
    expect(locateSufficientYardstick(null)).toMatchObject({ state: "skipped", reason: "disabled" });
  });
});
