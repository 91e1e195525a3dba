/**
 * Which random stream each draw of a run comes from, and what its key holds: runs that
 * differ in λ, β, ε or step counts see the same data and U₀; the data do not depend on
 * n (the first n of a larger n agree); each noise level σ > 0 draws its own data; U₀ and the kicks are separate streams.
 */
import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/resolved.js";
import {
  batchStream, buildProblem, curvatureStream, initStream, perturbStream, problemKey, problemStreams,
} from "../../src/pipeline/seeds.js";
import type { Rng } from "../../src/random/streams.js";
import type { ProblemSpec } from "../../src/solvers/types.js";
import { planRuns } from "../../src/sweep/plan.js";

const BASE = { problem: { kind: "matrix-sensing", d: 5, r: 2, n: 40, n_test: 10 }, model: { k: 4 }, train: { steps: 5 }, finetune: { steps: 5 } };

/** The resolved config of BASE with `patch` merged into its sections. */
function cfg(patch: Record<string, Record<string, unknown> | number | string> = {}): ResolvedConfig {
  const written: Record<string, unknown> = { ...BASE };
  for (const [key, value] of Object.entries(patch)) {
    const base = (BASE as Record<string, unknown>)[key];
    written[key] = typeof value === "object" && typeof base === "object" ? { ...base, ...value } : value;
  }
  return planRuns(written).runs[0].config;
}

const draws = (rng: Rng, n = 6): number[] => Array.from({ length: n }, () => rng.uniform());

describe("the data streams", () => {
  const spec: ProblemSpec = { kind: "matrix-sensing", d: 5, r: 2, kappa: 1, n: 40, n_test: 10, noise: 0 };
  const streams = (p: Partial<ProblemSpec>, seed = 1) => problemStreams(seed, { ...spec, ...p });

  it("draw the truth from seed, d, r and κ only: not the model kind, n, n_test or σ", () => {
    const truth = draws(streams({}).truth);
    expect(draws(streams({ kind: "quadratic-net", n: 7, n_test: 3, noise: 0.5 }).truth)).toEqual(truth);
    for (const other of [streams({}, 2), streams({ d: 6 }), streams({ r: 3 }), streams({ kappa: 2 })]) {
      expect(draws(other.truth)).not.toEqual(truth);
    }
  });

  it("draw the training data from the kind as well, so n only takes more of the same draws", () => {
    const train = draws(streams({}).train);
    expect(draws(streams({ n: 400, n_test: 99 }).train)).toEqual(train);
    expect(draws(streams({ noise: 0.3, n: 400 }).train)).toEqual(draws(streams({ noise: 0.3 }).train));
    for (const other of [streams({ kind: "quadratic-net" }), streams({}, 2), streams({ d: 6 }), streams({ r: 3 }), streams({ kappa: 2 })]) {
      expect(draws(other.train)).not.toEqual(train);
    }
  });

  it("draw the test set from its own stream, with the same key", () => {
    const s = streams({});
    const test = draws(s.test);
    expect(test).not.toEqual(draws(streams({}).train));
    expect(test).not.toEqual(draws(streams({}).truth));
    expect(draws(streams({ n: 400 }).test)).toEqual(test);
    expect(draws(streams({ kind: "quadratic-net" }).test)).not.toEqual(test);
  });

  it("draw independent data for each noise level σ > 0 (train and test), and the noiseless stream for σ = 0", () => {
    const noisy = [0.05, 0.1, 0.2, 0.4].map((noise) => streams({ noise }));
    const firsts = noisy.map((s) => draws(s.train));
    expect(new Set(firsts.map(String)).size).toBe(4);
    expect(new Set(noisy.map((s) => String(draws(s.test)))).size).toBe(4);
    for (const f of firsts) expect(f).not.toEqual(draws(streams({}).train));
    expect(draws(streams({ noise: 0 }).train)).toEqual(draws(streams({}).train));
  });

  it("give the same planted matrix to every model kind on the same seed, d, r and κ", () => {
    const a = buildProblem(cfg());
    const b = buildProblem(cfg({ problem: { kind: "population", n: 1000 } }));
    expect([...b.truth.Mstar]).toEqual([...a.truth.Mstar]);
    expect([...buildProblem(cfg({ seed: 2 })).truth.Mstar]).not.toEqual([...a.truth.Mstar]);
  });

  it("refuse a kind no solver is registered under", () => {
    const c = cfg();
    expect(() => buildProblem({ ...c, problem: { ...c.problem, kind: "no-such-model" } })).toThrow(
      "no solver registered for problem.kind no-such-model",
    );
  });
});

