/**
 * The rest of sweep expansion's contract: ranges (linear, log, integer, one value), the
 * errors of a sweep block (unknown and misspelt keys, zips, empty lists, a key swept
 * twice, the run limit, alternatives of the prune rule), --set and --unset parsing, and
 * the dotted paths a config may set.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, UsageError } from "../../src/errors.js";
import { expandRuns, parseOverrides, rangeValues, sweepAxes } from "../../src/sweep/expand.js";
import { cloneJson, setPath, settablePaths } from "../../src/sweep/paths.js";

/** The message lines of what `f` throws. */
function linesOf(f: () => unknown): string[] {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UsageError) return (err as ConfigError).lines;
    throw err;
  }
  throw new Error("did not throw");
}

describe("ranges", () => {
  it("space values evenly from `from` to `to`, both included", () => {
    expect(rangeValues({ from: 0, to: 1, num: 5 }, "x")).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(rangeValues({ from: 2, to: -2, num: 3, scale: "linear" }, "x")).toEqual([2, 0, -2]);
  });

  it("space log ranges by equal ratios", () => {
    expect(rangeValues({ from: 1, to: 1000, num: 4, scale: "log" }, "x")).toEqual([1, 10, 100, 1000]);
  });

  it("round integer ranges to whole numbers", () => {
    expect(rangeValues({ from: 1, to: 10, num: 4, integer: true }, "x")).toEqual([1, 4, 7, 10]);
    expect(rangeValues({ from: 1, to: 100, num: 3, scale: "log", integer: true }, "x")).toEqual([1, 10, 100]);
    expect(rangeValues({ from: 0, to: 1, num: 3, integer: false }, "x")).toEqual([0, 0.5, 1]);
  });

  it("refuse a log range through zero or below, naming the key", () => {
    expect(linesOf(() => rangeValues({ from: 0, to: 1, num: 3, scale: "log" }, "sweep.train.lambda"))).toEqual([
      "sweep.train.lambda: a log range needs from > 0 and to > 0, got from 0, to 1",
    ]);
    expect(linesOf(() => rangeValues({ from: 1, to: -1, num: 3, scale: "log" }, "w"))).toEqual(["w: a log range needs from > 0 and to > 0, got from 1, to -1"]);
    // a linear range through zero is fine
    expect(rangeValues({ from: -1, to: 1, num: 3 }, "x")).toEqual([-1, 0, 1]);
  });

  it("refuse more values than the run limit before making any, and accept exactly the limit", () => {
    expect(linesOf(() => rangeValues({ from: 1, to: 2, num: 11 }, "sweep.seed", 10))).toEqual([
      "sweep.seed: num 11 is over the limit of 10 runs per sweep (--max-runs)",
    ]);
    expect(rangeValues({ from: 1, to: 10, num: 10, integer: true }, "sweep.seed", 10)).toHaveLength(10);
  });
});

