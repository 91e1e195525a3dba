/**
 * What one run (runPipeline) reports besides its trace steps: the column norms at each
 * stage and which were kept, the summary metrics equal to the trace rows they come
 * from, the objective L + λR on training rows and L after pruning, a run that diverges
 * while fine-tuning, progress reports, and the cache of trainings shared by an ε sweep.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/resolved.js";
import { emptyMetrics, runPipeline, TrainingCache, trainingKey, type RunResult, type TrainedState } from "../../src/pipeline/run.js";
import { buildProblem } from "../../src/pipeline/seeds.js";
import { planRuns } from "../../src/sweep/plan.js";

function resolved(written: Record<string, unknown>): ResolvedConfig {
  return planRuns(written).runs[0].config;
}

function run(written: Record<string, unknown>, onProgress?: Parameters<typeof runPipeline>[2]): RunResult {
  const cfg = resolved(written);
  return runPipeline(cfg, buildProblem(cfg), onProgress);
}

const stage = (res: RunResult, s: string) => res.columns.filter((c) => c.stage === s);

// λ > 0 on a population problem with k = 6 > r = 2: the penalty leaves 2 large columns
const SMALL = {
  problem: { kind: "population", d: 6, r: 2 }, model: { k: 6 }, train: { steps: 1500, lambda: 0.1 }, finetune: { steps: 40 },
  log: { every: 100 },
};

describe("column norms by stage", () => {
  // computed in each test (not while the file loads), so mutation testing sees which tests reach it
  let res: RunResult;
  beforeEach(() => {
    res = run(SMALL);
  });

  it("lists every column at init and after training, and the kept ones after pruning and fine-tuning", () => {
    expect(res.status).toBe("ok");
    const kept = stage(res, "trained").filter((c) => c.kept).map((c) => c.column);
    expect(kept).toHaveLength(res.metrics.kept_columns);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(6);
    expect(stage(res, "init").map((c) => c.column)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stage(res, "trained").map((c) => c.column)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stage(res, "pruned").map((c) => c.column)).toEqual(kept);
    expect(stage(res, "finetuned").map((c) => c.column)).toEqual(kept);
    expect(res.columns.map((c) => c.stage)).toEqual([...Array(6).fill("init"), ...Array(6).fill("trained"), ...Array(kept.length).fill("pruned"), ...Array(kept.length).fill("finetuned")]);
  });

  it("marks the kept columns at every stage, and keeps exactly those with a trained norm at or above ε", () => {
    const keptSet = new Set(stage(res, "trained").filter((c) => c.kept).map((c) => c.column));
    for (const c of stage(res, "init")) expect(c.kept).toBe(keptSet.has(c.column));
    for (const c of stage(res, "trained")) expect(c.kept).toBe(c.norm >= 0.1);
    for (const c of [...stage(res, "pruned"), ...stage(res, "finetuned")]) expect(c.kept).toBe(true);
  });

  it("carries the kept columns unchanged through pruning", () => {
    const trainedNorm = new Map(stage(res, "trained").map((c) => [c.column, c.norm]));
    for (const c of stage(res, "pruned")) expect(c.norm).toBe(trainedNorm.get(c.column));
    // fine-tuning moves them
    expect(stage(res, "finetuned").map((c) => c.norm)).not.toEqual(stage(res, "pruned").map((c) => c.norm));
  });
});

describe("metrics", () => {
  // computed in each test (not while the file loads), so mutation testing sees which tests reach it
  let res: RunResult;
  beforeEach(() => {
    res = run(SMALL);
  });
  const rows = (phase: string) => res.trace.filter((r) => r.phase === phase);

  it("take the trained values from the last training row and the pruned error from the prune row", () => {
    const lastTrain = rows("train").at(-1)!;
    expect(res.metrics.train_steps).toBe(1500);
    expect(res.metrics.train_loss_trained).toBe(lastTrain.train_loss);
    expect(res.metrics.test_loss_trained).toBe(lastTrain.test_loss);
    expect(res.metrics.recovery_error_trained).toBe(lastTrain.recovery_error);
    expect(res.metrics.grad_norm_trained).toBe(lastTrain.grad_norm);
    expect(res.metrics.recovery_error_pruned).toBe(rows("prune")[0].recovery_error);
    expect(res.metrics.prune_cut).toBe(0.1);
  });

  it("take the final values from the last fine-tuning row", () => {
    const last = res.trace.at(-1)!;
    expect(last.phase).toBe("finetune");
    expect(res.metrics.finetune_steps).toBe(40);
    expect(res.metrics.train_loss).toBe(last.train_loss);
    expect(res.metrics.test_loss).toBe(last.test_loss);
    expect(res.metrics.recovery_error).toBe(last.recovery_error);
    expect(res.metrics.finetune_rate).toBeGreaterThan(0);
    expect(res.metrics.finetune_rate).toBeLessThan(1);
  });

  it("report the curvature at the trained point of a smooth objective, and none for the exact group Lasso", () => {
    expect(Number.isFinite(res.metrics.hessian_min_eig_trained)).toBe(true);
    const exact = run({ ...SMALL, train: { ...SMALL.train, steps: 50, penalty: { kind: "group-lasso" } } });
    expect(exact.metrics.hessian_min_eig_trained).toBeNaN();
    const unpenalized = run({ ...SMALL, train: { ...SMALL.train, steps: 50, lambda: 0, penalty: { kind: "group-lasso" } } });
    expect(Number.isFinite(unpenalized.metrics.hessian_min_eig_trained)).toBe(true);
  });

  it("start as NaN (counts as 0) for a run that produced none", () => {
    const m = emptyMetrics();
    expect(m.train_steps).toBe(0);
    expect(m.finetune_steps).toBe(0);
    expect(m.kicks).toBe(0);
    const rest = Object.entries(m).filter(([k]) => !["train_steps", "finetune_steps", "kicks"].includes(k));
    expect(rest).toHaveLength(13);
    for (const [, v] of rest) expect(v).toBeNaN();
  });
});

describe("the objective in the trace", () => {
  // computed in each test (not while the file loads), so mutation testing sees which tests reach it
  let res: RunResult;
  beforeEach(() => {
    res = run(SMALL);
  });

  it("is L + λR_β on training rows (R_β from the column norms at init)", () => {
    const beta = resolved(SMALL).train.beta;
    const R = stage(res, "init").reduce((s, c) => s + c.norm ** 2 / Math.sqrt(c.norm ** 2 + beta), 0);
    const first = res.trace[0];
    expect(first.objective).toBeCloseTo(first.train_loss + 0.1 * R, 12);
    for (const row of res.trace.filter((r) => r.phase === "train")) expect(row.objective).toBeGreaterThan(row.train_loss);
  });

  it("is L alone on the prune and fine-tuning rows, whose prune row has no gradient", () => {
    for (const row of res.trace.filter((r) => r.phase !== "train")) expect(row.objective).toBe(row.train_loss);
    expect(res.trace.find((r) => r.phase === "prune")!.grad_norm).toBeNaN();
  });

  it("logs a held-out test loss on sampled data, not the training loss", () => {
    const sensing = run({ problem: { kind: "matrix-sensing", d: 5, r: 1, n: 60, n_test: 30, noise: 0.1 }, model: { k: 3 }, train: { steps: 20 }, finetune: { steps: 5 } });
    for (const row of sensing.trace) expect(row.test_loss).not.toBe(row.train_loss);
  });
});

describe("a run that diverges while fine-tuning", () => {
  // a step size far beyond 2/curvature blows fine-tuning up; training is fine
  let res: RunResult;
  beforeEach(() => {
    res = run({ ...SMALL, finetune: { steps: 200, step_size: 5 }, log: { every: 1 } });
  });

  it("is recorded as diverged in the finetune phase at a global step, with the objective and gradient in the error", () => {
    expect(res.status).toBe("diverged");
    expect(res.diverged_phase).toBe("finetune");
    const last = res.trace.at(-1)!;
    expect(res.diverged_step).toBe(last.step);
    expect(res.diverged_step).toBe(1500 + res.metrics.finetune_steps);
    expect(res.metrics.finetune_steps).toBeLessThan(200);
    expect(res.error).toBe(`finetune diverged at step ${last.step}: objective ${last.objective}, gradient norm ${last.grad_norm}`);
  });

  it("ends its trace with a row of the diverging step, losses unknown", () => {
    const last = res.trace.at(-1)!;
    expect(last).toMatchObject({ phase: "finetune", columns: res.metrics.kept_columns });
    expect(last.train_loss).toBeNaN();
    expect(last.test_loss).toBeNaN();
    expect(last.recovery_error).toBeNaN();
    expect(last.objective).toBeGreaterThan(1e8);
    expect(res.trace.at(-2)!.step).toBe(last.step - 1);
  });

  it("keeps the trained metrics and has no fine-tuned stage or final values", () => {
    expect(res.metrics.train_steps).toBe(1500);
    expect(Number.isFinite(res.metrics.recovery_error_trained)).toBe(true);
    expect(stage(res, "finetuned")).toEqual([]);
    expect(stage(res, "pruned").length).toBe(res.metrics.kept_columns);
    expect(res.metrics.recovery_error).toBeNaN();
    expect(res.metrics.finetune_rate).toBeNaN();
  });
});

describe("a run that diverges while training", () => {
  let res: RunResult;
  beforeEach(() => {
    res = run({ problem: { kind: "population", d: 4, r: 1 }, model: { k: 2, init_scale: 1 }, train: { step_size: 0.6, steps: 200 }, log: { every: 50 } });
  });

  it("lists the init stage only, nothing kept, and says where it diverged", () => {
    expect(res.status).toBe("diverged");
    expect(res.diverged_phase).toBe("train");
    expect(res.columns.map((c) => [c.stage, c.kept])).toEqual([["init", false], ["init", false]]);
    const last = res.trace.at(-1)!;
    expect(last).toMatchObject({ phase: "train", step: res.diverged_step, columns: 2 });
    expect(res.metrics.train_steps).toBe(res.diverged_step);
    expect(res.error).toMatch(new RegExp(`^train diverged at step ${res.diverged_step}: objective \\S+, gradient norm \\S+$`));
    expect(res.metrics.kept_columns).toBeNaN();
    expect(res.metrics.finetune_steps).toBe(0);
  });
});

describe("progress", () => {
  it("reports each logged step of each phase against the phase's total", () => {
    const seen: string[] = [];
    run({ ...SMALL, train: { ...SMALL.train, steps: 20 }, finetune: { steps: 15 }, log: { every: 10 } }, (phase, step, total) => seen.push(`${phase} ${step}/${total}`));
    expect(seen).toEqual(["train 0/20", "train 10/20", "train 20/20", "finetune 0/15", "finetune 10/15", "finetune 15/15"]);
  });
});

describe("trainings shared between runs", () => {
  it("are keyed by what training depends on: not the pruning or fine-tuning settings", () => {
    const base = resolved(SMALL);
    expect(trainingKey(resolved({ ...SMALL, prune: { threshold: 0.3 }, finetune: { steps: 7 } }))).toBe(trainingKey(base));
    for (const other of [{ seed: 2 }, { model: { k: 5 } }, { train: { ...SMALL.train, lambda: 0.2 } }, { log: { every: 50 } }, { problem: { ...SMALL.problem, d: 7 } }]) {
      expect(trainingKey(resolved({ ...SMALL, ...other }))).not.toBe(trainingKey(base));
    }
  });

  it("keep the two most recently stored trainings", () => {
    const state = (n: number): TrainedState => ({ U: new Float64Array(n), outcome: {} as never, trace: [], hessianMinEig: n });
    const cache = new TrainingCache();
    cache.set("a", state(1));
    cache.set("b", state(2));
    cache.set("a", state(3)); // stored again: now the most recent
    cache.set("c", state(4));
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.hessianMinEig).toBe(3);
    expect(cache.get("c")?.hessianMinEig).toBe(4);
  });
});

describe("the curvature at the trained point", () => {
  it("is λ_min of the Hessian of L + λR_β there (against the full Hessian by finite differences)", async () => {
    const written = { problem: { kind: "population", d: 4, r: 1 }, model: { k: 3 }, train: { steps: 400, lambda: 0.3, beta: 0.05 }, finetune: { steps: 2 } };
    const cfg = resolved(written);
    const problem = buildProblem(cfg);
    const cache = new TrainingCache();
    runPipeline(cfg, problem, undefined, cache);
    const state = cache.get(trainingKey(cfg))!;
    const { penaltyOf } = await import("../../src/methods/penalties/registry.js");
    const loss = problem.createLoss(3);
    const n = 12;
    const gradient = (U: Float64Array): Float64Array => {
      const g = new Float64Array(n);
      loss.valueAndGradient(U, 3, g);
      penaltyOf("smooth-group-lasso").addGradient(U, 4, 3, 0.05, 0.3, g, new Float64Array(3));
      return g;
    };
    const h = 1e-5;
    const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let j = 0; j < n; j++) {
      const plus = Float64Array.from(state.U);
      const minus = Float64Array.from(state.U);
      plus[j] += h;
      minus[j] -= h;
      const gp = gradient(plus);
      const gm = gradient(minus);
      for (let i = 0; i < n; i++) H[i][j] = (gp[i] - gm[i]) / (2 * h);
    }
    const sym = H.map((row, i) => row.map((v, j) => (v + H[j][i]) / 2));
    const exact = Math.min(...jacobiEigenvalues(sym));
    expect(state.hessianMinEig).toBeCloseTo(exact, 5);
    expect(Math.abs(exact)).toBeGreaterThan(1e-3); // the penalty's part matters: not a flat direction
  });
});

/** Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations (a naive twin of Lanczos). */
function jacobiEigenvalues(M: number[][]): number[] {
  const A = M.map((row) => [...row]);
  const n = A.length;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p][q] ** 2;
    if (off < 1e-24) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        if (A[p][q] === 0) continue;
        const theta = (A[q][q] - A[p][p]) / (2 * A[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k][p];
          const akq = A[k][q];
          A[k][p] = c * akp - s * akq;
          A[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p][k];
          const aqk = A[q][k];
          A[p][k] = c * apk - s * aqk;
          A[q][k] = s * apk + c * aqk;
        }
      }
  }
  return A.map((row, i) => row[i]);
}
