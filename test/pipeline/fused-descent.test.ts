/**
 * Lockstep descent (src/pipeline/fused-descent.ts): runs stepped together by the
 * fused WebAssembly step get, bit for bit, what descend() gives each alone
 * (U, outcome, every observed step), at odd sizes, whatever else is in the batch;
 * runs that stop early (grad_tol, divergence, fewer steps) do not disturb the
 * others; what the fused step does not cover takes descend().
 */
import { describe, expect, it } from "vitest";
import { descend, type DescentOptions, type DescentOutcome } from "../../src/pipeline/descend.js";
import { descendTogether, fusedCovers, stepTogether, descent, Thrown, type DescentRequest, type Stepper } from "../../src/pipeline/fused-descent.js";
import { runPipeline, runPipelines, type RunResult } from "../../src/pipeline/run.js";
import { buildProblem } from "../../src/pipeline/seeds.js";
import { penaltyOf } from "../../src/methods/penalties/registry.js";
import { planRuns } from "../../src/sweep/plan.js";
import type { ResolvedConfig } from "../../src/config/resolved.js";
import type { Loss, Problem } from "../../src/solvers/types.js";
import { wasmAvailable } from "../../src/linalg/wasm/kernels.js";
import { randomArray } from "../helpers.js";

function resolved(written: Record<string, unknown>): ResolvedConfig {
  return planRuns(written).runs[0].config;
}

// odd sizes: d = 7 (m = 28: the kernel's 16-row tile, then pairs, then one row), odd k
const SENSING = { kind: "matrix-sensing", d: 7, r: 2, n: 120, n_test: 30, noise: 0.01 };
const QUAD = { kind: "quadratic-net", d: 5, r: 1, n: 90, n_test: 20, noise: 0 };

interface Seen {
  t: number;
  U: number[];
  objective: number;
  gradNorm: number;
}

interface Case {
  k: number;
  options: Partial<DescentOptions>;
}

const BASE: Omit<DescentOptions, "d" | "k"> = {
  lambda: 0.05, beta: 0.1, stepSize: 0.02, steps: 57, gradTol: 0, perturb: null, perturbRng: null,
  logEvery: 10, trackGramSteps: false,
};

/** The runs of one batch: different k, λ, η, penalties, stops; one tracks its Gram steps. */
const CASES: Case[] = [
  { k: 5, options: {} },
  { k: 3, options: { lambda: 0, penalty: penaltyOf("none"), trackGramSteps: true, steps: 40, logEvery: 7 } },
  { k: 9, options: { lambda: 0.2, stepSize: 0.01 } },
  // stops at grad_tol at once; the next one part way (η = 0.02: at 0.05 the quadratic net of ziggurat-1's data oscillates)
  { k: 4, options: { gradTol: 1e9 } },
  { k: 6, options: { gradTol: 1e-3, steps: 3000, logEvery: 100 } },
  // diverges
  { k: 5, options: { stepSize: 50 } },
  { k: 1, options: { trackGramSteps: true, lambda: 0 } },
];

function request(problem: Problem, loss: Loss, c: Case, i: number, seen: Seen[]): DescentRequest {
  const d = problem.factorRows;
  return {
    loss, U: randomArray(d * c.k, `fused-descent:U:${i}`, 0.3),
    options: { ...BASE, d, k: c.k, ...c.options },
    observe: (t, U, objective, gradNorm) => seen.push({ t, U: Array.from(U), objective, gradNorm }),
  };
}

describe.runIf(wasmAvailable).each([["sensing", SENSING], ["quadratic net", QUAD]])("descendTogether on %s", (_name, problemSpec) => {
  it("gives every run what descend() gives it alone, bit for bit, in any batch", () => {
    const cfg = resolved({ problem: problemSpec });
    const problem = buildProblem(cfg);
    const kMax = Math.max(...CASES.map((c) => c.k));
    const loss = problem.createLoss(kMax);
    expect(loss.fused).toBeDefined();
    const alone = CASES.map((c, i) => {
      const seen: Seen[] = [];
      const r = request(problem, loss, c, i, seen);
      const out = descend(r.loss, r.U, r.options, r.observe);
      return { out, U: Array.from(r.U), seen };
    });
    // the whole batch, and subsets in other orders
    for (const order of [[0, 1, 2, 3, 4, 5, 6], [6, 4, 2], [5, 0], [1]]) {
      const seen = order.map((): Seen[] => []);
      const requests = order.map((i, j) => request(problem, loss, CASES[i], i, seen[j]));
      expect(requests.every((r) => fusedCovers(r.loss, r.options))).toBe(true);
      const outs = descendTogether(requests);
      order.forEach((i, j) => {
        const out = outs[j] as DescentOutcome;
        expect(out).not.toBeInstanceOf(Thrown);
        expect({ ...out, gramSteps: Array.from(out.gramSteps) }).toEqual({ ...alone[i].out, gramSteps: Array.from(alone[i].out.gramSteps) });
        expect(Array.from(requests[j].U)).toEqual(alone[i].U);
        expect(seen[j]).toEqual(alone[i].seen);
      });
    }
    // the cases do what they are here for
    expect(alone[3].out.steps).toBe(0);
    expect(alone[4].out.steps).toBeGreaterThan(0);
    expect(alone[4].out.steps).toBeLessThan(3000);
    expect(alone[5].out.divergedAt).not.toBeNull();
    expect(alone[1].out.gramSteps.length).toBe(40);
  });
});

