/**
 * The line each kind of schema problem becomes: values described as typed (long
 * strings cut at 200 characters), hyperparameters that are neither a number nor a
 * formula, a sweep range with a bad field inside, empty sweep lists, and unknown
 * keys at any depth with the likely key, at most 20 of them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load.js";
import { configJsonSchema } from "../../src/config/schema.js";
import { MAX_UNKNOWN_KEYS } from "../../src/config/issues.js";
import { planRuns } from "../../src/sweep/plan.js";
import { configErrorLines } from "../helpers.js";

const errorsOf = (text: string) => configErrorLines(() => planRuns(parseConfigText(text, "c.yaml")));

describe("one line per schema problem", () => {
  it.each([
    ["train:\n  lambda: [1, 2]\n", "train.lambda: expected a number or a formula string, got a list"],
    ["train:\n  lambda: null\n", "train.lambda: expected a number or a formula string, got null"],
    ["train:\n  lambda: {a: 1}\n", "train.lambda: expected a number or a formula string, got a mapping"],
    ["train:\n  lambda: -1\n", "train.lambda: must be ≥ 0, got -1"],
    ["train:\n  lambda: .inf\n", "train.lambda: expected a finite number, got Infinity"],
    ["sweep:\n  train.lambda: { from: 0.1, num: 3 }\n", "sweep.train.lambda.to: required"],
    ["sweep:\n  train.lambda: { from: 1, to: 2, num: 0 }\n", "sweep.train.lambda.num: must be ≥ 2, got 0"],
    ["sweep:\n  train.lambda: true\n", "sweep.train.lambda: expected a number or a formula string, got true"],
    ["sweep:\n  seed: []\n", "sweep.seed: the list is empty (give at least one value, or remove the key)"],
    [`problem:\n  kind: ${"x".repeat(250)}\n`, `problem.kind: expected one of population, matrix-sensing, quadratic-net, asymmetric-sensing, got "${"x".repeat(200)}…"`],
    [`name: ${"n".repeat(200)}x\n`, `name: must be at most 200 characters, got "${"n".repeat(200)}…"`],
    ["log:\n  evry: 5\n", "log.evry: unknown key (did you mean every?)"],
    ["train:\n  perturb:\n    radus: 1\n", "train.perturb.radus: unknown key (did you mean radius?)"],
    ["train:\n  optimizer:\n    kind: sgd\n    batchsize: 3\n", "train.optimizer.batchsize: unknown key (did you mean batch_size?)"],
  ])("%j", (text, line) => {
    expect(errorsOf(text)).toEqual([line]);
  });

  it("a string of exactly 200 characters is shown whole", () => {
    expect(errorsOf(`problem:\n  kind: ${"x".repeat(200)}\n`)).toEqual([
      `problem.kind: expected one of population, matrix-sensing, quadratic-net, asymmetric-sensing, got "${"x".repeat(200)}"`,
    ]);
  });

  it(`names at most ${MAX_UNKNOWN_KEYS} unknown keys, then how many more`, () => {
    const keys = (count: number) => Array.from({ length: count }, (_, i) => `  zz${i}: 1\n`).join("");
    const at = errorsOf(`log:\n${keys(MAX_UNKNOWN_KEYS)}`);
    expect(at).toHaveLength(MAX_UNKNOWN_KEYS);
    expect(at[0]).toBe("log.zz0: unknown key (expected one of every)");
    const over = errorsOf(`log:\n${keys(MAX_UNKNOWN_KEYS + 5)}`);
    expect(over).toHaveLength(MAX_UNKNOWN_KEYS + 1);
    expect(over.at(-1)).toBe("log: … and 5 more unknown keys");
  });
});

describe("the JSON Schema", () => {
  it("is what the committed prune-sense.schema.json holds (regenerate it with `prune-sense schema`)", () => {
    const committed = JSON.parse(readFileSync(new URL("../../prune-sense.schema.json", import.meta.url), "utf8"));
    expect(configJsonSchema()).toEqual(committed);
    expect(committed.title).toBe("prune-sense config");
    expect(Object.keys(committed.properties)).toEqual(expect.arrayContaining(["problem", "model", "train", "prune", "finetune", "log", "sweep"]));
  });
});
