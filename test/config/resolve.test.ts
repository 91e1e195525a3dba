/**
 * Written config → resolved config: the defaults every absent field gets, the
 * formula quantities, the recorded `formulas:` block, the optimizer and prune
 * blocks, cross-field rules, and the written form that re-creates the same run.
 * Error lines are the exact user-facing ones (one line naming the field).
 */
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load.js";
import { DEFAULTS, PERTURB_DEFAULTS } from "../../src/config/resolved.js";
import { checkWrittenShape, resolveConfig } from "../../src/config/resolve.js";
import { writtenForm } from "../../src/config/written-form.js";
import { planRuns } from "../../src/sweep/plan.js";
import { parseOverrides } from "../../src/sweep/expand.js";
import { configErrorLines } from "../helpers.js";

const errorsOf = (written: unknown): string[] => configErrorLines(() => resolveConfig(written));
const yaml = (text: string) => parseConfigText(text, "c.yaml");

describe("defaults", () => {
  it("fill every field of an empty config with the documented defaults", () => {
    const { config, warnings } = resolveConfig({});
    expect(config).toEqual({
      name: "default",
      seed: 1,
      problem: { kind: "matrix-sensing", d: 20, r: 3, kappa: 1, n: 2000, n_test: 1000, noise: 0 },
      model: { k: 40, init_scale: 1e-3 },
      train: {
        lambda: 0.1, beta: 0.1, step_size: 0.05, steps: 3000, grad_tol: 0, perturb: null,
        penalty: { kind: "smooth-group-lasso" }, optimizer: { kind: "gd" },
      },
      prune: { threshold: 0.1, relative_threshold: null },
      finetune: { step_size: 0.05, steps: 2000, grad_tol: 0, optimizer: { kind: "gd" } },
      log: { every: 10 },
      formulas: {},
    });
    expect(warnings).toEqual([]);
  });

  it("fill the fields a partial section leaves out, and keep the ones given", () => {
    const c = resolveConfig({ name: "x", seed: 0, problem: { d: 8 }, model: { init_scale: 0.5 }, train: { steps: 7 }, finetune: { grad_tol: 1e-9 }, log: { every: 3 } }).config;
    expect([c.name, c.seed]).toEqual(["x", 0]);
    expect(c.problem).toEqual({ ...DEFAULTS.problem, d: 8 });
    expect(c.model).toEqual({ k: 40, init_scale: 0.5 });
    expect(c.train).toMatchObject({ lambda: 0.1, steps: 7, step_size: 0.05 });
    expect(c.finetune).toMatchObject({ step_size: 0.05, steps: 2000, grad_tol: 1e-9 });
    expect(c.log).toEqual({ every: 3 });
  });

  it("fill a perturb block's missing fields, and leave perturbed GD off without one", () => {
    expect(resolveConfig({ train: { perturb: {} } }).config.train.perturb).toEqual(PERTURB_DEFAULTS);
    expect(PERTURB_DEFAULTS).toEqual({ radius: 1e-4, grad_tol: 1e-5, every: 100 });
    expect(resolveConfig({ train: { perturb: { every: 7 } } }).config.train.perturb).toEqual({ radius: 1e-4, grad_tol: 1e-5, every: 7 });
  });

  it("give asymmetric sensing d2 = d and no balancing term unless given", () => {
    expect(resolveConfig({ problem: { kind: "asymmetric-sensing", d: 6 } }).config.problem).toMatchObject({ d: 6, d2: 6, balance: 0 });
    expect(resolveConfig({ problem: { kind: "asymmetric-sensing", d: 6, d2: 3, balance: 0.5 } }).config.problem).toMatchObject({ d2: 3, balance: 0.5 });
  });

  it("warn, not fail, when k < r: the model cannot fit the ground truth exactly", () => {
    const r = resolveConfig({ model: { k: 2 } });
    expect(r.config.model.k).toBe(2);
    expect(r.warnings).toEqual(["model.k: 2 < problem.r (3): the model cannot fit the ground truth exactly"]);
    expect(resolveConfig({ model: { k: 3 } }).warnings).toEqual([]);
  });

  it("accept r = d (and r = d2) exactly", () => {
    expect(resolveConfig({ problem: { d: 3, r: 3 }, model: { k: 3 } }).config.problem.r).toBe(3);
    expect(resolveConfig({ problem: { kind: "asymmetric-sensing", d: 5, d2: 3, r: 3 } }).config.problem.d2).toBe(3);
  });

  it("warn that balance means nothing for a symmetric model too", () => {
    const r = resolveConfig({ problem: { kind: "population", balance: 1 } });
    expect(r.config.problem.balance).toBeUndefined();
    expect(r.warnings).toEqual(["problem.balance: used only by problem.kind asymmetric-sensing, ignored for population"]);
  });

  it("warns that a noise level does nothing for the population loss (and not when it is 0, or for a model with measurements)", () => {
    expect(resolveConfig({ problem: { kind: "population", noise: 0.1 } }).warnings).toEqual([
      "problem.noise: population has no measurements to add noise to (its loss is ‖UUᵀ − M*‖²_F), ignored",
    ]);
    expect(resolveConfig({ problem: { kind: "population", noise: 0 } }).warnings).toEqual([]);
    expect(resolveConfig({ problem: { kind: "matrix-sensing", noise: 0.1 } }).warnings).toEqual([]);
  });
});

