import { afterEach, describe, expect, it } from "vitest";
import chalk from "chalk";
import { formatDuration, splitColumns, summaryLines, sweptHeaders } from "../../src/cli/report.js";
import { planRuns } from "../../src/sweep/plan.js";
import type { RunRecord } from "../../src/output/results.js";

/** Records of a 3-key sweep, as `run` would return them (metrics made up, shapes real). */
function records(): { recs: RunRecord[]; keys: string[] } {
  const plan = planRuns({ sweep: { "model.k": [4, 32], "train.lambda": [0, 0.03], "prune.threshold": [0.05, 0.2], seed: [1, 2] } });
  const recs = plan.runs.map((run, i): RunRecord => ({
    run_id: run.id, index: run.index, swept: run.swept, status: i === 3 ? "diverged" : "ok", error: "", diverged_phase: "",
    diverged_step: i === 3 ? 1234 : null, seconds: 12.345, config: run.config,
    metrics: {
      kept_columns: 2, prune_cut: 0, train_steps: 3000, kicks: 0, grad_norm_trained: 1e-9, hessian_min_eig_trained: 1e-9,
      train_loss_trained: 1e-3, test_loss_trained: 1e-3, recovery_error_trained: 1e-3, recovery_error_pruned: 1e-3,
      finetune_steps: 2000, train_loss: 1.234e-30, test_loss: 1.234e-30, recovery_error: 1.5e-15, finetune_rate: 0.99996,
    },
  }));
  return { recs, keys: plan.sweptKeys };
}

describe("the run summary", () => {
  const { recs, keys } = records();
  const lines = summaryLines(recs, keys, "results/sweep", "summary.csv", 83.4);

  it("fits 80 columns, moving the columns that do not fit to a second table keyed by run id", () => {
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    const heads = lines.filter((l) => l.startsWith("run "));
    expect(heads.length).toBe(2);
    expect(heads[0]).toMatch(/^run +k +lambda +threshold +seed +status/);
  });

  it("prints rates with enough digits to differ from 1 and ends with the total time", () => {
    expect(lines.join("\n")).toContain("0.99996");
    expect(lines[lines.length - 1]).toBe("15 ok, 1 diverged · results in results/sweep · total 1 min 23 s");
  });

  it("names swept columns by their last key part unless that is ambiguous", () => {
    expect(sweptHeaders(["train.steps", "finetune.steps", "model.k"], [])).toEqual(["train.steps", "finetune.steps", "k"]);
    expect(sweptHeaders(["problem.r"], ["r"])).toEqual(["problem.r"]);
  });

  it("names a swept kind by what it chooses, never a bare \"kind\" (problem.kind and train.penalty.kind were both \"kind\")", () => {
    expect(sweptHeaders(["problem.kind", "seed"], [])).toEqual(["problem", "seed"]);
    expect(sweptHeaders(["train.penalty.kind", "seed"], [])).toEqual(["penalty", "seed"]);
    expect(sweptHeaders(["train.optimizer.kind", "finetune.optimizer.kind"], [])).toEqual(["optimizer", "finetune.optimizer.kind"]);
  });

  it("splits columns greedily, the first one in every table", () => {
    expect(splitColumns([11, 6, 6], 20)).toEqual([[0, 1], [0, 2]]);
    expect(splitColumns([11, 3, 3], 21)).toEqual([[0, 1, 2]]);
    expect(formatDuration(0.518)).toBe("0.52 s");
  });
});

