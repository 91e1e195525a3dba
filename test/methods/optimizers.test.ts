/**
 * Each optimizer's own rule, on losses small enough to follow by hand: heavy ball's
 * iterates, SGD's batches (a seeded permutation walked batch by batch, reshuffled
 * when fewer than batch_size samples remain), and the registries' lookups.
 */
import { describe, expect, it } from "vitest";
import { momentum } from "../../src/methods/optimizers/momentum.js";
import { findOptimizer, optimizerKinds, optimizerOf } from "../../src/methods/optimizers/registry.js";
import { sgd, shuffle } from "../../src/methods/optimizers/sgd.js";
import { gd } from "../../src/methods/optimizers/gd.js";
import { findPenalty, penaltyKinds, penaltyOf, DEFAULT_PENALTY } from "../../src/methods/penalties/registry.js";
import { findPruneRule, pruneRuleKeys } from "../../src/methods/prune/registry.js";
import { createStream } from "../../src/random/streams.js";
import type { Loss } from "../../src/solvers/types.js";

/** ½‖U‖² (∇ = U) over `samples` samples, recording which rows each minibatch call used. */
function recorded(samples: number) {
  const batches: number[][] = [];
  const loss: Loss = {
    valueAndGradient: (U, _k, grad) => (grad.set(U), 0.5 * U.reduce((s, u) => s + u * u, 0)),
    trainLoss: () => 0,
    testLoss: () => 0,
    minibatch: {
      samples,
      valueAndGradient(U, _k, rows, offset, count, grad) {
        batches.push(Array.from(rows.subarray(offset, offset + count)));
        grad.fill(offset + 1);
        return offset;
      },
    },
  };
  return { loss, batches };
}

describe("heavy-ball momentum", () => {
  it("moves by −η∇f + μ(U_t − U_{t−1}), with no velocity on the first step", () => {
    const { loss } = recorded(1);
    const rule = momentum.create(loss, { size: 1, stepSize: 0.5, config: { kind: "momentum", momentum: 0.5 }, rng: null });
    const U = Float64Array.of(1);
    const grad = new Float64Array(1);
    const path: number[] = [];
    for (let t = 0; t < 3; t++) {
      rule.gradient(U, 1, grad);
      rule.update(U, grad);
      path.push(U[0]);
    }
    // 1 − 0.5 = 0.5; 0.5 − 0.25 + 0.5(0.5 − 1) = 0; 0 − 0 + 0.5(0 − 0.5) = −0.25
    expect(path).toEqual([0.5, 0, -0.25]);
  });

  it("uses μ = 0.9 when the config gives none", () => {
    const { loss } = recorded(1);
    const rule = momentum.create(loss, { size: 1, stepSize: 0.5, config: { kind: "momentum" }, rng: null });
    const U = Float64Array.of(1);
    const grad = new Float64Array(1);
    for (let t = 0; t < 2; t++) {
      rule.gradient(U, 1, grad);
      rule.update(U, grad);
    }
    expect(U[0]).toBeCloseTo(0.5 - 0.25 + 0.9 * (0.5 - 1), 15);
    expect(momentum.params).toEqual([{ name: "momentum", default: 0.9, description: expect.any(String) }]);
  });

  it("counts any move between updates (a prox or a kick) in its velocity", () => {
    const { loss } = recorded(1);
    const rule = momentum.create(loss, { size: 1, stepSize: 0.5, config: { kind: "momentum", momentum: 0.5 }, rng: null });
    const U = Float64Array.of(1);
    const grad = Float64Array.of(0);
    rule.update(U, grad); // U stays 1
    U[0] = 3; // moved by something else
    rule.update(U, grad);
    expect(U[0]).toBe(3 + 0.5 * (3 - 1));
  });
});

describe("gradient descent", () => {
  it("follows the full gradient: U ← U − η∇f", () => {
    const { loss, batches } = recorded(5);
    const rule = gd.create(loss, { size: 2, stepSize: 0.25, config: { kind: "gd" }, rng: null });
    const U = Float64Array.of(2, -4);
    const grad = new Float64Array(2);
    expect(rule.gradient(U, 2, grad)).toBe(10);
    rule.update(U, grad);
    expect([...U]).toEqual([1.5, -3]);
    expect(batches).toEqual([]);
  });
});