describe("errors of a sweep block", () => {
  it("name an unknown key with a suggestion, and refuse sweeping the name", () => {
    expect(linesOf(() => sweepAxes({ "train.lamda": [1], "model.kk": [2], name: ["a"] }))).toEqual([
      "sweep.train.lamda: unknown key train.lamda (did you mean train.lambda?)",
      "sweep.model.kk: unknown key model.kk (did you mean model.k?)",
      "sweep.name: name cannot be swept (it names the output folder)",
    ]);
    expect(linesOf(() => sweepAxes({ "zzzzzzzz.qqqqqq": [1] }))).toEqual(["sweep.zzzzzzzz.qqqqqq: unknown key zzzzzzzz.qqqqqq"]);
  });

  it("collect every problem of a zip: not a list, a group that is not a mapping, unequal lengths, unknown keys", () => {
    expect(linesOf(() => sweepAxes({ zip: { seed: [1] } }))).toEqual([
      "sweep.zip: expected a list of groups, e.g. zip: [{ problem.n: [500, 2000], train.steps: [2000, 4000] }]",
    ]);
    expect(linesOf(() => sweepAxes({ zip: [[1, 2], null, 3, { seed: [1, 2], "model.k": [3] }, { "train.lamda": [1] }] }))).toEqual([
      "sweep.zip[0]: expected a mapping of key → list, got a list",
      "sweep.zip[1]: expected a mapping of key → list, got null",
      "sweep.zip[2]: expected a mapping of key → list, got 3",
      "sweep.zip[3]: lists must have equal lengths (seed has 2, model.k has 1)",
      "sweep.zip[4].train.lamda: unknown key train.lamda (did you mean train.lambda?)",
    ]);
  });

  it("let an empty zip group add no axis", () => {
    expect(sweepAxes({ zip: [{}], seed: [1, 2] })).toEqual([{ keys: ["seed"], values: [[1], [2]] }]);
  });

  it("refuse a key swept twice, in a list and in a zip", () => {
    expect(linesOf(() => sweepAxes({ seed: [1, 2], zip: [{ seed: [3, 4], "model.k": [5, 6] }] }))).toEqual(["sweep.seed: swept twice"]);
  });

  it("refuse an empty list, and report a bad range with the other errors", () => {
    expect(linesOf(() => sweepAxes({ seed: [], "train.lambda": { from: 0, to: 1, num: 2, scale: "log" } }))).toEqual([
      "sweep.seed: the list is empty (give at least one value, or remove the key)",
      "sweep.train.lambda: a log range needs from > 0 and to > 0, got from 0, to 1",
    ]);
  });

  it("refuse a product over the run limit, naming every axis's size, and accept exactly the limit", () => {
    const written = { sweep: { seed: [1, 2, 3], zip: [{ "problem.n": [10, 20], "train.steps": [1, 2] }] } };
    expect(linesOf(() => expandRuns(written, [], 5))).toEqual([
      "sweep: 6 runs (seed: 3 × problem.n+train.steps: 2) is over the limit of 5 runs (--max-runs)",
    ]);
    expect(expandRuns(written, [], 6).plans).toHaveLength(6);
  });

  it("refuse sweeping two alternatives of the prune rule from the sweep block itself", () => {
    expect(linesOf(() => expandRuns({ sweep: { "prune.threshold": [0.1, 0.2], "prune.keep": [1, 2] } }, []))).toEqual([
      "sweep: prune.threshold and prune.keep are alternatives (one applies at a time); sweep one of them",
    ]);
  });
});

