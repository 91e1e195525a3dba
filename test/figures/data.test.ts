import { describe, expect, it } from "vitest";
import {
  errorByN, formatNumber, formatRate, keptByK, keptGrid, noisyRuns, normFloor, phaseSpans, PRUNED_SERIES, referenceLine,
  representatives, runCaption, sortedNorms, thresholdCaption, thresholdKey, thresholdValue, traceValues, UNPRUNED_SERIES,
} from "../../src/figures/data.js";
import { SUMMARY_NUMBERS, type SummaryRow, type TracePoint } from "../../src/figures/results.js";

/** A summary row with every number null except those given. */
function row(fields: Partial<SummaryRow>): SummaryRow {
  const base = { run_id: "r", status: "ok", kind: "matrix-sensing" } as SummaryRow;
  for (const key of SUMMARY_NUMBERS) base[key] = null;
  return { ...base, ...fields };
}

describe("formatNumber", () => {
  it("prints plain decimals in the readable range and e-notation outside it", () => {
    expect(formatNumber(0.1)).toBe("0.1");
    expect(formatNumber(2.5)).toBe("2.5");
    expect(formatNumber(1 / 3)).toBe("0.333");
    expect(formatNumber(2.5e-5)).toBe("2.5e-5");
    expect(formatNumber(0)).toBe("0");
  });
});

describe("representatives", () => {
  it("picks the smallest-seed finished run of each group, regularized first", () => {
    const rows = [
      row({ run_id: "u2", lambda: 0, seed: 2 }),
      row({ run_id: "r3", lambda: 0.1, seed: 3 }),
      row({ run_id: "r1-failed", lambda: 0.1, seed: 1, status: "failed" }),
      row({ run_id: "r2", lambda: 0.1, seed: 2 }),
      row({ run_id: "u1", lambda: 0, seed: 1 }),
    ];
    expect(representatives(rows).map((r) => r.run_id)).toEqual(["r2", "u1"]);
  });

  it("prefers the widest k and an unregularized run with the same settings", () => {
    const rows = [
      row({ run_id: "u-k8", lambda: 0, seed: 1, k: 8, threshold: 0.1 }),
      row({ run_id: "u-k32-eps.2", lambda: 0, seed: 1, k: 32, threshold: 0.2 }),
      row({ run_id: "u-k32", lambda: 0, seed: 1, k: 32, threshold: 0.1 }),
      row({ run_id: "r-k8", lambda: 0.1, seed: 1, k: 8, threshold: 0.1 }),
      row({ run_id: "r-k32", lambda: 0.1, seed: 1, k: 32, threshold: 0.1 }),
    ];
    expect(representatives(rows).map((r) => r.run_id)).toEqual(["r-k32", "u-k32"]);
  });

  it("falls back to unfinished runs when a group has no finished one", () => {
    expect(representatives([row({ run_id: "d", lambda: 0, status: "diverged" })]).map((r) => r.run_id)).toEqual(["d"]);
  });
});

describe("sortedNorms", () => {
  it("ranks the trained norms largest first and draws exact zeros one decade under the smallest positive norm", () => {
    const columns = [
      { stage: "init", column: 0, norm: 5, kept: true },
      { stage: "trained", column: 0, norm: 3e-35, kept: true },
      { stage: "trained", column: 1, norm: 0, kept: false },
      { stage: "trained", column: 2, norm: 2, kept: true },
    ];
    const floor = normFloor(columns.filter((c) => c.stage === "trained").map((c) => c.norm));
    expect(floor).toBe(1e-36);
    expect(sortedNorms(columns, "s", floor)).toEqual([
      { series: "s", rank: 1, norm: 2, clamped: false },
      { series: "s", rank: 2, norm: 3e-35, clamped: false },
      { series: "s", rank: 3, norm: 1e-36, clamped: true },
    ]);
    expect(normFloor([1, 1e-20])).toBeNull(); // no zero: nothing is moved
  });
});

