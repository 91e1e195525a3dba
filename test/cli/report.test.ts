import { describe, expect, it } from "vitest";
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

  it("splits columns greedily, the first one in every table", () => {
    expect(splitColumns([11, 6, 6], 20)).toEqual([[0, 1], [0, 2]]);
    expect(splitColumns([11, 3, 3], 21)).toEqual([[0, 1, 2]]);
    expect(formatDuration(0.518)).toBe("0.52 s");
  });
});
