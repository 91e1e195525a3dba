/**
 * The descent loop on hand-made losses whose every iterate is known in closed form:
 * which steps the observer sees, when grad_tol stops, the three divergence rules
 * (NaN/Inf objective or gradient, f above 10⁸ × max(1, f(U₀))), perturbed GD's kicks,
 * the objective L + λR and its gradient, and the record of ‖X_{t+1} − X_t‖_F.
 */
import { describe, expect, it } from "vitest";
import { BLOWUP_FACTOR, descend, kickInBall, type DescentOptions } from "../../src/pipeline/descend.js";
import { penaltyOf } from "../../src/methods/penalties/registry.js";
import { createStream } from "../../src/random/streams.js";
import type { Loss } from "../../src/solvers/types.js";

/** L(U) = ½‖U‖²_F (∇L = U), optionally with a value override per call number. */
function halfSquare(override?: (call: number, value: number) => number): Loss & { calls: number } {
  const loss = {
    calls: 0,
    valueAndGradient(U: Float64Array, _k: number, grad: Float64Array): number {
      let s = 0;
      for (let i = 0; i < grad.length; i++) {
        grad[i] = U[i];
        s += U[i] * U[i];
      }
      const value = 0.5 * s;
      return override ? override(loss.calls++, value) : value;
    },
    trainLoss: () => NaN,
    testLoss: () => NaN,
  };
  return loss;
}

/** L(U) = 0 everywhere: a flat loss, on which only kicks move U. */
const flat: Loss = { valueAndGradient: (_U, _k, grad) => (grad.fill(0), 0), trainLoss: () => 0, testLoss: () => 0 };

function options(o: Partial<DescentOptions> = {}): DescentOptions {
  return {
    d: 1, k: 1, lambda: 0, beta: 0.1, penalty: penaltyOf("none"), stepSize: 0.5, steps: 10, gradTol: 0,
    perturb: null, perturbRng: null, logEvery: 1, trackGramSteps: false, ...o,
  };
}

/** Run descent from U₀ and collect what the observer saw. */
function observe(loss: Loss, U0: number[], o: Partial<DescentOptions>) {
  const U = Float64Array.from(U0);
  const seen: Array<{ t: number; objective: number; gradNorm: number; U: number[] }> = [];
  const out = descend(loss, U, options(o), (t, W, objective, gradNorm) => seen.push({ t, objective, gradNorm, U: [...W] }));
  return { out, seen, U };
}

describe("which steps the observer sees", () => {
  it("hands the observer L(U) as the step's gradient computed it under plain gd (logs reuse it), and nothing under a minibatch rule", () => {
    const U = Float64Array.from([2]);
    const losses: (number | undefined)[] = [];
    descend(halfSquare(), U, options({ steps: 2 }), (_t, W, _objective, _gradNorm, loss) => losses.push(loss === 0.5 * W[0] * W[0] ? loss : -1));
    expect(losses).toEqual([2, 0.5, 0.125]);
    const sgd: (number | undefined)[] = [];
    const data = { ...halfSquare(), minibatch: { samples: 4, valueAndGradient: (W: Float64Array, _k: number, _rows: Int32Array, _o: number, _c: number, grad: Float64Array) => ((grad[0] = W[0]), 0) } };
    descend(data as unknown as Loss, Float64Array.from([2]), options({ steps: 2, optimizer: { kind: "sgd", batch_size: 2 } as DescentOptions["optimizer"], batchRng: createStream("b") }), (_t, _W, _o, _g, loss) => sgd.push(loss));
    expect(sgd).toEqual([undefined, undefined, undefined]);
  });

  it("sees t = 0, every logEvery-th step and the last step, once each", () => {
    expect(observe(halfSquare(), [1], { steps: 7, logEvery: 3 }).seen.map((s) => s.t)).toEqual([0, 3, 6, 7]);
    expect(observe(halfSquare(), [1], { steps: 6, logEvery: 3 }).seen.map((s) => s.t)).toEqual([0, 3, 6]);
    expect(observe(halfSquare(), [1], { steps: 0, logEvery: 3 }).seen.map((s) => s.t)).toEqual([0]);
  });

  it("sees the state before the step of that number: U_t = (1 − η)^t U₀ for ½‖U‖²", () => {
    const { seen, out } = observe(halfSquare(), [2], { steps: 4, stepSize: 0.25 });
    expect(seen.map((s) => s.U[0])).toEqual([2, 1.5, 1.125, 0.84375, 0.6328125]);
    expect(seen.map((s) => s.objective)).toEqual(seen.map((s) => 0.5 * s.U[0] ** 2));
    expect(seen.map((s) => s.gradNorm)).toEqual(seen.map((s) => Math.abs(s.U[0])));
    expect(out).toMatchObject({ steps: 4, divergedAt: null, kicks: 0, objective: 0.5 * 0.6328125 ** 2, gradNorm: 0.6328125 });
  });

  it("sees the step grad_tol stopped at, even between logged steps", () => {
    const { seen } = observe(halfSquare(), [1], { steps: 100, stepSize: 0.5, gradTol: 1e-3, logEvery: 4 });
    expect(seen.map((s) => s.t)).toEqual([0, 4, 8, 10]);
  });
});