describe("formatRate", () => {
  it("prints enough digits to tell a rate from 1", () => {
    expect(formatRate(0.858)).toBe("0.858");
    expect(formatRate(0.99996)).toBe("0.99996");
    expect(formatRate(0.9999999)).toBe("0.9999999");
    expect(formatRate(1.2)).toBe("1.200");
  });
});

describe("thresholds", () => {
  it("turns a relative rule into relative × the largest norm", () => {
    expect(thresholdValue({ threshold: null, relative_threshold: 0.1 }, 3)).toBeCloseTo(0.3);
    expect(thresholdValue({ threshold: 0.2, relative_threshold: null }, 3)).toBe(0.2);
    expect(thresholdValue({ threshold: null, relative_threshold: null }, 3)).toBeNull();
  });

  it("captions one ε plainly and several with their groups", () => {
    const abs = { threshold: 0.1, relative_threshold: null };
    const rel = { threshold: null, relative_threshold: 0.05 };
    expect(thresholdCaption([{ rule: abs, value: 0.1, series: "regularized (λ=0.1)" }, { rule: abs, value: 0.1, series: "unregularized (λ=0)" }]))
      .toBe("ε = 0.1");
    expect(thresholdCaption([{ rule: rel, value: 0.04, series: "unregularized (λ=0)" }])).toBe("ε = 0.05 × max = 0.04");
    expect(thresholdCaption([{ rule: rel, value: 0.05, series: "regularized (λ=0.1)" }, { rule: rel, value: 0.04, series: "unregularized (λ=0)" }]))
      .toBe("ε = 0.05 × max: 0.05 (regularized), 0.04 (unregularized)");
  });

  it("uses the relative threshold column only when the absolute one does not vary", () => {
    expect(thresholdKey([row({ threshold: 0.1 }), row({ threshold: 0.2 })])).toBe("threshold");
    expect(thresholdKey([row({ relative_threshold: 0.1 }), row({ relative_threshold: 0.2 })])).toBe("relative_threshold");
    expect(thresholdKey([row({ threshold: 0.1 }), row({ threshold: 0.1 })])).toBeNull();
  });
});

describe("keptGrid", () => {
  it("averages kept columns over the seeds of each (λ, ε) cell", () => {
    const rows = [
      row({ lambda: 0.1, threshold: 0.05, seed: 1, kept_columns: 2 }),
      row({ lambda: 0.1, threshold: 0.05, seed: 2, kept_columns: 3 }),
      row({ lambda: 0, threshold: 0.05, seed: 1, kept_columns: 8 }),
      row({ lambda: 0, threshold: 0.05, seed: 2, kept_columns: NaN }), // a failed run does not count
    ];
    expect(keptGrid(rows, "threshold")).toEqual([
      { lambda: 0, threshold: 0.05, kept: 8, runs: 1, min: 8, max: 8, label: ["8"] },
      { lambda: 0.1, threshold: 0.05, kept: 2.5, runs: 2, min: 2, max: 3, label: ["2.5", "2–3"] },
    ]);
  });
});

describe("keptByK", () => {
  it("averages kept columns per k and training group", () => {
    const rows = [
      row({ k: 8, lambda: 0.1, kept_columns: 2 }),
      row({ k: 8, lambda: 0.2, kept_columns: 3 }),
      row({ k: 8, lambda: 0, kept_columns: 7 }),
    ];
    expect(keptByK(rows)).toEqual([
      { k: 8, series: "regularized (λ>0)", kept: 2.5, runs: 2, min: 2, max: 3 },
      { k: 8, series: "unregularized (λ=0)", kept: 7, runs: 1, min: 7, max: 7 },
    ]);
  });
});

