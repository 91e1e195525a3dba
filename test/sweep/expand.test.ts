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

describe("overrides that unset, replace alternatives and zipped groups", () => {
  const zip = { sweep: { zip: [{ "problem.n": [500, 2000], "train.steps": [20, 40] }] } };
  const written = (w: Record<string, unknown>, sets: string[], unsets: string[] = []) =>
    expandRuns(w, parseOverrides(sets, unsets)).plans.map((p) => p.written);

  it("unsets a key with --set KEY=null and with --unset KEY, a whole section too", () => {
    const base = { prune: { threshold: 0.2 }, train: { lambda: 0.1, perturb: { radius: 1 } } };
    expect(written(base, ["prune.threshold=null"])).toEqual([{ prune: {}, train: { lambda: 0.1, perturb: { radius: 1 } } }]);
    expect(written(base, [], ["train.perturb"])).toEqual([{ prune: { threshold: 0.2 }, train: { lambda: 0.1 } }]);
    expect(swept({ sweep: { seed: [1, 2] } }, ["seed=null"])).toEqual([{}]);
  });

  it("applies --unset before --set, so a section can be started afresh", () => {
    expect(written({ train: { perturb: { radius: 1, every: 5 } } }, ["train.perturb.radius=2"], ["train.perturb"])).toEqual([
      { train: { perturb: { radius: 2 } } },
    ]);
  });

  it("replaces the other prune rule when one is set", () => {
    expect(written({ prune: { threshold: 0.1 } }, ["prune.relative_threshold=0.1"])).toEqual([{ prune: { relative_threshold: 0.1 } }]);
    expect(written({ prune: { threshold: 0.1 } }, ["prune.relative_threshold=0.1,0.2"])).toEqual([
      { prune: { relative_threshold: 0.1 } }, { prune: { relative_threshold: 0.2 } },
    ]);
  });

  it("refuses to sweep two alternatives of the prune rule", () => {
    expect(() => written({}, ["prune.threshold=0.1,0.2", "prune.relative_threshold=0.1,0.2"])).toThrow(
      "sweep: prune.threshold and prune.relative_threshold are alternatives (one applies at a time); sweep one of them",
    );
  });

  it("overrides a zipped group key by key when every key is given", () => {
    expect(swept(zip, ["problem.n=100", "train.steps=10"])).toEqual([{}]);
    expect(written(zip, ["problem.n=100", "train.steps=10"])).toEqual([{ problem: { n: 100 }, train: { steps: 10 } }]);
    expect(swept(zip, ["problem.n=1,2,3", "train.steps=4,5,6"])).toEqual([
      { "problem.n": 1, "train.steps": 4 }, { "problem.n": 2, "train.steps": 5 }, { "problem.n": 3, "train.steps": 6 },
    ]);
  });

  it.each([
    [["problem.n=100"], "--set problem.n: zipped with train.steps in the sweep; give every key of the group (also train.steps) to override it"],
    [["problem.n=1,2,3", "train.steps=4,5"], "--set problem.n, train.steps: zipped keys need lists of one length (problem.n has 3, train.steps has 2)"],
  ])("refuses a partial or ragged zip override %j", (sets, message) => {
    expect(() => swept(zip, sets)).toThrow(message);
  });

  it.each([
    [["seed=1,null"], [], "--set seed: null cannot be one of several values; unset the key with --unset seed"],
    [[], ["train.lamda"], "--unset train.lamda: unknown key train.lamda (did you mean train.lambda?)"],
  ])("rejects %j --unset %j", (sets, unsets, message) => {
    expect(() => parseOverrides(sets, unsets)).toThrow(message);
  });
});
