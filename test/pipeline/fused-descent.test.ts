/**
 * Lockstep descent (src/pipeline/fused-descent.ts): runs stepped together by the
 * fused WebAssembly step get, bit for bit, what descend() gives each alone
 * (U, outcome, every observed step), at odd sizes, whatever else is in the batch;
 * runs that stop early (grad_tol, divergence, fewer steps) do not disturb the
 * others; what the fused step does not cover takes descend().
 */
import { describe, expect, it } from "vitest";
import { descend, type DescentOptions, type DescentOutcome } from "../../src/pipeline/descend.js";
import {
  descendTogether, fusedCovers, fusedCoversGradients, gradients, gradientsTogether, stepTogether, descent, Thrown,
  type DescentRequest, type GradientsRequest, type Stepper,
} from "../../src/pipeline/fused-descent.js";
import { lanczosSmallest, smallestHessianEigenvalue } from "../../src/pipeline/curvature.js";
import { fusedEngine } from "../../src/linalg/fused.js";
import { createStream } from "../../src/random/streams.js";
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
    kind: "descent", loss, U: randomArray(d * c.k, `fused-descent:U:${i}`, 0.3),
    options: { ...BASE, d, k: c.k, ...c.options },
    observe: (t, U, objective, gradNorm) => seen.push({ t, U: Array.from(U), objective, gradNorm }),
  };
}

describe.runIf(wasmAvailable).each([["sensing", SENSING], ["quadratic net", QUAD]])("descendTogether on %s (WebAssembly kernels only: skipped on the TypeScript ones)", (_name, problemSpec) => {
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

/** The width of the fused engine of a loss's data (1 when none was made: one is made then). */
function fusedEngineWidth(loss: Loss): number {
  return fusedEngine(loss.fused!.moments, loss.fused!.rows, 1, 1)!.width;
}

/** A request for the gradients of L + λ·penalty at `count` points (the curvature check's). */
function gradientsRequest(loss: Loss, d: number, k: number, lambda: number, penalty: string, count: number, tag: string): GradientsRequest {
  const pen = penaltyOf(penalty);
  const colSq = new Float64Array(k);
  return {
    kind: "gradients", loss, d, k, lambda, beta: 0.1, penalty: pen,
    ask: {
      points: Array.from({ length: count }, (_, i) => randomArray(d * k, `fused-gradients:${tag}:${i}`, 0.4)),
      out: Array.from({ length: count }, () => new Float64Array(d * k).fill(NaN)),
    },
    gradient: (W, out) => {
      out.fill(0);
      loss.valueAndGradient(W, k, out);
      pen.addGradient(W, d, k, 0.1, lambda, out, colSq);
    },
  };
}

describe.runIf(wasmAvailable).each([["sensing", SENSING], ["quadratic net", QUAD]])("gradientsTogether on %s (WebAssembly kernels only: skipped on the TypeScript ones)", (_name, problemSpec) => {
  it("gives every point the bits of its request's gradient alone, whatever the other requests (k, λ, penalty)", () => {
    const problem = buildProblem(resolved({ problem: problemSpec }));
    const d = problem.factorRows;
    const loss = problem.createLoss(9);
    const specs: [number, number, string, number][] = [[5, 0.05, "smooth-group-lasso", 2], [3, 0, "none", 2], [9, 0.3, "smooth-group-lasso", 1], [1, 0, "smooth-group-lasso", 3]];
    const requests = specs.map(([k, lambda, penalty, count], i) => gradientsRequest(loss, d, k, lambda, penalty, count, `${i}`));
    expect(requests.every((r) => fusedCoversGradients(r.loss, r.d, r.penalty))).toBe(true);
    const alone = requests.map((r) => r.ask.points.map((W) => {
      const out = new Float64Array(W.length);
      r.gradient(W, out);
      return Array.from(out);
    }));
    // first on the engine of one run (each point alone), then on one of 3 slots (points 3 at a time)
    const rounds: [number, number[]][] = [[1, [0, 1, 2, 3]], [1, [3, 1]], [1, [2]], [3, [0, 1, 2, 3]], [3, [1, 3]]];
    for (const [width, order] of rounds) {
      if (width === 3) fusedEngine(loss.fused!.moments, d, 3, 9);
      expect(fusedEngineWidth(loss)).toBe(width);
      for (const i of order) for (const out of requests[i].ask.out) out.fill(NaN);
      expect(gradientsTogether(order.map((i) => requests[i]))).toEqual(order.map(() => undefined));
      for (const i of order) expect(requests[i].ask.out.map((out) => Array.from(out)), `request ${i} in [${order}]`).toEqual(alone[i]);
    }
  });

  it("the curvature check through stepTogether: λ_min of each run, stepped with others, is smallestHessianEigenvalue's alone", () => {
    const problem = buildProblem(resolved({ problem: problemSpec }));
    const d = problem.factorRows;
    const loss = problem.createLoss(6);
    const runs = [[6, 0.05], [4, 0], [2, 0.2]].map(([k, lambda], i) => ({ ...gradientsRequest(loss, d, k, lambda, "smooth-group-lasso", 0, `lanczos:${i}`), U: randomArray(d * k, `fused-lanczos:U:${i}`, 0.4) }));
    const alone = runs.map((r, i) => smallestHessianEigenvalue(r.gradient, r.U, createStream(`lanczos:${i}`), 12));
    function* curvature(i: number): Stepper<number> {
      const { ask: _ask, kind: _kind, U, ...request } = runs[i];
      return yield* gradients(lanczosSmallest(U, createStream(`lanczos:${i}`), 12), request);
    }
    const together = stepTogether(runs.map((_, i) => curvature(i)));
    expect(together.every((x, i) => Object.is(x, alone[i]))).toBe(true);
    expect(alone.every(Number.isFinite)).toBe(true);
  });
});

describe("fusedCovers", () => {
  const cfg = resolved({ problem: SENSING });
  const loss = buildProblem(cfg).createLoss(3);
  const o: DescentOptions = { ...BASE, d: 7, k: 3 };

  it.runIf(wasmAvailable)("covers gd with the smooth group Lasso or no penalty on the moments route (WebAssembly kernels only: skipped on the TypeScript ones)", () => {
    expect(fusedCovers(loss, o)).toBe(true);
    expect(fusedCovers(loss, { ...o, penalty: penaltyOf("none") })).toBe(true);
  });

  it.runIf(wasmAvailable)("fusedCoversGradients: the smooth group Lasso or no penalty on the moments route, nothing else (WebAssembly kernels only: skipped on the TypeScript ones)", () => {
    expect(fusedCoversGradients(loss, 7, penaltyOf("smooth-group-lasso"))).toBe(true);
    expect(fusedCoversGradients(loss, 7, penaltyOf("none"))).toBe(true);
    expect(fusedCoversGradients(loss, 7, penaltyOf("weight-decay"))).toBe(false);
    expect(fusedCoversGradients(loss, 6, penaltyOf("none"))).toBe(false);
    expect(fusedCoversGradients(buildProblem(cfg).createLoss(3, "direct"), 7, penaltyOf("none"))).toBe(false);
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