describe("error vs n", () => {
  const rows = [
    row({ n: 100, noise: 0.1, d: 6, r: 2, lambda: 0.1, recovery_error: 0.2, test_loss: 0.02, recovery_error_trained: 0.3, test_loss_trained: 0.03 }),
    row({ n: 400, noise: 0.1, d: 6, r: 2, lambda: 0.1, recovery_error: 0.1, test_loss: 0.012, recovery_error_trained: 0.2, test_loss_trained: 0.02 }),
    row({ n: 100, noise: 0.1, d: 6, r: 2, lambda: 0, recovery_error: 0.9, test_loss: 0.5, recovery_error_trained: 0.4, test_loss_trained: 0.05 }),
    row({ n: 400, noise: 0.1, d: 6, r: 2, lambda: 0, recovery_error: 0.9, test_loss: 0.5, recovery_error_trained: NaN, test_loss_trained: NaN }),
  ];

  it("compares the regularized runs after fine-tuning with the λ = 0 runs before pruning", () => {
    const error = errorByN(rows).filter((p) => p.metric === "recovery error");
    expect(error).toEqual([
      { n: 100, series: PRUNED_SERIES, metric: "recovery error", value: 0.2, runs: 1, min: 0.2, max: 0.2 },
      { n: 400, series: PRUNED_SERIES, metric: "recovery error", value: 0.1, runs: 1, min: 0.1, max: 0.1 },
      { n: 100, series: UNPRUNED_SERIES, metric: "recovery error", value: 0.4, runs: 1, min: 0.4, max: 0.4 },
    ]);
  });

  it("draws the reference through the first pruned point with slope −1/2 in log-log", () => {
    const [a, b] = referenceLine(errorByN(rows));
    expect(a).toEqual({ n: 100, value: 0.2 });
    expect(b.n).toBe(400);
    expect(Math.log(b.value / a.value) / Math.log(b.n / a.n)).toBeCloseTo(-0.5, 12);
  });

  it("needs noise and at least two sample sizes", () => {
    expect(noisyRuns(rows)).toHaveLength(4);
    expect(noisyRuns(rows.map((r) => ({ ...r, noise: 0 })))).toEqual([]);
    expect(noisyRuns(rows.filter((r) => r.n === 100))).toEqual([]);
  });
});

describe("runCaption", () => {
  it("names λ, ε, k and the seed, and n only where n was swept", () => {
    const a = row({ lambda: 0.1, threshold: 0.05, k: 8, n: 200, seed: 1 });
    expect(runCaption(a)).toBe("λ=0.1, ε=0.05, k=8, seed 1");
    expect(runCaption(a, [a, row({ n: 400 })])).toBe("λ=0.1, ε=0.05, k=8, n=200, seed 1");
    expect(runCaption(row({ lambda: 0, relative_threshold: 0.05 }))).toBe("λ=0, ε=0.05×max");
  });
});

describe("traces", () => {
  const trace: TracePoint[] = [
    { phase: "train", step: 0, train_loss: 1, test_loss: 1.1, recovery_error: 1 },
    { phase: "train", step: 10, train_loss: 0, test_loss: 0.5, recovery_error: NaN },
    { phase: "prune", step: 10, train_loss: 0.2, test_loss: 0.3, recovery_error: 0.4 },
    { phase: "finetune", step: 10, train_loss: 0.2, test_loss: 0.3, recovery_error: 0.4 },
    { phase: "finetune", step: 30, train_loss: 0.01, test_loss: 0.02, recovery_error: 0.03 },
  ];

  it("drops values a log axis cannot show", () => {
    const atTen = traceValues(trace).filter((v) => v.step === 10);
    expect(atTen.filter((v) => v.metric === "train loss").map((v) => v.value)).toEqual([0.2, 0.2]);
    expect(traceValues(trace)).toHaveLength(15 - 2);
  });

  it("finds the prune step and each phase's range", () => {
    expect(phaseSpans(trace)).toEqual({ prune: 10, train: [0, 10], finetune: [10, 30] });
  });
});