describe("grad_tol", () => {
  it("stops at the first step whose gradient norm is under grad_tol", () => {
    // ‖∇f(U_t)‖ = 0.5^t: 0.5^9 ≈ 1.95e-3 ≥ 1e-3 > 0.5^10
    const { out } = observe(halfSquare(), [1], { steps: 100, stepSize: 0.5, gradTol: 1e-3 });
    expect(out.steps).toBe(10);
    expect(out.gradNorm).toBe(0.5 ** 10);
    expect(out.divergedAt).toBeNull();
  });

  it("does not stop on a gradient norm equal to grad_tol (strictly under)", () => {
    const { out } = observe(halfSquare(), [1], { steps: 100, stepSize: 0.5, gradTol: 0.5 ** 4 });
    expect(out.steps).toBe(5);
  });

  it("never stops early when grad_tol is 0, even at a zero gradient", () => {
    expect(observe(flat, [1], { steps: 20, gradTol: 0 }).out.steps).toBe(20);
    expect(observe(halfSquare(), [0], { steps: 20, gradTol: 0 }).out.steps).toBe(20);
  });
});

describe("divergence", () => {
  it("stops at a NaN or infinite objective, without observing that step", () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const { out, seen } = observe(halfSquare((call, v) => (call === 3 ? bad : v)), [1], { steps: 10 });
      expect(out.divergedAt).toBe(3);
      expect(out.steps).toBe(3);
      expect(out.objective).toBe(bad);
      expect(seen.map((s) => s.t)).toEqual([0, 1, 2]);
    }
  });

  it("stops at a non-finite gradient norm with a finite objective", () => {
    const loss: Loss = {
      valueAndGradient: (U, _k, grad) => ((grad[0] = U[0] > 0.3 ? U[0] : Infinity), 0.5 * U[0] * U[0]),
      trainLoss: () => 0, testLoss: () => 0,
    };
    const { out } = observe(loss, [1], { steps: 10, stepSize: 0.5 });
    // U = 1, 0.5, 0.25: the gradient is infinite at t = 2
    expect(out.divergedAt).toBe(2);
    expect(out.gradNorm).toBe(Infinity);
    expect(Number.isFinite(out.objective)).toBe(true);
  });

  it("stops at the first objective above 10⁸ × f(U₀) when f(U₀) > 1", () => {
    // η = −1 doubles U each step: f_t = 4.5 · 4^t, over 4.5e8 first at t = 14 (4^14 ≈ 2.7e8 > 1e8)
    expect(BLOWUP_FACTOR).toBe(1e8);
    const { out, seen } = observe(halfSquare(), [3], { steps: 100, stepSize: -1 });
    expect(out.divergedAt).toBe(14);
    expect(out.objective).toBe(4.5 * 4 ** 14);
    expect(seen[seen.length - 1].t).toBe(13);
  });

  it("stops at the first objective above 10⁸ (not 10⁸ × f(U₀)) when f(U₀) < 1", () => {
    // f_t = 0.045 · 4^t: over 1e8 first at t = 16; over 1e8 × 0.045 it would be t = 14
    const { out } = observe(halfSquare(), [0.3], { steps: 100, stepSize: -1 });
    expect(out.divergedAt).toBe(16);
  });

  it("does not count growth up to the limit as divergence", () => {
    // f_t = 4.5 · 4^t stays ≤ 4.5e8 for t ≤ 13
    const { out } = observe(halfSquare(), [3], { steps: 13, stepSize: -1 });
    expect(out.divergedAt).toBeNull();
    expect(out.steps).toBe(13);
  });
});