describe("the run summary's cells", () => {
  const plan = planRuns({ train: { steps: 5 }, sweep: { seed: Array.from({ length: 20 }, (_, i) => i + 1) } });
  const rec = (i: number, over: Partial<RunRecord> = {}, metrics: Partial<RunRecord["metrics"]> = {}): RunRecord => ({
    run_id: plan.runs[i].id, index: i, swept: plan.runs[i].swept, status: "ok", error: "", diverged_phase: "", diverged_step: null,
    seconds: 1.25, config: plan.runs[i].config, ...over,
    metrics: { ...records().recs[0].metrics, kept_columns: plan.runs[i].config.problem.r, ...metrics },
  });
  const cells = (line: string) => line.trim().split(/\s+/);
  const saved = chalk.level;
  afterEach(() => {
    chalk.level = saved;
  });

  it("write errors with 3 significant digits in [0.01, 1e4), else in e-notation with 2 decimals", () => {
    chalk.level = 0;
    const lines = summaryLines([
      rec(0, {}, { recovery_error: 0.01, test_loss: 123.4 }),
      rec(1, {}, { recovery_error: 0.00999, test_loss: 12345 }),
      rec(2, {}, { recovery_error: -0.5, test_loss: Number.NaN, finetune_rate: Number.NaN }),
    ], ["seed"], "o", "summary.csv");
    // columns: run, seed, status, kept, r, rec.err, rate, test
    expect(cells(lines[1]).slice(5, 8)).toEqual(["0.0100", "0.99996", "123"]);
    expect(cells(lines[2]).slice(5, 8)).toEqual(["9.99e-3", "0.99996", "1.23e+4"]);
    expect(cells(lines[3]).slice(5, 8)).toEqual(["-0.500", "–", "–"]);
  });

  it("lists 20 runs without a 'more' line, and the errors of the first 3 failed runs", () => {
    chalk.level = 0;
    const failed = (i: number) => rec(i, { status: "failed", error: `Error: run ${i} broke` });
    const lines = summaryLines([...Array.from({ length: 16 }, (_, i) => rec(i)), failed(16), failed(17), failed(18), failed(19)], ["seed"], "o", "summary.csv");
    expect(lines.some((l) => l.startsWith("…"))).toBe(false);
    expect(lines.filter((l) => / broke$/.test(l))).toEqual([16, 17, 18].map((i) => `${plan.runs[i].id}: Error: run ${i} broke`));
    expect(lines[lines.length - 1]).toBe("16 ok, 4 failed · results in o");
  });

  it("colours status and kept columns (green: ok / all r kept; yellow: diverged / other counts; red: failed) and keeps columns aligned", () => {
    chalk.level = 1;
    const lines = summaryLines([
      rec(0),
      rec(1, {}, { kept_columns: 7 }),
      rec(2, { status: "diverged", diverged_step: 5 }),
      rec(3, { status: "failed", error: "Error: x" }),
    ], ["seed"], "o", "summary.csv", 1);
    const G = (s: string) => `\u001b[32m${s}\u001b[39m`;
    const Y = (s: string) => `\u001b[33m${s}\u001b[39m`;
    const R = (s: string) => `\u001b[31m${s}\u001b[39m`;
    const r = String(plan.runs[0].config.problem.r);
    const squeezed = (line: string) => line.replace(/ +/g, " ");
    expect(squeezed(lines[1])).toContain(`${G("ok")} ${G(r)} `);
    expect(squeezed(lines[2])).toContain(`${G("ok")} ${Y("7")} `);
    expect(lines[3]).toContain(Y("diverged@5"));
    expect(lines[4]).toContain(R("failed"));
    expect(lines[5]).toBe(R(`${plan.runs[3].id}: Error: x`));
    expect(lines[lines.length - 1]).toBe(`${G("2 ok")}, ${Y("1 diverged")}, ${R("1 failed")} · results in \u001b[36mo\u001b[39m · total 1.00 s`);
    // aligned as without colour
    const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");
    const at = plain(lines[0]).indexOf("kept");
    for (const line of lines.slice(1, 5)) expect(plain(line).slice(at - 2, at)).toBe("  ");
  });
});

describe("the summary's layout helpers", () => {
  it("never leaves a column alone: one wider than the table still joins the run id", () => {
    expect(splitColumns([30, 60], 80)).toEqual([[0, 1]]);
    expect(splitColumns([30, 60, 5], 80)).toEqual([[0, 1], [0, 2]]);
    expect(splitColumns([10, 3, 3], 20)).toEqual([[0, 1, 2]]);
    expect(splitColumns([10, 3, 4], 20)).toEqual([[0, 1], [0, 2]]);
  });

  it("gives seconds 2 decimals under 10 s, 1 under a minute, then minutes and seconds", () => {
    expect(formatDuration(9.994)).toBe("9.99 s");
    expect(formatDuration(10)).toBe("10.0 s");
    expect(formatDuration(59.94)).toBe("59.9 s");
    expect(formatDuration(60)).toBe("1 min 0 s");
    expect(formatDuration(125.2)).toBe("2 min 5 s");
  });
});
