/**
 * One run's behaviour through runPipeline, on small problems: what the README
 * promises about perturbed GD, grad_tol, relative thresholds, the global step
 * count of trace rows, the blow-up rule and which random streams a run draws.
 */
import { describe, expect, it } from "vitest";
import { planRuns } from "../../src/sweep/plan.js";
import { buildProblem } from "../../src/pipeline/seeds.js";
import { runPipeline, type RunResult } from "../../src/pipeline/run.js";
import type { ResolvedConfig } from "../../src/config/resolved.js";

/** The resolved config of a written one (through the config path users take). */
function resolved(written: Record<string, unknown>): ResolvedConfig {
  return planRuns(written).runs[0].config;
}

const SMALL = { kind: "population", d: 6, r: 2 };

function run(written: Record<string, unknown>): RunResult {
  const cfg = resolved(written);
  return runPipeline(cfg, buildProblem(cfg));
}

const trained = (res: RunResult) => res.columns.filter((c) => c.stage === "trained");

describe("perturbed gradient descent", () => {
  it("kicks every `every` steps while the gradient is under perturb.grad_tol", () => {
    // grad_tol above any gradient here: a kick is due at t = 0, 10, 20, …, 90
    const res = run({ problem: SMALL, model: { k: 4 }, train: { steps: 100, perturb: { radius: 1e-3, grad_tol: 1e9, every: 10 } }, finetune: { steps: 5 } });
    expect(res.status).toBe("ok");
    expect(res.metrics.kicks).toBe(10);
  });

  it("does not kick while the gradient is above perturb.grad_tol", () => {
    const res = run({ problem: SMALL, model: { k: 4 }, train: { steps: 100, perturb: { radius: 1e-3, grad_tol: 1e-300, every: 10 } }, finetune: { steps: 5 } });
    expect(res.metrics.kicks).toBe(0);
  });

  it("moves U by at most `radius` per kick, in a direction drawn from the perturb stream", () => {
    const base = { problem: SMALL, model: { k: 4 }, finetune: { steps: 1 }, log: { every: 1 } };
    // one kick at t = 0 and no descent step (step_size tiny): the kicked U differs from U₀ by ≤ radius
    const kicked = run({ ...base, train: { steps: 1, step_size: 1e-300, perturb: { radius: 0.5, grad_tol: 1e9, every: 10 } } });
    const still = run({ ...base, train: { steps: 1, step_size: 1e-300 } });
    expect(kicked.metrics.kicks).toBe(1);
    expect(still.metrics.kicks).toBe(0);
    const diff = trained(kicked).map((c, j) => Math.abs(c.norm - trained(still)[j].norm));
    expect(Math.max(...diff)).toBeGreaterThan(0);
    expect(Math.max(...diff)).toBeLessThanOrEqual(0.5);
  });
});

describe("grad_tol", () => {
  it("stops training once ‖∇f‖ < train.grad_tol, before train.steps", () => {
    const res = run({ problem: SMALL, model: { k: 4 }, train: { steps: 50_000, grad_tol: 1e-6, lambda: 0.1 }, finetune: { steps: 5 } });
    expect(res.status).toBe("ok");
    expect(res.metrics.train_steps).toBeLessThan(50_000);
    expect(res.metrics.grad_norm_trained).toBeLessThan(1e-6);
    const rows = res.trace.filter((r) => r.phase === "train");
    // the stop is at the first step under the tolerance: the last logged row before it is above
    expect(rows[rows.length - 1].step).toBe(res.metrics.train_steps);
    expect(rows[rows.length - 2].grad_norm).toBeGreaterThanOrEqual(1e-6);
  });

  it("stops fine-tuning once ‖∇L‖ < finetune.grad_tol", () => {
    const res = run({ problem: SMALL, model: { k: 4 }, train: { steps: 2000 }, finetune: { steps: 50_000, grad_tol: 1e-8 } });
    expect(res.metrics.finetune_steps).toBeLessThan(50_000);
    const last = res.trace[res.trace.length - 1];
    expect(last.phase).toBe("finetune");
    expect(last.grad_norm).toBeLessThan(1e-8);
  });

  it("with perturb, stops only once a kick had `every` steps to act", () => {
    const res = run({
      problem: SMALL, model: { k: 4 },
      train: { steps: 20_000, grad_tol: 1e-6, perturb: { radius: 1e-4, grad_tol: 1e-7, every: 50 } }, finetune: { steps: 5 },
    });
    expect(res.metrics.kicks).toBeGreaterThan(0);
    expect(res.metrics.train_steps).toBeLessThan(20_000);
    expect(res.metrics.grad_norm_trained).toBeLessThan(1e-6);
  });
});

