import { describe, expect, it } from "vitest";
import { expandRuns, parseOverrides, rangeValues } from "../../src/sweep/expand.js";
import { UsageError } from "../../src/errors.js";

const swept = (written: Record<string, unknown>, sets: string[] = []) =>
  expandRuns(written, parseOverrides(sets)).plans.map((p) => p.swept);

describe("sweep expansion", () => {
  it.each([
    ["no sweep: one run", {}, [], [{}]],
    ["a grid, first key slowest", { sweep: { "model.k": [10, 20], seed: [1, 2] } }, [],
      [{ "model.k": 10, seed: 1 }, { "model.k": 10, seed: 2 }, { "model.k": 20, seed: 1 }, { "model.k": 20, seed: 2 }]],
    ["a zipped group", { sweep: { zip: [{ "problem.n": [100, 200], "train.steps": [5, 6] }] } }, [],
      [{ "problem.n": 100, "train.steps": 5 }, { "problem.n": 200, "train.steps": 6 }]],
    ["a zip crossed with a list", { sweep: { seed: [1, 2], zip: [{ "problem.n": [100, 200], "train.steps": [5, 6] }] } }, [],
      [{ seed: 1, "problem.n": 100, "train.steps": 5 }, { seed: 1, "problem.n": 200, "train.steps": 6 },
       { seed: 2, "problem.n": 100, "train.steps": 5 }, { seed: 2, "problem.n": 200, "train.steps": 6 }]],
    ["a log range", { sweep: { "train.lambda": { from: 0.001, to: 0.1, num: 3, scale: "log" } } }, [],
      [{ "train.lambda": 0.001 }, { "train.lambda": 0.01 }, { "train.lambda": 0.1 }]],
    ["an integer linear range", { sweep: { "model.k": { from: 10, to: 20, num: 3, integer: true } } }, [],
      [{ "model.k": 10 }, { "model.k": 15 }, { "model.k": 20 }]],
    ["--set with a list adds an axis", {}, ["train.lambda=0,0.01"], [{ "train.lambda": 0 }, { "train.lambda": 0.01 }]],
    ["--set with a list replaces the same axis", { sweep: { seed: [1, 2, 3] } }, ["seed=7,8"], [{ seed: 7 }, { seed: 8 }]],
    ["--set with one value removes the axis", { sweep: { seed: [1, 2, 3] } }, ["seed=7"], [{}]],
    ["--set keeps a formula with commas whole", {}, ["train.beta=max(0.1, 0.2)"], [{}]],
  ])("%s", (_what, written, sets, expected) => {
    expect(swept(written as Record<string, unknown>, sets as string[])).toEqual(expected);
  });

  it("writes swept values into each run's config", () => {
    const { plans } = expandRuns({ train: { beta: 0.5 }, sweep: { "train.lambda": [0, 1] } }, []);
    expect(plans[1].written).toEqual({ train: { beta: 0.5, lambda: 1 } });
  });

  it("applies single-valued --set to the base config, parsed as YAML scalars", () => {
    const { plans } = expandRuns({}, parseOverrides(["train.beta=1e-3", "train.lambda=0.5*sigma_r", "problem.kind=population"]));
    expect(plans[0].written).toEqual({ train: { beta: 0.001, lambda: "0.5*sigma_r" }, problem: { kind: "population" } });
  });

  it("rounds ranges to 12 significant digits", () => {
    expect(rangeValues({ from: 0.1, to: 0.3, num: 3 }, "x")).toEqual([0.1, 0.2, 0.3]);
  });

  it.each([
    ["train.lamda=1", "--set train.lamda: unknown key train.lamda (did you mean train.lambda?)"],
    ["lambda", "--set lambda: expected KEY=VALUE, e.g. --set train.lambda=0.1"],
    ["seed=1,,2", '--set seed: empty value in "1,,2"'],
    ["name=x", "--set name: name cannot be swept (it names the output folder)"],
  ])("rejects --set %s", (arg, message) => {
    expect(() => parseOverrides([arg])).toThrow(UsageError);
    expect(() => parseOverrides([arg])).toThrow(message);
  });
});
