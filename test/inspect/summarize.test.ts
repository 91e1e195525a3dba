import { describe, expect, it } from "vitest";
import { compareCells, describe as stats, metricColumns, summarizeRecords, summaryTableCsv } from "../../src/inspect/summarize.js";
import { parseCsv } from "../../src/figures/csv.js";

const CSV = `run_id,status,problem,lambda,seed,kept_columns,recovery_error,finetune_rate,error,train.lambda
ra,ok,matrix-sensing,0.1,1,2,1e-6,0.8,,0.1
rb,ok,matrix-sensing,0.1,2,3,3e-6,0.9,,0.1
rc,ok,matrix-sensing,0.1,3,7,2e-6,0.7,,0.1
rd,ok,matrix-sensing,0,1,12,4e-4,0.99996,,0
re,diverged,matrix-sensing,0,2,NaN,NaN,NaN,x,0
`;
const columns = CSV.split("\n")[0].split(",");
const records = parseCsv(CSV);

describe("summarize", () => {
  it("computes count, mean, sample std, min and max (by hand: 2, 3, 7 → mean 4, std √7)", () => {
    expect(stats([2, 3, 7])).toEqual({ count: 3, mean: 4, std: Math.sqrt(7), min: 2, max: 7 });
    expect(stats([5])).toEqual({ count: 1, mean: 5, std: null, min: 5, max: 5 });
    expect(stats([NaN])).toEqual({ count: 0, mean: null, std: null, min: null, max: null });
  });

  it("takes every numeric column that is not a setting as a metric", () => {
    expect(metricColumns(columns, records, ["lambda"])).toEqual(["kept_columns", "recovery_error", "finetune_rate"]);
  });

  it("groups by the --by keys over seeds, sorted by their keys (0 before 0.1, though 0.1 comes first); non-finite values (a diverged run) are not counted", () => {
    const s = summarizeRecords(columns, records, ["lambda"]);
    expect(s.groups.map((g) => [g.key.lambda, g.runs])).toEqual([["0", 2], ["0.1", 3]]);
    expect(s.groups[1].stats.kept_columns).toEqual({ count: 3, mean: 4, std: Math.sqrt(7), min: 2, max: 7 });
    // recovery error 1e-6, 3e-6, 2e-6: mean 2e-6, deviations ±1e-6 and 0 → std = √((1e-12 + 1e-12)/2) = 1e-6
    expect(s.groups[1].stats.recovery_error.mean).toBeCloseTo(2e-6, 18);
    expect(s.groups[1].stats.recovery_error.std).toBeCloseTo(1e-6, 18);
    expect(s.groups[0].stats.finetune_rate).toEqual({ count: 1, mean: 0.99996, std: null, min: 0.99996, max: 0.99996 });
  });

  it("sorts numbers numerically (2 before 10), then text; NaN and empty cells count as text", () => {
    expect(["10", "2", "b", "", "NaN", "-1", "1e-3"].sort(compareCells)).toEqual(["-1", "1e-3", "2", "10", "", "b", "NaN"]);
  });

  it("writes METRIC_count, _mean, _std, _min, _max per metric, std empty for a single run", () => {
    const csv = summaryTableCsv(summarizeRecords(columns, records, ["lambda"]));
    const [head, second] = csv.trim().split("\n");
    expect(head.split(",").slice(0, 7)).toEqual(["lambda", "runs", "kept_columns_count", "kept_columns_mean", "kept_columns_std", "kept_columns_min", "kept_columns_max"]);
    expect(second.split(",").slice(0, 7)).toEqual(["0", "2", "1", "12", "", "12", "12"]);
  });

  it("groups by a swept-key column too, and names an unknown key", () => {
    expect(summarizeRecords(columns, records, ["train.lambda"]).groups).toHaveLength(2);
    expect(() => summarizeRecords(columns, records, ["lamda"])).toThrow(/^--by lamda: no such column in summary.csv \(columns: status, problem, lambda/);
  });
});