describe("minibatch SGD", () => {
  const create = (samples: number, batch_size: number | undefined, key = "sgd") => {
    const { loss, batches } = recorded(samples);
    const rule = sgd.create(loss, { size: 1, stepSize: 0.1, config: { kind: "sgd", batch_size }, rng: createStream(key) });
    const U = new Float64Array(1);
    const grad = new Float64Array(1);
    const step = () => {
      const value = rule.gradient(U, 1, grad);
      rule.update(U, grad);
      return value;
    };
    return { batches, step, U };
  };

  it("uses every sample once per epoch, batch by batch, then reshuffles", () => {
    const { batches, step } = create(10, 3);
    for (let t = 0; t < 6; t++) step();
    expect(batches.map((b) => b.length)).toEqual([3, 3, 3, 3, 3, 3]);
    const epoch = (i: number) => batches.slice(3 * i, 3 * i + 3).flat();
    for (const i of [0, 1]) {
      expect(new Set(epoch(i)).size).toBe(9);
      for (const s of epoch(i)) expect(s >= 0 && s < 10).toBe(true);
    }
    // a fresh permutation for the second epoch
    expect(epoch(1)).not.toEqual(epoch(0));
  });

  it("walks the permutation: offsets 0, b, 2b, … and back to 0 after a reshuffle", () => {
    const { step } = create(10, 3);
    expect([step(), step(), step(), step(), step()]).toEqual([0, 3, 6, 0, 3]);
  });

  it("uses a whole epoch exactly when the batch divides it", () => {
    const { step } = create(6, 3);
    expect([step(), step(), step()]).toEqual([0, 3, 0]);
  });

  it("moves U by −η times the batch's gradient", () => {
    const { step, U } = create(10, 3);
    step(); // gradient offset + 1 = 1
    step(); // 4
    expect(U[0]).toBeCloseTo(-0.1 * (1 + 4), 15);
  });

  it("takes every sample when batch_size exceeds them, and 100 when none is given", () => {
    const all = create(7, 50);
    all.step();
    expect(all.batches[0].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const dflt = create(250, undefined);
    dflt.step();
    expect(dflt.batches[0]).toHaveLength(100);
    expect(sgd.params).toEqual([{ name: "batch_size", default: 100, description: expect.any(String) }]);
  });

  it("draws its batches from its stream alone", () => {
    const a = create(20, 4, "s1");
    const b = create(20, 4, "s1");
    const c = create(20, 4, "s2");
    for (let t = 0; t < 3; t++) [a, b, c].forEach((x) => x.step());
    expect(a.batches).toEqual(b.batches);
    expect(a.batches).not.toEqual(c.batches);
  });

  it("needs a loss over samples and a stream", () => {
    const noSamples: Loss = { valueAndGradient: () => 0, trainLoss: () => 0, testLoss: () => 0 };
    expect(() => sgd.create(noSamples, { size: 1, stepSize: 0.1, config: { kind: "sgd" }, rng: createStream("x") })).toThrow("sgd needs a loss over samples");
    expect(() => sgd.create(recorded(3).loss, { size: 1, stepSize: 0.1, config: { kind: "sgd" }, rng: null })).toThrow("sgd needs a seeded stream for its batches");
  });

  it("shuffles into a permutation, the same one for the same stream", () => {
    const perm = (key: string) => [...shuffle(Int32Array.from({ length: 30 }, (_, i) => i), createStream(key))];
    const p = perm("shuffle");
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(perm("shuffle")).toEqual(p);
    // every position can move: over many shuffles of 3, each of the 6 orders appears
    const rng = createStream("orders");
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add([...shuffle(Int32Array.of(0, 1, 2), rng)].join());
    expect(seen.size).toBe(6);
  });
});

describe("registries", () => {
  it("find optimizers, penalties and pruning rules by their key, and refuse unknown ones", () => {
    expect(optimizerKinds).toEqual(["gd", "sgd", "momentum"]);
    expect(optimizerOf("sgd")).toBe(sgd);
    expect(findOptimizer("adam")).toBeUndefined();
    expect(() => optimizerOf("adam")).toThrow("no optimizer registered as adam");
    expect(penaltyKinds).toEqual(["smooth-group-lasso", "group-lasso", "weight-decay", "none"]);
    expect(DEFAULT_PENALTY).toBe("smooth-group-lasso");
    expect(penaltyOf("none").kind).toBe("none");
    expect(findPenalty("l1")).toBeUndefined();
    expect(() => penaltyOf("l1")).toThrow("no penalty registered as l1");
    expect(pruneRuleKeys).toEqual(["threshold", "relative_threshold", "keep", "gap"]);
    expect(findPruneRule("keep")?.key).toBe("keep");
    expect(findPruneRule("top")).toBeUndefined();
  });

  it("mark which optimizers need samples", () => {
    expect(optimizerKinds.filter((k) => findOptimizer(k)!.needsSamples)).toEqual(["sgd"]);
  });
});