describe("the prune rule", () => {
  it("is threshold 0.1 by default, one rule when given, never two", () => {
    expect(resolveConfig({}).config.prune).toEqual({ threshold: 0.1, relative_threshold: null });
    expect(resolveConfig({ prune: { threshold: 0.3 } }).config.prune).toEqual({ threshold: 0.3, relative_threshold: null });
    expect(resolveConfig({ prune: { relative_threshold: 0.3 } }).config.prune).toEqual({ threshold: null, relative_threshold: 0.3 });
    expect(resolveConfig({ prune: { keep: 5 } }).config.prune).toEqual({ threshold: null, relative_threshold: null, keep: 5 });
    expect(resolveConfig({ prune: { gap: "2 * kappa" } }).config.prune).toEqual({ threshold: null, relative_threshold: null, gap: 2 });
    expect(errorsOf({ prune: { keep: 2, gap: 3 } })).toEqual(["prune: give one rule of threshold, relative_threshold, keep, gap, got keep and gap"]);
  });
});

describe("formulas", () => {
  it("see the problem's quantities, σ_1 and σ_r of linspace(1, 1/κ, r), n_ratio and the solver's curvature", () => {
    const f = (text: string, problem: Record<string, unknown> = {}, model: Record<string, unknown> = {}) =>
      resolveConfig({ problem, model, train: { grad_tol: text } }).config.train.grad_tol;
    expect(f("d + r + k + n + n_test", { d: 10, r: 2, n: 300, n_test: 40 }, { k: 7 })).toBe(10 + 2 + 7 + 300 + 40);
    expect(f("noise + kappa", { noise: 0.25, kappa: 4 })).toBe(4.25);
    expect(f("sigma_1 * 100 + sigma_r", { r: 5, kappa: 4 })).toBe(100 + 0.25);
    // r = 1: σ_1 = σ_r = 1 whatever κ
    expect(f("sigma_1 + sigma_r", { r: 1, kappa: 4 })).toBe(2);
    expect(f("n_ratio", { d: 10, r: 2, n: 300 })).toBe(15);
    expect(f("curvature", { kind: "matrix-sensing", kappa: 2, r: 2 })).toBe(8);
    expect(f("curvature", { kind: "population", kappa: 2, r: 2 })).toBe(8);
    // the quadratic net's own curvature: 16σ_1² + 8Σσ_j² over the two singular values
    expect(f("curvature", { kind: "quadratic-net", kappa: 2, r: 2 })).toBe(16 + 8 * (1 + 0.25));
    // asymmetric sensing has no curvature of its own: sensing's 8σ_1²
    expect(f("curvature", { kind: "asymmetric-sensing", kappa: 2, r: 2 })).toBe(8);
  });

  it("are recorded under the resolved field, in field order, and each resolved field is a number", () => {
    const c = resolveConfig({ finetune: { steps: "2 * d" }, train: { step_size: "0.1 / curvature", penalty: { lambda: "sigma_r / 10" } } }).config;
    expect(c.train.step_size).toBe(0.1 / 8);
    expect(c.train.lambda).toBeCloseTo(0.1, 15);
    expect(c.finetune.steps).toBe(40);
    expect(Object.entries(c.formulas)).toEqual([
      ["train.lambda", "sigma_r / 10"], ["train.step_size", "0.1 / curvature"], ["finetune.steps", "2 * d"],
    ]);
  });

  it("in every optional block resolve too (perturb, optimizers), and are checked against the field's rule", () => {
    const c = resolveConfig({
      train: { perturb: { radius: "1e-3 * sigma_r", every: "d" }, optimizer: { kind: "sgd", batch_size: "n / 20" } },
      finetune: { optimizer: { kind: "momentum", momentum: "1 - 1 / d" } },
    }).config;
    expect(c.train.perturb).toEqual({ radius: 1e-3, grad_tol: 1e-5, every: 20 });
    expect(c.train.optimizer).toEqual({ kind: "sgd", batch_size: 100 });
    expect(c.finetune.optimizer).toEqual({ kind: "momentum", momentum: 0.95 });
    expect(errorsOf({ finetune: { optimizer: { kind: "momentum", momentum: "1 + 1 / d" } } })).toEqual([
      'finetune.optimizer.momentum: must be < 1, got 1.05 (from formula "1 + 1 / d")',
    ]);
    expect(errorsOf({ train: { perturb: { every: "d / 3" } } })).toEqual(['train.perturb.every: must be an integer, got 6.666666666666667 (from formula "d / 3")']);
  });

  it("name the field the user wrote when the formula came through train.penalty", () => {
    expect(errorsOf({ train: { penalty: { lambda: "-1" } } })).toEqual(['train.penalty.lambda: must be ≥ 0, got -1 (from formula "-1")']);
    expect(errorsOf({ train: { penalty: { beta: "foo" } } })).toEqual([
      'train.penalty.beta: formula "foo" uses unknown name foo (known: d, r, k, n, n_test, noise, kappa, sigma_1, sigma_r, n_ratio, curvature)',
    ]);
  });

  it("say an empty formula is empty", () => {
    expect(errorsOf({ train: { beta: "  " } })).toEqual(["train.beta: formula is empty"]);
  });
});

