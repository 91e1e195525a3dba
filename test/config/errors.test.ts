/**
 * Every config error reaches the user as one line naming the dotted path, all
 * of them at once. These are the exact user-facing messages.
 */
import { describe, expect, it } from "vitest";
import { loadConfigFile, parseConfigText } from "../../src/config/load.js";
import { planRuns } from "../../src/sweep/plan.js";
import { configErrorLines } from "../helpers.js";

const errorsOf = configErrorLines;

const plan = (text: string) => errorsOf(() => planRuns(parseConfigText(text, "c.yaml")));

describe("config errors", () => {
  it.each([
    ["unknown key with a likely typo", "train:\n  lamda: 0.1\n", "train.lamda: unknown key (did you mean lambda?)"],
    ["unknown top-level key", "extra: 1\n", "extra: unknown key (expected one of name, seed, problem, model, train, prune, finetune, log, sweep, formulas, plugins, plugin_hashes)"],
    ["wrong type", "problem:\n  d: twenty\n", 'problem.d: expected number, got "twenty"'],
    ["negative step size", "train:\n  step_size: -0.05\n", "train.step_size: must be > 0, got -0.05"],
    ["non-integer count", "model:\n  k: 2.5\n", "model.k: must be an integer, got 2.5"],
    ["unknown solver", "problem:\n  kind: sensing\n", 'problem.kind: expected one of population, matrix-sensing, quadratic-net, asymmetric-sensing, got "sensing"'],
    ["boolean where a number goes", "train:\n  beta: true\n", "train.beta: expected a number or a formula string, got true"],
    ["fraction above one", "prune:\n  relative_threshold: 2\n", "prune.relative_threshold: must be ≤ 1, got 2"],
    ["both thresholds", "prune:\n  threshold: 0.1\n  relative_threshold: 0.1\n", "prune: give one rule of threshold, relative_threshold, keep, gap, got threshold and relative_threshold"],
    ["rank above dimension", "problem:\n  d: 4\n  r: 5\n", "problem.r: must be ≤ problem.d (4), got 5"],
    ["formula that does not parse", 'train:\n  lambda: "0.5 * sigma_r^"\n', 'train.lambda: formula "0.5 * sigma_r^" does not parse: Unexpected end of expression (char 15)'],
    ["formula with an unknown name", 'train:\n  lambda: "0.1 * foo"\n', 'train.lambda: formula "0.1 * foo" uses unknown name foo (known: d, r, k, n, n_test, noise, kappa, sigma_1, sigma_r, n_ratio, curvature)'],
    ["formula out of range", 'finetune:\n  step_size: "-sigma_r"\n', 'finetune.step_size: must be > 0, got -1 (from formula "-sigma_r")'],
    ["formula giving a non-integer count", 'train:\n  steps: "d / 3"\n', 'train.steps: must be an integer, got 6.666666666666667 (from formula "d / 3")'],
    ["sweep over an unknown key", "sweep:\n  train.lamda: [0, 1]\n", "sweep.train.lamda: unknown key train.lamda (did you mean train.lambda?)"],
    ["zip of unequal lists", "sweep:\n  zip:\n    - { problem.n: [1, 2], seed: [1] }\n", "sweep.zip[0]: lists must have equal lengths (problem.n has 2, seed has 1)"],
    ["log range through zero", "sweep:\n  train.lambda: { from: 0, to: 1, num: 3, scale: log }\n", "sweep.train.lambda: a log range needs from > 0 and to > 0, got from 0, to 1"],
  ])("reports %s", (_what, text, line) => {
    expect(plan(text)).toEqual([line]);
  });

  it("reports every problem of a file at once, shape and formulas together", () => {
    const lines = plan('seed: -1\nmodel:\n  k: 2.5\ntrain:\n  lambda: "1 +"\n  step_size: -1\nlog:\n  every: 0\n');
    expect(lines).toEqual([
      "seed: must be ≥ 0, got -1",
      "model.k: must be an integer, got 2.5",
      "train.step_size: must be > 0, got -1",
      "log.every: must be > 0, got 0",
      'train.lambda: formula "1 +" does not parse: Unexpected end of expression (char 4)',
    ]);
  });

  it("names the run when a formula fails only for some runs of a sweep", () => {
    const lines = plan('train:\n  steps: "k / 4"\nsweep:\n  model.k: [40, 42]\n');
    expect(lines).toEqual(['train.steps: must be an integer, got 10.5 (from formula "k / 4") (in run model.k=42)']);
  });

  it("reports a missing file, a folder and bad YAML with their place", () => {
    expect(errorsOf(() => loadConfigFile("/nonexistent/c.yaml"))).toEqual(["/nonexistent/c.yaml: no such file"]);
    expect(errorsOf(() => loadConfigFile("test"))).toEqual(["test: is a directory, expected a YAML or JSON file"]);
    expect(errorsOf(() => parseConfigText("a: [1,\n", "c.yaml"))).toEqual([
      "c.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
    expect(errorsOf(() => parseConfigText("- 1\n", "c.yaml"))).toEqual(["c.yaml: expected a mapping of config keys at the top level"]);
    expect(errorsOf(() => parseConfigText("", "c.yaml"))).toEqual(["c.yaml: the file is empty"]);
  });
});

describe("formulas", () => {
  it("resolve hyperparameters from the problem's quantities and are recorded", () => {
    const { runs } = planRuns(parseConfigText('problem: { kappa: 2, r: 3 }\ntrain:\n  lambda: "0.5 * sigma_r^3"\n  steps: "100 * d"\n', "c.yaml"));
    const cfg = runs[0].config;
    expect(cfg.train.lambda).toBe(0.5 * 0.5 ** 3);
    expect(cfg.train.steps).toBe(2000);
    expect(cfg.formulas).toEqual({ "train.lambda": "0.5 * sigma_r^3", "train.steps": "100 * d" });
  });
});