describe("prune.relative_threshold", () => {
  it("cuts at relative_threshold × the largest trained column norm", () => {
    // λ = 0: the trained norms spread, so the cut decides how many columns survive
    const res = run({ problem: SMALL, model: { k: 8 }, train: { lambda: 0, steps: 300 }, prune: { relative_threshold: 0.5 }, finetune: { steps: 5 } });
    const norms = trained(res).map((c) => c.norm);
    const max = Math.max(...norms);
    expect(max).not.toBeCloseTo(1, 2); // so that a cut of 0.5 (not × max) would differ
    expect(res.metrics.prune_cut).toBe(0.5 * max);
    expect(res.metrics.kept_columns).toBe(norms.filter((x) => x >= 0.5 * max).length);
    expect(trained(res).filter((c) => c.kept).map((c) => c.column)).toEqual(
      trained(res).filter((c) => c.norm >= 0.5 * max).map((c) => c.column),
    );
  });

  it("keeps only the largest column at relative_threshold 1", () => {
    const res = run({ problem: SMALL, model: { k: 8 }, train: { lambda: 0, steps: 300 }, prune: { relative_threshold: 1 }, finetune: { steps: 5 } });
    expect(res.metrics.kept_columns).toBe(1);
  });
});

describe("trace steps", () => {
  const res = () => run({ problem: SMALL, model: { k: 4 }, train: { steps: 35 }, finetune: { steps: 25 }, log: { every: 10 } });

  it("count globally: one prune row at the last training step, fine-tuning continuing the count", () => {
    const steps = res().trace.map((r) => `${r.phase}:${r.step}`);
    expect(steps).toEqual([
      "train:0", "train:10", "train:20", "train:30", "train:35",
      "prune:35",
      "finetune:35", "finetune:45", "finetune:55", "finetune:60",
    ]);
  });

  it("record the kept column count on prune and fine-tune rows", () => {
    const r = res();
    for (const row of r.trace) expect(row.columns).toBe(row.phase === "train" ? 4 : r.metrics.kept_columns);
  });
});

describe("divergence", () => {
  it("stops at the first step whose objective exceeds 10⁸ × max(1, f(U₀)), while it is still finite", () => {
    const res = run({ problem: { kind: "population", d: 4, r: 1 }, model: { k: 2, init_scale: 1 }, train: { step_size: 0.6, steps: 200 }, log: { every: 1 } });
    expect(res.status).toBe("diverged");
    expect(res.diverged_phase).toBe("train");
    const rows = res.trace;
    const limit = 1e8 * Math.max(1, rows[0].objective);
    const last = rows[rows.length - 1];
    expect(last.step).toBe(res.diverged_step);
    expect(Number.isFinite(last.objective)).toBe(true);
    expect(last.objective).toBeGreaterThan(limit);
    for (const row of rows.slice(0, -1)) expect(row.objective).toBeLessThanOrEqual(limit);
  });
});

describe("random streams", () => {
  const initNorms = (written: Record<string, unknown>) =>
    run({ problem: SMALL, model: { k: 5 }, finetune: { steps: 2 }, ...written }).columns.filter((c) => c.stage === "init").map((c) => c.norm);

  it("draw U₀ independently of λ, β, ε and step counts", () => {
    const base = initNorms({ train: { steps: 3, lambda: 0.1 } });
    expect(initNorms({ train: { steps: 3, lambda: 0 } })).toEqual(base);
    expect(initNorms({ train: { steps: 3, lambda: 0.3, beta: 0.5 } })).toEqual(base);
    expect(initNorms({ train: { steps: 7, step_size: 0.01 }, prune: { threshold: 0.3 } })).toEqual(base);
  });

  it("draw another U₀ for another seed or model.k", () => {
    const base = initNorms({ train: { steps: 3 } });
    expect(initNorms({ seed: 2, train: { steps: 3 } })).not.toEqual(base);
  });
});