describe("expansion", () => {
  it("numbers the runs 0, 1, … in order, each with its own copy of the base config", () => {
    const { plans, sweptKeys } = expandRuns({ train: { beta: 0.5 }, sweep: { seed: [1, 2, 3] } }, []);
    expect(plans.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(sweptKeys).toEqual(["seed"]);
    (plans[0].written.train as Record<string, unknown>).beta = 9;
    expect(plans[1].written).toEqual({ train: { beta: 0.5 }, seed: 2 });
  });

  it("does not change the written config it expands", () => {
    const written = { train: { lambda: 0.1 }, sweep: { seed: [1, 2] } };
    const copy = cloneJson(written);
    expandRuns(written, parseOverrides(["train.lambda=0.2"]));
    expect(written).toEqual(copy);
  });

  it("lists the swept keys in column order, zipped keys together", () => {
    expect(expandRuns({ sweep: { "model.k": [1, 2], zip: [{ "problem.n": [1, 2], "train.steps": [3, 4] }] } }, []).sweptKeys).toEqual([
      "model.k", "problem.n", "train.steps",
    ]);
  });

  it("sweeps one prune rule over a config that gives another", () => {
    const { plans } = expandRuns({ prune: { threshold: 0.1 }, sweep: { "prune.keep": [1, 2] } }, []);
    expect(plans.map((p) => p.written.prune)).toEqual([{ keep: 1 }, { keep: 2 }]);
  });

  it("sets a prune rule where the config has no prune mapping, or a non-mapping one", () => {
    expect(expandRuns({}, parseOverrides(["prune.keep=2"])).plans[0].written).toEqual({ prune: { keep: 2 } });
    expect(expandRuns({ prune: 3 }, parseOverrides(["prune.keep=2"])).plans[0].written).toEqual({ prune: { keep: 2 } });
  });

  it("unsets a whole section and the axes inside it", () => {
    const written = { train: { perturb: { radius: 1 } }, sweep: { "train.perturb.every": [1, 2], seed: [1, 2] } };
    const out = expandRuns(written, parseOverrides([], ["train.perturb"]));
    expect(out.sweptKeys).toEqual(["seed"]);
    expect(out.plans[0].written).toEqual({ train: {}, seed: 1 });
  });

  it("unsets a top-level key", () => {
    expect(expandRuns({ seed: 3, train: { steps: 4 } }, parseOverrides(["seed=null"])).plans[0].written).toEqual({ train: { steps: 4 } });
  });

  it("drops a zipped group unset key by key", () => {
    const zip = { sweep: { zip: [{ "problem.n": [500, 2000], "train.steps": [20, 40] }] } };
    const out = expandRuns(zip, parseOverrides([], ["problem.n", "train.steps"]));
    expect(out.plans.map((p) => p.swept)).toEqual([{}]);
  });

  it("overrides a zipped group with an unset section holding one key and a value for the other", () => {
    const zip = { sweep: { zip: [{ "train.perturb.every": [5, 6], seed: [1, 2] }] } };
    expect(expandRuns(zip, parseOverrides(["seed=3"], ["train.perturb"])).plans.map((p) => p.written)).toEqual([{ seed: 3 }]);
  });

  it("adds an axis for a list on a key that is not swept, after the existing axes", () => {
    expect(expandRuns({ sweep: { seed: [1, 2] } }, parseOverrides(["model.k=3,4"])).sweptKeys).toEqual(["seed", "model.k"]);
  });
});

describe("--set and --unset", () => {
  it("read values as YAML scalars: numbers, booleans, text kept as typed", () => {
    expect(parseOverrides(["seed=1e3", "train.lambda=0x10", "log.every= 5 ", "problem.kind=population", "seed=true,off"])).toEqual([
      { key: "seed", values: [1000] },
      { key: "train.lambda", values: [16] },
      { key: "log.every", values: [5] },
      { key: "problem.kind", values: ["population"] },
      { key: "seed", values: [true, "off"] },
    ]);
  });

  it("keep text YAML cannot read as it was typed, for the field's check to refuse", () => {
    expect(parseOverrides(["problem.kind=<<: *a"])).toEqual([{ key: "problem.kind", values: ["<<: *a"] }]);
    expect(parseOverrides(["train.beta=[1, 2]"])).toEqual([{ key: "train.beta", values: ["[1, 2]"] }]);
  });

  it("split lists on top-level commas only", () => {
    expect(parseOverrides(["train.beta=max(1, 2),min([3, 4])"])).toEqual([{ key: "train.beta", values: ["max(1, 2)", "min([3, 4])"] }]);
  });

  it("unset sections and leaves with KEY=null, and put --unset first", () => {
    expect(parseOverrides(["train.perturb=null", "seed=2"], ["prune"])).toEqual([
      { key: "prune", values: [], unset: true },
      { key: "train.perturb", values: [], unset: true },
      { key: "seed", values: [2] },
    ]);
  });

  it("collect every error at once", () => {
    expect(linesOf(() => parseOverrides(["=1", "seed=", "train.perturbb=null", "model.k=1,,2", "seed=.inf"], ["trian"]))).toEqual([
      "--set =1: expected KEY=VALUE, e.g. --set train.lambda=0.1",
      '--set seed: empty value in ""',
      // suggestions come from the settable leaves, so a misspelt section gets none
      "--set train.perturbb: unknown key train.perturbb",
      '--set model.k: empty value in "1,,2"',
      "--set seed: .inf is not a finite number",
      "--unset trian: unknown key trian",
    ]);
  });

  it("refuse a section name as a value's key", () => {
    expect(linesOf(() => parseOverrides(["train.perturb=1"]))[0]).toMatch(/^--set train\.perturb: unknown key train\.perturb/);
  });
});

describe("settable paths", () => {
  const paths = settablePaths();

  it("list every leaf of the config, not sweep, name or $schema", () => {
    for (const p of ["seed", "problem.kind", "problem.d", "model.k", "train.lambda", "train.perturb.radius", "prune.threshold", "log.every"]) {
      expect(paths).toContain(p);
    }
    for (const p of ["sweep", "name", "$schema", "train", "train.perturb"]) expect(paths).not.toContain(p);
  });

  it("are set in a plain object, creating or replacing what stands in the way", () => {
    const obj: Record<string, unknown> = { train: 3, model: [1], problem: null, log: { every: 1, other: 2 } };
    setPath(obj, "train.perturb.radius", 1);
    setPath(obj, "model.k", 2);
    setPath(obj, "problem.d", 4);
    setPath(obj, "log.every", 5);
    setPath(obj, "seed", 6);
    expect(obj).toEqual({ train: { perturb: { radius: 1 } }, model: { k: 2 }, problem: { d: 4 }, log: { every: 5, other: 2 }, seed: 6 });
  });

  it("copy JSON-like values deeply, undefined as undefined", () => {
    const value = { a: [1, { b: 2 }] };
    const copy = cloneJson(value);
    expect(copy).toEqual(value);
    expect(copy.a).not.toBe(value.a);
    expect(cloneJson(undefined)).toBeUndefined();
  });
});