describe("fusedCovers", () => {
  const cfg = resolved({ problem: SENSING });
  const loss = buildProblem(cfg).createLoss(3);
  const o: DescentOptions = { ...BASE, d: 7, k: 3 };

  it.runIf(wasmAvailable)("covers gd with the smooth group Lasso or no penalty on the moments route", () => {
    expect(fusedCovers(loss, o)).toBe(true);
    expect(fusedCovers(loss, { ...o, penalty: penaltyOf("none") })).toBe(true);
  });

  it("leaves other optimizers, penalties, perturbation and routes to descend()", () => {
    expect(fusedCovers(loss, { ...o, optimizer: { kind: "sgd", batch_size: 10 } })).toBe(false);
    expect(fusedCovers(loss, { ...o, optimizer: { kind: "momentum", momentum: 0.5 } })).toBe(false);
    expect(fusedCovers(loss, { ...o, penalty: penaltyOf("group-lasso") })).toBe(false);
    expect(fusedCovers(loss, { ...o, penalty: penaltyOf("weight-decay") })).toBe(false);
    expect(fusedCovers(loss, { ...o, perturb: { radius: 1e-3, grad_tol: 1e-3, every: 10 } })).toBe(false);
    const direct = buildProblem(cfg).createLoss(3, "direct");
    expect(fusedCovers(direct, o)).toBe(false);
  });
});

describe("stepTogether", () => {
  it("ends a computation that throws with its error, and the others go on", () => {
    const cfg = resolved({ problem: SENSING });
    const problem = buildProblem(cfg);
    const loss = problem.createLoss(3);
    function* good(): Stepper<number> {
      const out = yield* descent(loss, randomArray(21, "fused-descent:good", 0.3), { ...BASE, d: 7, k: 3 }, () => {});
      return out.steps;
    }
    function* bad(thrown: unknown): Stepper<number> {
      yield* descent(loss, randomArray(21, "fused-descent:bad", 0.3), { ...BASE, d: 7, k: 3 }, (t) => {
        if (t === 20) throw thrown;
      });
      return -1;
    }
    const failure = new Error("observer failed");
    const [a, b, c, e] = stepTogether([good(), bad(failure), good(), bad("not an Error")]);
    expect(a).toBe(57);
    // what was thrown, as it was thrown (the run's record names it)
    expect(b).toBeInstanceOf(Thrown);
    expect((b as Thrown).error).toBe(failure);
    expect(c).toBe(57);
    expect((e as Thrown).error).toBe("not an Error");
  });
});

describe("runPipelines", () => {
  it("gives each run of a batch the result runPipeline gives it alone", () => {
    const configs = [
      { train: { lambda: 0.1 } },
      { train: { lambda: 0, steps: 150 }, model: { k: 3 } },
      { train: { lambda: 0.3, penalty: { kind: "group-lasso" } } },
      { train: { lambda: 0.05, grad_tol: 1e-2 }, finetune: { steps: 77 } },
    ].map((over) => resolved({
      problem: SENSING, model: { k: 5, ...(over as { model?: object }).model },
      train: { steps: 200, ...over.train }, finetune: { steps: 60, ...(over as { finetune?: object }).finetune }, log: { every: 25 },
    }));
    const problem = buildProblem(configs[0]);
    const alone: RunResult[] = configs.map((cfg) => runPipeline(cfg, problem));
    const together = runPipelines(configs.map((cfg) => ({ cfg, problem })));
    expect(together).toEqual(alone);
    expect(alone.every((r) => r.status === "ok")).toBe(true);
  });
});
