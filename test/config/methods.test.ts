/**
 * Config of penalties, optimizers and asymmetric sensing: what they resolve to,
 * that the old spelling keeps its meaning, and the exact user-facing errors.
 */
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load.js";
import { resolveConfig } from "../../src/config/resolve.js";
import { planRuns } from "../../src/sweep/plan.js";
import { configErrorLines } from "../helpers.js";

const errorsOf = (text: string): string[] => configErrorLines(() => planRuns(parseConfigText(text, "c.yaml")));

describe("penalty and optimizer config", () => {
  it("defaults to the paper's smooth group Lasso and gradient descent", () => {
    const c = resolveConfig({}).config;
    expect(c.train.penalty).toEqual({ kind: "smooth-group-lasso" });
    expect(c.train.optimizer).toEqual({ kind: "gd" });
    expect(c.finetune.optimizer).toEqual({ kind: "gd" });
    expect([c.train.lambda, c.train.beta]).toEqual([0.1, 0.1]);
  });

  it("reads train.penalty.{lambda, beta} as train.lambda, train.beta (formulas too)", () => {
    const a = resolveConfig({ train: { penalty: { kind: "group-lasso", lambda: "sigma_r / 4", beta: 0.3 } } }).config;
    expect(a.train).toMatchObject({ lambda: 0.25, beta: 0.3, penalty: { kind: "group-lasso" } });
    expect(a.formulas).toEqual({ "train.lambda": "sigma_r / 4" });
    const b = resolveConfig({ train: { lambda: 0.25, beta: 0.3, penalty: { kind: "group-lasso" } } }).config;
    expect(b.train).toEqual(a.train);
  });

  it("fills an optimizer's own parameters only, with their defaults", () => {
    expect(resolveConfig({ train: { optimizer: { kind: "sgd" } } }).config.train.optimizer).toEqual({ kind: "sgd", batch_size: 100 });
    expect(resolveConfig({ finetune: { optimizer: { kind: "momentum", momentum: 0.5 } } }).config.finetune.optimizer).toEqual({ kind: "momentum", momentum: 0.5 });
  });

  it("drops a parameter of another optimizer with a warning (a sweep over kinds shares one block)", () => {
    const r = resolveConfig({ train: { optimizer: { kind: "momentum", batch_size: 10 } } });
    expect(r.config.train.optimizer).toEqual({ kind: "momentum", momentum: 0.9 });
    expect(r.warnings).toEqual(["train.optimizer.batch_size: not a parameter of optimizer momentum, ignored"]);
  });

  it("makes penalty none the unregularized baseline (λ = 0), whatever λ a shared block gives", () => {
    const r = resolveConfig({ train: { lambda: 0.2, penalty: { kind: "none" } } });
    expect(r.config.train.lambda).toBe(0);
    expect(r.warnings).toEqual([]);
  });

  it("round-trips its blocks: the resolved penalty, optimizers and problem read back as written config", () => {
    const c = resolveConfig({
      problem: { kind: "asymmetric-sensing", d: 6, d2: 4, r: 2 },
      train: { penalty: { kind: "weight-decay" }, optimizer: { kind: "sgd", batch_size: 10 } },
      finetune: { optimizer: { kind: "momentum" } },
    }).config;
    // (null perturb / relative_threshold are another feature's round trip)
    const written = { problem: c.problem, train: { ...c.train, perturb: undefined }, finetune: c.finetune };
    const again = resolveConfig(JSON.parse(JSON.stringify(written))).config;
    expect([again.problem, again.train, again.finetune]).toEqual([c.problem, c.train, c.finetune]);
  });

  it.each([
    ["lambda given twice", "train:\n  lambda: 0.1\n  penalty: { lambda: 0.2 }\n", "train.penalty.lambda: give train.lambda or train.penalty.lambda, not both"],
    ["unknown penalty", "train:\n  penalty: { kind: lasso }\n", 'train.penalty.kind: expected one of smooth-group-lasso, group-lasso, weight-decay, none, got "lasso"'],
    ["unknown optimizer", "finetune:\n  optimizer: { kind: adam }\n", 'finetune.optimizer.kind: expected one of gd, sgd, momentum, got "adam"'],
    ["momentum of 1", "train:\n  optimizer: { kind: momentum, momentum: 1 }\n", "train.optimizer.momentum: must be < 1, got 1"],
    ["sgd without samples", "problem: { kind: population }\ntrain:\n  optimizer: { kind: sgd }\n", "train.optimizer.kind: sgd needs training samples, and problem.kind population has none"],
    ["a batch larger than n", "problem: { n: 50 }\nfinetune:\n  optimizer: { kind: sgd, batch_size: 60 }\n", "finetune.optimizer.batch_size: must be ≤ problem.n (50), got 60"],
    ["r above d2", "problem: { kind: asymmetric-sensing, d: 10, d2: 2, r: 3 }\n", "problem.r: must be ≤ problem.d2 (2), got 3"],
  ])("reports %s", (_what, text, line) => {
    expect(errorsOf(text)).toEqual([line]);
  });

  it("warns that d2 and balance mean nothing for a symmetric model, and drops them", () => {
    const r = resolveConfig({ problem: { kind: "matrix-sensing", d2: 5 } });
    expect(r.config.problem.d2).toBeUndefined();
    expect(r.warnings).toEqual(["problem.d2: used only by problem.kind asymmetric-sensing, ignored for matrix-sensing"]);
  });

  it("sweeps the penalty and optimizer kinds like any key", () => {
    const plan = planRuns(parseConfigText("sweep:\n  train.penalty.kind: [group-lasso, none]\n  train.optimizer.kind: [gd, momentum]\n", "c.yaml"));
    expect(plan.runs.map((r) => `${r.config.train.penalty.kind}/${r.config.train.optimizer.kind}`)).toEqual([
      "group-lasso/gd", "group-lasso/momentum", "none/gd", "none/momentum",
    ]);
  });
});