describe("perturbed gradient descent", () => {
  const perturb = { radius: 0.1, grad_tol: 1e-3, every: 4 };

  it("kicks every `every` steps while the gradient is under perturb.grad_tol, each kick counting as a step", () => {
    const { out, seen } = observe(flat, [0, 0, 0], { d: 3, steps: 10, perturb, perturbRng: createStream("kicks") });
    expect(out.kicks).toBe(3); // t = 0, 4, 8
    expect(out.steps).toBe(10);
    // only kicks move U on a flat loss, each by at most the radius
    const moved = seen.slice(1).map((s, i) => Math.hypot(...s.U.map((u, j) => u - seen[i].U[j])));
    moved.forEach((m, i) => (i === 0 || i === 4 || i === 8 ? expect(m).toBeGreaterThan(0) : expect(m).toBe(0)));
    moved.forEach((m) => expect(m).toBeLessThanOrEqual(0.1));
  });

  it("does not kick while the gradient is at or above perturb.grad_tol", () => {
    // ‖∇f‖ = 1 throughout: f(u) = u
    const linear: Loss = { valueAndGradient: (U, _k, g) => ((g[0] = 1), U[0]), trainLoss: () => 0, testLoss: () => 0 };
    const atTol = observe(linear, [0], { steps: 10, perturb: { ...perturb, grad_tol: 1 }, perturbRng: createStream("kicks") });
    expect(atTol.out.kicks).toBe(0);
    const above = observe(linear, [0], { steps: 10, perturb: { ...perturb, grad_tol: 1.5 }, perturbRng: createStream("kicks") });
    expect(above.out.kicks).toBe(3); // under perturb.grad_tol: t = 0, 4, 8
  });

  it("with grad_tol, stops only once the last kick had `every` steps to act", () => {
    const { out } = observe(flat, [0, 0], { d: 2, steps: 100, gradTol: 1e-6, perturb, perturbRng: createStream("kicks") });
    // a kick at t = 0, then 4 steps on a zero gradient: stop at t = 4 without a second kick
    expect(out.kicks).toBe(1);
    expect(out.steps).toBe(4);
  });

  it("draws its kicks from the perturb stream: the same stream gives the same iterates", () => {
    const a = observe(flat, [0, 0, 0], { d: 3, steps: 10, perturb, perturbRng: createStream("kicks-a") }).U;
    const b = observe(flat, [0, 0, 0], { d: 3, steps: 10, perturb, perturbRng: createStream("kicks-a") }).U;
    const c = observe(flat, [0, 0, 0], { d: 3, steps: 10, perturb, perturbRng: createStream("kicks-c") }).U;
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
  });
});