describe("the run's streams", () => {
  const base = cfg();

  it("draw U₀ from seed, d and model.* only", () => {
    const u0 = draws(initStream(base));
    for (const same of [
      cfg({ train: { lambda: 0.3, beta: 0.5, steps: 9, step_size: 0.01 } }), cfg({ prune: { threshold: 0.3 } }),
      cfg({ finetune: { steps: 9 } }), cfg({ problem: { n: 80, r: 1, noise: 0.1, kind: "quadratic-net" } }),
    ]) {
      expect(draws(initStream(same))).toEqual(u0);
    }
    for (const other of [cfg({ seed: 2 }), cfg({ problem: { d: 6 } }), cfg({ model: { k: 5 } }), cfg({ model: { init_scale: 0.5 } })]) {
      expect(draws(initStream(other))).not.toEqual(u0);
    }
  });

  it("draw the kicks from a stream of their own, keyed like U₀", () => {
    const kicks = draws(perturbStream(base));
    expect(kicks).not.toEqual(draws(initStream(base)));
    expect(draws(perturbStream(cfg({ train: { lambda: 0.3, steps: 9 } })))).toEqual(kicks);
    for (const other of [cfg({ seed: 2 }), cfg({ problem: { d: 6 } }), cfg({ model: { k: 5 } })]) {
      expect(draws(perturbStream(other))).not.toEqual(kicks);
    }
  });

  it("draw the Lanczos start from the seed alone", () => {
    const start = draws(curvatureStream(base));
    expect(draws(curvatureStream(cfg({ problem: { d: 6 }, model: { k: 5 }, train: { lambda: 0.3 } })))).toEqual(start);
    expect(draws(curvatureStream(cfg({ seed: 2 })))).not.toEqual(start);
    expect(start).not.toEqual(draws(initStream(base)));
  });

  it("draw training minibatches from what training depends on, fine-tuning ones from the whole run", () => {
    const train = draws(batchStream(base, "train"));
    const finetune = draws(batchStream(base, "finetune"));
    expect(finetune).not.toEqual(train);
    // training's batches do not move with the pruning or fine-tuning settings
    expect(draws(batchStream(cfg({ prune: { threshold: 0.3 }, finetune: { steps: 9 } }), "train"))).toEqual(train);
    for (const other of [cfg({ seed: 2 }), cfg({ problem: { n: 80 } }), cfg({ model: { k: 5 } }), cfg({ train: { steps: 9 } })]) {
      expect(draws(batchStream(other, "train"))).not.toEqual(train);
    }
    // fine-tuning's move with any setting, but not with the run's name
    expect(draws(batchStream(cfg({ prune: { threshold: 0.3 } }), "finetune"))).not.toEqual(finetune);
    expect(draws(batchStream(cfg({ finetune: { steps: 9 } }), "finetune"))).not.toEqual(finetune);
    expect(draws(batchStream({ ...base, name: "renamed" }, "finetune"))).toEqual(finetune);
  });

  it("share one problem between runs on the same seed and problem", () => {
    expect(problemKey(cfg({ train: { lambda: 0.3 }, model: { k: 5 } }))).toBe(problemKey(base));
    expect(problemKey(cfg({ problem: { n: 80 } }))).not.toBe(problemKey(base));
    expect(problemKey(cfg({ seed: 2 }))).not.toBe(problemKey(base));
  });
});
