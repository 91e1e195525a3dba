/**
 * What the files say, not only their headers: trace.csv's global step numbering,
 * the prune row and the logging cadence, a held-out test loss, summary values
 * equal to the last trace row, and NaN/Inf cells that both the project's parser
 * and Python's csv module read back as numbers.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseNumber } from "../../src/figures/csv.js";
import { CLI_TIMEOUT_MS, cli, readCsv, tempDir } from "./cli.js";

/** A short noisy sensing run: 23 training steps and 12 fine-tuning steps, logged every 5. */
const SHORT = [
  "--set", "problem.d=5", "--set", "problem.r=2", "--set", "problem.n=150", "--set", "problem.n_test=60",
  "--set", "problem.noise=0.3", "--set", "model.k=6", "--set", "train.steps=23", "--set", "finetune.steps=12",
  "--set", "log.every=5",
];

function runOnce(extra: string[]): { dir: string; summary: Record<string, string>; trace: Array<Record<string, string>> } {
  const dir = tempDir("outputs");
  const r = cli(["run", "configs/default.yaml", "--out", dir, ...SHORT, ...extra]);
  expect(r.stderr).not.toMatch(/error/);
  expect(r.code).toBe(0);
  const [summary] = readCsv(join(dir, "summary.csv"));
  return { dir, summary, trace: readCsv(join(dir, "runs", summary.run_id, "trace.csv")) };
}

/** Python's csv module reading a file, every non-empty numeric cell through float(): cell text → repr(float). */
function pythonFloats(path: string, columns: string[]): Array<Record<string, string | null>> {
  const script = [
    "import csv, json, sys",
    "cols = sys.argv[2].split(',')",
    "rows = list(csv.DictReader(open(sys.argv[1], newline='')))",
    "print(json.dumps([{c: (repr(float(r[c])) if r[c] != '' else None) for c in cols} for r in rows]))",
  ].join("\n");
  const r = spawnSync("python3", ["-c", script, path, columns.join(",")], { encoding: "utf8", timeout: CLI_TIMEOUT_MS });
  if (r.error || r.status !== 0) throw new Error(`python3 failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout) as Array<Record<string, string | null>>;
}

describe("trace.csv", () => {
  let base: ReturnType<typeof runOnce>;
  let moreTest: ReturnType<typeof runOnce>;
  beforeAll(() => {
    base = runOnce([]);
    moreTest = runOnce(["--set", "problem.n_test=90"]);
  }, 240_000);

  it("numbers steps globally, every log.every steps and at each phase's ends, with one prune row between", () => {
    expect(base.trace.map((r) => `${r.phase}:${r.step}`)).toEqual([
      "train:0", "train:5", "train:10", "train:15", "train:20", "train:23",
      "prune:23",
      "finetune:23", "finetune:28", "finetune:33", "finetune:35",
    ]);
    expect(Number(base.summary.train_steps)).toBe(23);
    expect(Number(base.summary.finetune_steps)).toBe(12);
  });

  it("writes the prune row with the kept columns and no gradient, and k columns before it", () => {
    const prune = base.trace.find((r) => r.phase === "prune")!;
    expect(prune.grad_norm).toBe("NaN");
    expect(Number(prune.columns)).toBe(Number(base.summary.kept_columns));
    expect(Number(prune.recovery_error)).toBe(Number(base.summary.recovery_error_pruned));
    for (const row of base.trace.filter((r) => r.phase === "train")) expect(row.columns).toBe("6");
  });

  it("holds out the test loss: it moves with n_test, the train loss does not", () => {
    for (const [i, row] of base.trace.entries()) {
      expect(row.test_loss).not.toBe(row.train_loss);
      expect(moreTest.trace[i].train_loss).toBe(row.train_loss);
      expect(moreTest.trace[i].test_loss).not.toBe(row.test_loss);
    }
  });

  it("ends on the values summary.csv reports as final and as trained", () => {
    const last = base.trace[base.trace.length - 1];
    for (const key of ["train_loss", "test_loss", "recovery_error"]) expect(base.summary[key]).toBe(last[key]);
    const trainedRow = base.trace.filter((r) => r.phase === "train").pop()!;
    expect(base.summary.test_loss_trained).toBe(trainedRow.test_loss);
    expect(base.summary.recovery_error_trained).toBe(trainedRow.recovery_error);
  });

  it("reads back the same numbers in Python's csv module", () => {
    const id = base.summary.run_id;
    const cols = ["step", "train_loss", "test_loss", "objective", "recovery_error", "grad_norm"];
    const py = pythonFloats(join(base.dir, "runs", id, "trace.csv"), cols);
    expect(py).toHaveLength(base.trace.length);
    base.trace.forEach((row, i) => {
      for (const c of cols) expect(Number(py[i][c]!.replace("nan", "NaN"))).toBe(parseNumber(row[c]));
    });
  });
});

describe("NaN and Inf cells", () => {
  let dir: string;
  let summary: Record<string, string>;
  let trace: Array<Record<string, string>>;
  beforeAll(() => {
    // a step of 1e80 overflows at step 1: the objective and gradient norm are +∞, the losses NaN
    dir = tempDir("nan");
    const r = cli(["run", "configs/population.yaml", "--out", dir, "--set", "train.step_size=1e80", "--set", "model.init_scale=1", "--set", "log.every=1", "--set", "train.steps=5"]);
    expect(r.code).toBe(0);
    [summary] = readCsv(join(dir, "summary.csv"));
    trace = readCsv(join(dir, "runs", summary.run_id, "trace.csv"));
  }, 120_000);

  it("are spelled NaN and Inf, and the project's parser reads them as NaN and ∞", () => {
    expect(summary.status).toBe("diverged");
    const last = trace[trace.length - 1];
    expect([last.train_loss, last.objective, last.grad_norm]).toEqual(["NaN", "Inf", "Inf"]);
    expect(parseNumber(last.train_loss)).toBeNaN();
    expect(parseNumber(last.objective)).toBe(Infinity);
    expect(summary.kept_columns).toBe("NaN");
    expect(summary.relative_threshold).toBe(""); // null: not set
    expect(parseNumber(summary.relative_threshold)).toBeNull();
  });

  it("are read as nan and inf by Python's csv module and float()", () => {
    const py = pythonFloats(join(dir, "runs", summary.run_id, "trace.csv"), ["train_loss", "objective", "grad_norm"]);
    expect(py[py.length - 1]).toEqual({ train_loss: "nan", objective: "inf", grad_norm: "inf" });
    const [row] = pythonFloats(join(dir, "summary.csv"), ["kept_columns", "relative_threshold", "diverged_step"]);
    expect(row).toEqual({ kept_columns: "nan", relative_threshold: null, diverged_step: "1.0" });
  });

  it("leaves no temp file behind", () => {
    const all = readdirSync(dir, { recursive: true }) as string[];
    expect(all.filter((f) => f.includes(".tmp-"))).toEqual([]);
  });
});
