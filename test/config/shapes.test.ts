/**
 * A section or block of the wrong shape gets its one line, and only that line: the
 * resolver drops what is not a mapping before it reads further (no second message,
 * no crash), and the cross-field rules that need two numbers wait for both.
 */
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load.js";
import { planRuns } from "../../src/sweep/plan.js";
import { resolveConfig } from "../../src/config/resolve.js";
import { configErrorLines } from "../helpers.js";

const plan = (text: string) => planRuns(parseConfigText(text, "c.yaml"));
const errorsOf = (text: string) => configErrorLines(() => plan(text));

describe("sections and blocks that are not mappings", () => {
  it.each([
    ["problem: 5\n", "problem: expected a mapping, got 5"],
    ["model: [1]\n", "model: expected a mapping, got a list"],
    ["train: null\n", "train: expected a mapping, got null"],
    ["prune: x\n", 'prune: expected a mapping, got "x"'],
    ["finetune: 3\n", "finetune: expected a mapping, got 3"],
    ["log: true\n", "log: expected a mapping, got true"],
    ["train:\n  perturb: 5\n", "train.perturb: expected a mapping, got 5"],
    ["train:\n  perturb: [1]\n", "train.perturb: expected a mapping, got a list"],
    ["train:\n  perturb: null\n", "train.perturb: expected a mapping, got null"],
    ["train:\n  penalty: 5\n", "train.penalty: expected a mapping, got 5"],
    ["train:\n  penalty: null\n", "train.penalty: expected a mapping, got null"],
    ["train:\n  optimizer: [sgd]\n", "train.optimizer: expected a mapping, got a list"],
    ["finetune:\n  optimizer: null\n", "finetune.optimizer: expected a mapping, got null"],
    ["formulas: 5\n", "formulas: expected a mapping, got 5"],
    ["formulas: ab\n", 'formulas: expected a mapping, got "ab"'],
    ["formulas:\n  train.lambda: 5\n", "formulas.train.lambda: expected string, got 5"],
  ])("%j: one line", (text, line) => {
    expect(errorsOf(text)).toEqual([line]);
  });
});

describe("a whole config that is not a mapping (the resolver's own callers)", () => {
  it.each([[null, "null"], [[1], "a list"], ["x", '"x"']])("%j: one line, no crash", (written, got) => {
    expect(configErrorLines(() => resolveConfig(written))).toEqual([`(top level): expected a mapping, got ${got}`]);
  });
});

describe("cross-field rules wait for both numbers", () => {
  it("r against d2 and d, k against r: only when both are numbers", () => {
    expect(errorsOf("problem:\n  kind: asymmetric-sensing\n  d: 4\n  d2: 2\n  r: 3\n")).toEqual(["problem.r: must be ≤ problem.d2 (2), got 3"]);
    expect(errorsOf("problem:\n  kind: asymmetric-sensing\n  d: 4\n  d2: two\n  r: 3\n")).toEqual(['problem.d2: expected number, got "two"']);
    expect(errorsOf("problem:\n  d: four\n  r: 3\n")).toEqual(['problem.d: expected number, got "four"']);
    expect(errorsOf("model:\n  k: x\nproblem:\n  r: 2\n")).toEqual(['model.k: expected number, got "x"']);
    expect(plan("model:\n  k: 1\nproblem:\n  r: 2\n").warnings).toEqual(["model.k: 1 < problem.r (2): the model cannot fit the ground truth exactly"]);
    expect(plan("model:\n  k: 2\nproblem:\n  r: 2\n").warnings).toEqual([]);
  });

  it("an optimizer that needs samples: a model with samples, and a batch no larger than n", () => {
    expect(errorsOf("train:\n  optimizer: { kind: sgd, batch_size: 100000 }\n")).toEqual(["train.optimizer.batch_size: must be ≤ problem.n (2000), got 100000"]);
    expect(plan("train:\n  optimizer: { kind: sgd, batch_size: 2000 }\n").warnings).toEqual([]);
    expect(errorsOf("train:\n  optimizer: { kind: sgd }\nproblem:\n  kind: population\n")).toEqual([
      "train.optimizer.kind: sgd needs training samples, and problem.kind population has none",
    ]);
  });

  it("a parameter of another optimizer is dropped with a warning (a sweep over kinds shares one block)", () => {
    const p = plan("train:\n  optimizer: { kind: gd, momentum: 0.5, batch_size: 10 }\n");
    expect(p.warnings).toEqual([
      "train.optimizer.batch_size: not a parameter of optimizer gd, ignored",
      "train.optimizer.momentum: not a parameter of optimizer gd, ignored",
    ]);
    expect(p.runs[0].config.train.optimizer).toEqual({ kind: "gd" });
    expect(plan("train:\n  optimizer: { kind: momentum, momentum: 0.5 }\n").warnings).toEqual([]);
  });
});
