/**
 * Logged rows made a batch at a time (src/pipeline/log-rows.ts) are, bit for bit and in
 * order, the rows made one at a time at each step: for a loss that evaluates many points
 * at once (matrix sensing's logLosses: rows wait for a batch) and for one that does not
 * (the quadratic net: rows made at their step), across a full batch and a partial one,
 * with and without the step's known loss.
 */
import { describe, expect, it } from "vitest";
import { LOG_BATCH, LogRows, type TraceRow } from "../../src/pipeline/log-rows.js";
import { buildProblem } from "../../src/pipeline/seeds.js";
import { penaltyOf } from "../../src/methods/penalties/registry.js";
import { planRuns } from "../../src/sweep/plan.js";
import { randomArray } from "../helpers.js";

const PROBLEMS = {
  sensing: { kind: "matrix-sensing", d: 6, r: 2, n: 90, n_test: 23, noise: 0 },
  "quadratic net": { kind: "quadratic-net", d: 5, r: 1, n: 70, n_test: 13, noise: 0.01 },
};

describe.each(Object.entries(PROBLEMS))("LogRows on %s", (_name, spec) => {
  it(`makes the rows of ${2 * LOG_BATCH + 3} steps as one at a time would, in order`, () => {
    const problem = buildProblem(planRuns({ problem: spec }).runs[0].config);
    const d = problem.factorRows, k = 4;
    const penalty = penaltyOf("smooth-group-lasso");
    // steps far from and at the truth (the moments' value, and the direct loss, are logged), 4 then 2 columns
    const steps = Array.from({ length: 2 * LOG_BATCH + 3 }, (_, t) => {
      const kk = t < LOG_BATCH + 2 ? k : 2;
      const U = t % 5 === 4 ? Float64Array.from({ length: d * kk }, (_, i) => (i % kk < problem.truth.r ? problem.truth.Ustar[Math.floor(i / kk) * problem.truth.r + (i % kk)] : 0)) : randomArray(d * kk, `log-rows:${t}`, 0.5);
      const known = t % 3 === 0 ? problem.createLoss(k).valueAndGradient(U, kk, new Float64Array(d * kk)) : undefined;
      return { t, U, kk, known, lambda: t % 2 ? 0.1 : 0 };
    });
    const oneByOne: TraceRow[] = [];
    const single = new LogRows(problem.createLoss(k), problem, penalty, d, k, 0.1, oneByOne);
    for (const s of steps) {
      single.add("train", s.t, s.U, s.kk, s.lambda, 0.5, s.known);
      single.flush();
    }
    const batched: TraceRow[] = [];
    const logs = new LogRows(problem.createLoss(k), problem, penalty, d, k, 0.1, batched);
    for (const s of steps) {
      // the caller's U changes after the step: the row is of U at the step
      const U = Float64Array.from(s.U);
      logs.add("train", s.t, U, s.kk, s.lambda, 0.5, s.known);
      U.fill(7);
    }
    // a loss that evaluates many points at once waits for full batches; any other makes each row at its step
    expect(batched.length).toBe(problem.createLoss(k).logLosses ? 2 * LOG_BATCH : steps.length);
    logs.flush();
    expect(batched).toEqual(oneByOne);
    // and as trainLoss/testLoss of a fresh loss give them
    const fresh = problem.createLoss(k);
    steps.forEach((s, i) => {
      expect(Object.is(batched[i].train_loss, fresh.trainLoss(s.U, s.kk)), `train ${i}`).toBe(true);
      expect(Object.is(batched[i].test_loss, fresh.testLoss(s.U, s.kk)), `test ${i}`).toBe(true);
    });
  });
});