describe("a kick", () => {
  it("adds a point drawn uniformly from the ball of the radius", () => {
    // uniform in the 3-ball: ‖x‖/r is distributed as u^{1/3}, so half the draws have ‖x‖ < r·0.5^{1/3}
    const rng = createStream("ball");
    const scratch = new Float64Array(3);
    const radius = 2;
    let inner = 0;
    let largest = 0;
    const mean = [0, 0, 0];
    const draws = 4000;
    for (let i = 0; i < draws; i++) {
      const U = Float64Array.of(5, -1, 0);
      kickInBall(U, 3, radius, rng, scratch);
      const x = [U[0] - 5, U[1] + 1, U[2]];
      const norm = Math.hypot(...x);
      largest = Math.max(largest, norm);
      if (norm < radius * 0.5 ** (1 / 3)) inner++;
      x.forEach((v, j) => (mean[j] += v / draws));
    }
    expect(largest).toBeLessThanOrEqual(radius);
    expect(largest).toBeGreaterThan(0.99 * radius);
    expect(inner / draws).toBeGreaterThan(0.46);
    expect(inner / draws).toBeLessThan(0.54);
    for (const m of mean) expect(Math.abs(m)).toBeLessThan(0.06);
  });

  it("moves only the first `size` entries", () => {
    const U = Float64Array.of(0, 0, 7);
    kickInBall(U, 2, 1, createStream("ball-size"), new Float64Array(3));
    expect(U[2]).toBe(7);
    expect(Math.hypot(U[0], U[1])).toBeGreaterThan(0);
  });
});

describe("the objective L + λR", () => {
  it("adds λR to the objective and λ∇R to the gradient the step follows", () => {
    // weight decay R = ‖U‖²: f = ½u² + λu², ∇f = (1 + 2λ)u
    const { seen } = observe(halfSquare(), [2], { lambda: 0.25, penalty: penaltyOf("weight-decay"), steps: 1, stepSize: 0.5 });
    expect(seen[0]).toMatchObject({ objective: 2 + 0.25 * 4, gradNorm: 1.5 * 2 });
    expect(seen[1].U[0]).toBe(2 - 0.5 * 1.5 * 2);
  });

  it("uses the smooth group Lasso when no penalty is given", () => {
    const U = Float64Array.of(3, 4);
    const seen: number[] = [];
    descend(halfSquare(), U, { ...options({ d: 1, k: 2, lambda: 0.5, beta: 0, steps: 0 }), penalty: undefined }, (_t, _U, f) => seen.push(f));
    // R_0(U) = Σ‖u_i‖ = 3 + 4
    expect(seen).toEqual([12.5 + 0.5 * 7]);
  });
});

describe("the record of ‖X_{t+1} − X_t‖_F", () => {
  it("holds |u_{t+1}² − u_t²| for every step taken, and nothing when not tracked", () => {
    const { out } = observe(halfSquare(), [2], { steps: 3, stepSize: 0.5, trackGramSteps: true });
    expect([...out.gramSteps]).toEqual([4 - 1, 1 - 0.25, 0.25 - 0.0625]);
    expect(observe(halfSquare(), [2], { steps: 3, trackGramSteps: false }).out.gramSteps).toHaveLength(0);
  });

  it("is cut to the steps taken when grad_tol stops early", () => {
    const { out } = observe(halfSquare(), [1], { steps: 100, stepSize: 0.5, gradTol: 1e-3, trackGramSteps: true });
    expect(out.gramSteps).toHaveLength(10);
    expect(out.gramSteps[9]).toBe(0.5 ** 18 - 0.5 ** 20);
  });

  it("measures the Frobenius norm of UUᵀ's change for a d×k factor", () => {
    // U (2×1) = (1, 1) → (0.5, 0.5): UUᵀ goes from all ones to all 0.25, ‖Δ‖_F = 4 × 0.75² summed, rooted
    const { out } = observe(halfSquare(), [1, 1], { d: 2, k: 1, steps: 1, stepSize: 0.5, trackGramSteps: true });
    expect(out.gramSteps[0]).toBeCloseTo(Math.sqrt(4 * 0.75 ** 2), 15);
  });
});