describe("the recorded formulas block (config.json, validate's output)", () => {
  it("fills an absent field, and keeps a number that agrees with its formula", () => {
    // a default is not a value given beside the formula: the formula fills the field
    const filled = resolveConfig({ formulas: { "train.lambda": "sigma_r / 2", "prune.threshold": "0.2", "train.optimizer.batch_size": "n / 10" }, train: { optimizer: { kind: "sgd" } } }).config;
    expect([filled.train.lambda, filled.prune.threshold, filled.train.optimizer.batch_size]).toEqual([0.5, 0.2, 200]);
    expect(filled.formulas).toEqual({ "train.lambda": "sigma_r / 2", "prune.threshold": "0.2", "train.optimizer.batch_size": "n / 10" });
    // given through train.penalty, the number is checked like train.lambda
    expect(errorsOf({ train: { penalty: { lambda: 0.3 } }, formulas: { "train.lambda": "sigma_r / 2" } })).toEqual([
      'train.lambda: 0.3 disagrees with its formula "sigma_r / 2" (= 0.5); change or remove one',
    ]);
    const kept = resolveConfig({ train: { lambda: 0.5 }, formulas: { "train.lambda": "sigma_r / 2" } }).config;
    expect(kept.train.lambda).toBe(0.5);
    expect(kept.formulas).toEqual({ "train.lambda": "sigma_r / 2" });
    const same = resolveConfig({ train: { lambda: "sigma_r / 2" }, formulas: { "train.lambda": "sigma_r / 2" } }).config;
    expect(same.formulas).toEqual({ "train.lambda": "sigma_r / 2" });
  });

  it("refuses a number that disagrees, a different formula text, a field that takes none and a block that is not set", () => {
    expect(errorsOf({ train: { lambda: 0.1 }, formulas: { "train.lambda": "0.2" } })).toEqual([
      'train.lambda: 0.1 disagrees with its formula "0.2" (= 0.2); change or remove one',
    ]);
    expect(errorsOf({ train: { lambda: "0.1" }, formulas: { "train.lambda": "0.2" } })).toEqual([
      'train.lambda: formula "0.1" differs from formulas.train.lambda "0.2"; remove one',
    ]);
    expect(errorsOf({ formulas: { "train.perturb.radius": "1" } })).toEqual(["formulas.train.perturb.radius: train.perturb is not set"]);
    expect(errorsOf({ formulas: { seed: "1" } })[0]).toMatch(/^formulas\.seed: not a field that takes a formula \(one of model\.init_scale, train\.lambda, .*, finetune\.optimizer\.momentum\)$/);
    expect(errorsOf({ train: { lambda: 0.1 }, formulas: { "train.lambda": "foo" } })).toEqual([
      'formulas.train.lambda: formula "foo" uses unknown name foo (known: d, r, k, n, n_test, noise, kappa, sigma_1, sigma_r, n_ratio, curvature)',
    ]);
  });
});

describe("optimizers", () => {
  it("take sgd's default batch of 100, and refuse one larger than n, on the resolved numbers", () => {
    expect(resolveConfig({ problem: { n: 100 }, train: { optimizer: { kind: "sgd" } } }).config.train.optimizer).toEqual({ kind: "sgd", batch_size: 100 });
    expect(errorsOf({ problem: { n: 99 }, train: { optimizer: { kind: "sgd" } } })).toEqual(["train.optimizer.batch_size: must be ≤ problem.n (99), got 100"]);
  });

  it("drop a parameter of another optimizer with a warning naming the block", () => {
    const r = resolveConfig({ finetune: { optimizer: { kind: "sgd", momentum: 0.5 } } });
    expect(r.config.finetune.optimizer).toEqual({ kind: "sgd", batch_size: 100 });
    expect(r.warnings).toEqual(["finetune.optimizer.momentum: not a parameter of optimizer sgd, ignored"]);
    expect(resolveConfig({ train: { optimizer: { batch_size: 5 } } }).warnings).toEqual(["train.optimizer.batch_size: not a parameter of optimizer gd, ignored"]);
  });
});

