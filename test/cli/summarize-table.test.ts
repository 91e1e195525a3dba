/** The table `prune-sense summarize` prints: --by keys, runs, mean ± std of the headline metrics, 80 columns at most. */
import { describe, expect, it } from "vitest";
import { summaryTableLines } from "../../src/cli/commands/summarize.js";
import type { Group, MetricStats, Summary } from "../../src/inspect/summarize.js";

const stats = (mean: number | null, std: number | null = null): MetricStats => ({ count: 2, mean, std, min: mean, max: mean });

function group(key: Record<string, string>, runs: number, s: Record<string, MetricStats>): Group {
  return { key, runs, stats: s };
}

describe("the summarize table", () => {
  it("shows mean±std with 3 significant digits, e-notation outside [0.01, 1e4), a bare mean when std is 0 or unknown", () => {
    const summary: Summary = {
      by: ["lambda"],
      metrics: ["kept_columns", "recovery_error", "test_loss", "seconds"],
      groups: [
        group({ lambda: "0" }, 3, { kept_columns: stats(36.666666, 1.5275), recovery_error: stats(0.012345, 0), test_loss: stats(0, null), seconds: stats(1) }),
        group({ lambda: "0.1" }, 1, { kept_columns: stats(3, 0), recovery_error: stats(5.84e-16, null), test_loss: stats(12345.6, 0.004), seconds: stats(1) }),
        group({ lambda: "1" }, 1, { kept_columns: stats(null), recovery_error: stats(0.00999), test_loss: stats(9999.4), seconds: stats(1) }),
      ],
    };
    const lines = summaryTableLines(summary);
    // headline metrics only, in their order; columns padded to the widest cell
    expect(lines).toEqual([
      "lambda  runs  kept_columns  recovery_error  test_loss",
      "0       3     36.7±1.53     0.0123          0",
      "0.1     1     3             5.8e-16         1.2e+4±4.0e-3",
      "1       1     –             1.0e-2          10000",
    ]);
  });

  it("prints rates just under 1 with the digits that tell them from 1", () => {
    const summary: Summary = {
      by: [],
      metrics: ["finetune_rate"],
      groups: [group({}, 4, { finetune_rate: stats(0.99996, 0.5) }), group({}, 1, { finetune_rate: stats(0.5) }), group({}, 1, { finetune_rate: stats(1) })],
    };
    expect(summaryTableLines(summary).slice(1)).toEqual(["4     0.99996±0.5", "1     0.5", "1     1"]);
  });

  it("drops the metrics that would pass 80 columns, never the --by keys or the run count", () => {
    const wide = "x".repeat(30);
    const summary: Summary = {
      by: [wide, `${wide}y`],
      metrics: ["kept_columns", "recovery_error", "finetune_rate", "test_loss"],
      groups: [group({ [wide]: "a", [`${wide}y`]: "b" }, 2, { kept_columns: stats(3), recovery_error: stats(1e-3), finetune_rate: stats(0.8), test_loss: stats(1) })],
    };
    const lines = summaryTableLines(summary);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[0].split(/\s+/)).toEqual([wide, `${wide}y`, "runs"]);
    // a line of exactly 80 columns fits; one more does not
    const fits = "w".repeat(29);
    const at80 = summaryTableLines({ ...summary, by: [fits], groups: [group({ [fits]: "a" }, 2, summary.groups[0].stats)] });
    expect(at80[0].split(/\s+/)).toEqual([fits, "runs", "kept_columns", "recovery_error", "finetune_rate"]);
    expect(at80[0].length).toBe(80);
    const past80 = summaryTableLines({ ...summary, by: [wide], groups: [group({ [wide]: "a" }, 2, summary.groups[0].stats)] });
    expect(past80[0].split(/\s+/)).toEqual([wide, "runs", "kept_columns", "recovery_error"]);
    // even when nothing fits, the keys and runs stay
    const huge = "z".repeat(90);
    expect(summaryTableLines({ ...summary, by: [huge], groups: [group({ [huge]: "a" }, 2, summary.groups[0].stats)] })[0].split(/\s+/)).toEqual([huge, "runs"]);
  });
});