describe("shape errors", () => {
  it("are all reported with the other problems, and a section of the wrong type does not hide the rest", () => {
    expect(errorsOf({ problem: 5, model: [1], train: { perturb: 3, penalty: "x", optimizer: [1] }, finetune: { optimizer: 2, steps: -1 } })).toEqual([
      "problem: expected a mapping, got 5",
      "model: expected a mapping, got a list",
      "train.perturb: expected a mapping, got 3",
      'train.penalty: expected a mapping, got "x"',
      "train.optimizer: expected a mapping, got a list",
      "finetune.steps: must be ≥ 0, got -1",
      "finetune.optimizer: expected a mapping, got 2",
    ]);
  });

  it("name each section of the wrong type, and a non-number beside a cross-field rule only once", () => {
    expect(errorsOf({ prune: 5, finetune: [1], log: "x", formulas: ["a"] })).toEqual([
      "prune: expected a mapping, got 5", "finetune: expected a mapping, got a list", 'log: expected a mapping, got "x"', "formulas: expected a mapping, got a list",
    ]);
    // r and d2 are compared with r only when both are numbers
    expect(errorsOf({ problem: { r: "x", d: 2 } })).toEqual(['problem.r: expected number, got "x"']);
    expect(errorsOf({ problem: { kind: "asymmetric-sensing", d2: "x", r: 3 } })).toEqual(['problem.d2: expected number, got "x"']);
    // an unknown kind still gives the formulas a curvature (sensing's): the kind is the one problem
    expect(errorsOf({ problem: { kind: "foo" }, train: { lambda: "curvature / 80" } })).toEqual([
      'problem.kind: expected one of population, matrix-sensing, quadratic-net, asymmetric-sensing, got "foo"',
    ]);
  });

  it("refuse a config that is not a mapping at all", () => {
    expect(errorsOf([1])).toEqual(["(top level): expected a mapping, got a list"]);
    expect(errorsOf(null)).toEqual(["(top level): expected a mapping, got null"]);
  });

  it("are empty for a valid written config", () => {
    expect(checkWrittenShape({ train: { lambda: "sigma_r" } })).toEqual([]);
  });
});

describe("the written form", () => {
  it("leaves out unset options and carries the formulas, and reads back as the same resolved config", () => {
    const first = resolveConfig(yaml('problem: { kappa: 2 }\ntrain:\n  lambda: "sigma_r^3"\n  perturb: { radius: 1e-3 }\nprune: { relative_threshold: 0.2 }\n')).config;
    const written = writtenForm(first);
    expect(written.prune).toEqual({ relative_threshold: 0.2 });
    expect(written.formulas).toEqual({ "train.lambda": "sigma_r^3" });
    expect((written.train as Record<string, unknown>).lambda).toBe(0.125);
    expect(resolveConfig(JSON.parse(JSON.stringify(written))).config).toEqual(first);
  });

  it("drops perturb and an empty formulas block when unset, keeping every other section whole", () => {
    const written = writtenForm(resolveConfig({}).config);
    expect(Object.keys(written)).toEqual(["name", "seed", "problem", "model", "train", "prune", "finetune", "log"]);
    expect(written.train).toEqual({ lambda: 0.1, beta: 0.1, step_size: 0.05, steps: 3000, grad_tol: 0, penalty: { kind: "smooth-group-lasso" }, optimizer: { kind: "gd" } });
    expect(written.prune).toEqual({ threshold: 0.1 });
    expect(resolveConfig(written).config).toEqual(resolveConfig({}).config);
  });

  it("keeps lists and zeros as they are", () => {
    const c = resolveConfig({ seed: 0, train: { grad_tol: 0 } }).config;
    const w = writtenForm(c) as { seed: number; train: { grad_tol: number } };
    expect([w.seed, w.train.grad_tol]).toEqual([0, 0]);
  });
});

describe("overrides through a sweep plan", () => {
  it("--set and --unset reach the resolved config", () => {
    const plan = planRuns(yaml("train: { perturb: { radius: 1e-3 } }\n"), parseOverrides(["train.lambda=sigma_r/5", "model.k=12"], ["train.perturb"]));
    const c = plan.runs[0].config;
    expect(c.train.perturb).toBeNull();
    expect(c.train.lambda).toBe(0.2);
    expect(c.model.k).toBe(12);
    expect(c.formulas).toEqual({ "train.lambda": "sigma_r/5" });
  });
});
