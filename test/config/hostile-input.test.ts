/**
 * Hostile and oversized input is refused up front, in one line each, fast:
 * formulas that would allocate or recurse, files that are not config text,
 * YAML bombs, floods of unknown keys, escape sequences, and runs or sweeps
 * beyond the limits. In-process here; test/faults/hostile-cli.test.ts drives the binary.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, printable, UsageError } from "../../src/errors.js";
import { evaluateFormula, MAX_FORMULA_LENGTH } from "../../src/config/formulas.js";
import { loadConfigFile, MAX_CONFIG_BYTES, parseConfigText, parseJsonConfigText } from "../../src/config/load.js";
import { parseOverrides } from "../../src/sweep/expand.js";
import { DEFAULT_MAX_RUNS, estimateRunMemory, jobsWithinMemory, limitsFromOptions, MAX_STEPS, MAX_TRACE_ROWS, parseByteSize } from "../../src/sweep/limits.js";
import { planRuns } from "../../src/sweep/plan.js";

const dir = mkdtempSync(join(tmpdir(), "prune-sense-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UsageError) return err.lines;
    throw err;
  }
  throw new Error("expected a user error");
}

const LIMITS = { maxMemory: 8 * 1024 ** 3, maxRuns: DEFAULT_MAX_RUNS };
const plan = (text: string, sets: string[] = [], limits = LIMITS) => errorsOf(() => planRuns(parseConfigText(text, "c.yaml"), parseOverrides(sets), limits));
const SCOPE = { d: 20, r: 3, k: 40, n: 2000, n_test: 1000, noise: 0, kappa: 1, sigma_1: 1, sigma_r: 1 };

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("formulas are arithmetic only", () => {
  it.each([
    ["sum(1:1e9)", /uses the function sum and a range \(a:b\): not allowed/],
    ["sum(zeros(30000, 30000))", /uses the function sum and the function zeros: not allowed/],
    ["[1, 2]", /a matrix or list: not allowed/],
    ['"abc"', /a string: not allowed/],
    ["a = 1", /an assignment: not allowed/],
    ["f(x) = x", /a function definition: not allowed/],
    ["d[1]", /indexing: not allowed/],
    ["d > 1 ? 1 : 2", /not allowed/],
    ["3!", /the operator !: not allowed/],
    ["evaluate(\"1\")", /the function evaluate and a string: not allowed/],
    ["5 cm", /uses unknown name cm/],
    ["1; 2", /several expressions: not allowed/],
    ["(".repeat(60) + "1" + ")".repeat(60), /nests parentheses deeper than 50 levels/],
  ])("refuses %j in one line", (text, message) => {
    const r = evaluateFormula(text, SCOPE);
    expect("error" in r && r.error).toMatch(message);
  });

  it("refuses a 100k-term sum by its length, without parsing it", () => {
    const text = Array.from({ length: 100_000 }, () => "1").join("+");
    const t = Date.now();
    const r = evaluateFormula(text, SCOPE);
    expect(Date.now() - t).toBeLessThan(1000);
    expect("error" in r && r.error).toBe(`formula of ${text.length} characters is longer than the limit of ${MAX_FORMULA_LENGTH} ("1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+…")`);
  });

  it("evaluates the whitelisted scalar functions", () => {
    expect(evaluateFormula("ceil(200 * kappa * log(d))", SCOPE)).toEqual({ value: Math.ceil(200 * Math.log(20)) });
    expect(evaluateFormula("max(1, min(d, k)) + sqrt(abs(-4)) + pow(2, 3) - floor(2.5) + round(log10(100)) + 7 mod 4 - -1", SCOPE)).toEqual({ value: 20 + 2 + 8 - 2 + 2 + 3 + 1 });
    expect(evaluateFormula("log(8, 2) + log2(8) + exp(0) + 2^-1", SCOPE)).toEqual({ value: 3 + 3 + 1 + 0.5 });
  });

  it("names the field in the config error", () => {
    expect(plan('train:\n  steps: "sum(1:1e9)"\n')).toEqual([expect.stringMatching(/^train\.steps: formula "sum\(1:1e9\)" uses the function sum and a range/)]);
  });
});

describe("files are checked before they are parsed", () => {
  it.skipIf(!existsSync("/dev/zero"))("refuses /dev/zero without reading it", () => {
    expect(errorsOf(() => loadConfigFile("/dev/zero"))).toEqual(["/dev/zero: is a character device, expected a YAML or JSON file"]);
  });

  it("refuses a FIFO without opening it (which would block)", () => {
    const fifo = join(dir, "fifo.yaml");
    try {
      execFileSync("mkfifo", [fifo]);
    } catch {
      return; // no mkfifo here
    }
    expect(errorsOf(() => loadConfigFile(fifo))).toEqual([`${fifo}: is a FIFO (named pipe), expected a YAML or JSON file`]);
  });

  it("refuses a file over the size limit", () => {
    const big = file("big.yaml", `# ${"x".repeat(MAX_CONFIG_BYTES)}\n`);
    expect(errorsOf(() => loadConfigFile(big))).toEqual([`${big}: 1.0 MB is over the 1.0 MB limit for a config file`]);
  });

  it("refuses binary content in one line: NUL bytes, invalid UTF-8", () => {
    const elf = file("elf.yaml", Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4000, 0x90)]));
    expect(errorsOf(() => loadConfigFile(elf))).toEqual([`${elf}: binary content (a NUL byte at byte 7), expected a YAML or JSON text file`]);
    const latin1 = file("latin1.yaml", Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0xff, 0x0a]));
    expect(errorsOf(() => loadConfigFile(latin1))).toEqual([`${latin1}: not UTF-8 text (binary content?), expected a YAML or JSON text file`]);
  });

  it("parses a .json file as strict JSON, with line:column", () => {
    const trailing = file("trailing.json", '{\n  "name": "x",\n}\n');
    expect(errorsOf(() => loadConfigFile(trailing))).toEqual([`${trailing}:3:1: invalid JSON: Expected double-quoted property name`]);
    const unquoted = file("unquoted.json", "{name: \"x\"}");
    expect(errorsOf(() => loadConfigFile(unquoted))).toEqual([`${unquoted}:1:2: invalid JSON: Expected property name or '}'`]);
    expect(loadConfigFile(file("ok.json", '{"name": "x", "model": {"k": 8}}'))).toEqual({ name: "x", model: { k: 8 } });
    expect(errorsOf(() => parseJsonConfigText("", "e.json"))).toEqual(["e.json: invalid JSON: unexpected end of the file"]);
  });

  it("refuses a YAML alias bomb in one line", () => {
    let text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]\n`;
    expect(errorsOf(() => parseConfigText(text, "bomb.yaml"))).toEqual([
      "bomb.yaml: too many YAML aliases (more than 100 expansions; an alias bomb?)",
    ]);
  });

  it("refuses deep nesting in one line, before a parser recurses", () => {
    const deep = `a: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`;
    expect(errorsOf(() => parseConfigText(deep, "deep.yaml"))).toEqual(["deep.yaml:1:36: nesting deeper than 32 levels"]);
    expect(errorsOf(() => parseJsonConfigText(`{"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`, "deep.json"))).toEqual(["deep.json:1:38: nesting deeper than 32 levels"]);
  });

  it("checks 100k unknown keys in linear time and names the first 20", () => {
    // JSON here (its parser is fast), so the time measured is the checking; YAML below
    const text = `{${Array.from({ length: 100_000 }, (_, i) => `"k${i}": 1`).join(", ")}}`;
    const t = Date.now();
    const lines = errorsOf(() => planRuns(parseJsonConfigText(text, "c.json"), [], LIMITS));
    const ms = Date.now() - t;
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe("k0: unknown key (expected one of name, seed, problem, model, train, prune, finetune, log, sweep, formulas, plugins, plugin_hashes)");
    expect(lines[20]).toBe("(top level): … and 99980 more unknown keys");
    expect(ms).toBeLessThan(10_000); // ~0.5 s on an idle core; was over a minute (quadratic)
  }, 30_000);

  it("parses many YAML keys without the yaml package's quadratic duplicate check", () => {
    const keys = (n: number) => `train:\n${Array.from({ length: n }, (_, i) => `  k${i}: 1\n`).join("")}`;
    plan(keys(1000)); // warm up
    let t = Date.now();
    plan(keys(2000));
    const small = Date.now() - t;
    t = Date.now();
    const lines = plan(keys(20_000));
    const large = Date.now() - t;
    expect(lines.at(-1)).toBe("train: … and 19980 more unknown keys");
    expect(large).toBeLessThan(Math.max(30 * small, 3000)); // 10× the keys: ~10× the time, not 100×
  }, 60_000);

  it("reports unresolved tags as errors naming the tag and its key, not as process warnings", () => {
    const rest = "is not supported (a config holds only mappings, lists, text, numbers, true/false and null)";
    expect(errorsOf(() => parseConfigText("seed: !!js/function 1\nmodel: {k: !foo 8}\n", "c.yaml"))).toEqual([
      `c.yaml:1:7: seed: the YAML tag !!js/function ${rest}`,
      `c.yaml:2:12: model.k: the YAML tag !foo ${rest}`,
    ]);
    expect(errorsOf(() => planRuns({}, parseOverrides(["seed=!!js/function 1"]), LIMITS))).toEqual(['seed: expected number, got "!!js/function 1"']);
  });

  it("reports duplicate keys (checked linearly)", () => {
    expect(errorsOf(() => parseConfigText("seed: 1\nseed: 2\n", "c.yaml"))).toEqual(["c.yaml:2:1: seed: repeated key (first at line 1)"]);
  });

  it("escapes control characters in keys", () => {
    const lines = plan('"\\e]0;pwned\\a\\e[2J": 1\n');
    expect(lines).toEqual(["\\x1b]0;pwned\\x07\\x1b[2J: unknown key (expected one of name, seed, problem, model, train, prune, finetune, log, sweep, formulas, plugins, plugin_hashes)"]);
    expect(printable("ok\u202eevil\u0000")).toBe("ok\\u202eevil\\x00");
  });

  it.each([
    ['".."', 'name: must contain a letter or digit ("." and ".." are not folder names), got ".."'],
    ['"."', 'name: must contain a letter or digit ("." and ".." are not folder names), got "."'],
    ['"a/b"', "name: must be letters, digits, '.', '_' or '-', got \"a/b\""],
  ])("refuses name %s", (name, line) => {
    expect(plan(`name: ${name}\n`)).toEqual([line]);
  });
});

describe("limits before any work", () => {
  it.each([
    ["problem:\n  d: 100000\n", /^problem\.n, problem\.d: a run needs about [\d.]+ TB \(the training data n × d\(d\+1\)\/2: [\d.]+ TB\), over the memory limit of 8\.00 GB \(--max-memory\)$/],
    ["problem:\n  n: 1e9\n", /^problem\.n, problem\.d: a run needs about 1\.54 TB/],
    ["model:\n  k: 8e6\n", /^problem\.d, model\.k: a run needs about [\d.]+ GB \(the copies of U \(d × k\)/],
    ["problem:\n  kind: quadratic-net\n  n: 1e9\n", /^problem\.n, problem\.d: a run needs about/],
    ["problem:\n  kind: population\n  d: 100000\n", /^problem\.d: a run needs about/],
    ["train:\n  steps: 1e12\n", /^train\.steps: 1000000000000 steps is over the limit of 100000000 steps per phase$/],
    ["log:\n  every: 1\ntrain:\n  steps: 5000000\n", /^log\.every: 1 with train\.steps \+ finetune\.steps = 5002000 writes 5002004 trace rows per run, over the limit of 1000000; set log\.every to at least 6$/],
    ["sweep:\n  seed: { from: 1, to: 1000000000, num: 1000000000 }\n", /^sweep\.seed: num 1000000000 is over the limit of 100000 runs per sweep \(--max-runs\)$/],
    ["sweep:\n  seed: { from: 1, to: 1000, num: 1000, integer: true }\n  model.k: { from: 10, to: 1000, num: 1000, integer: true }\n", /^sweep: 1000000 runs \(seed: 1000 × model\.k: 1000\) is over the limit of 100000 runs \(--max-runs\)$/],
    ["sweep:\n  model.k: []\n", /^sweep\.model\.k: the list is empty \(give at least one value, or remove the key\)$/],
  ])("refuses %j in one line naming the field, fast", (text, line) => {
    const t = Date.now();
    const lines = plan(text);
    expect(Date.now() - t).toBeLessThan(5000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  });

  it("names the run of a sweep that breaks a limit", () => {
    expect(plan("sweep:\n  model.k: [40, 8000000]\n")[0]).toMatch(/over the memory limit of 8\.00 GB \(--max-memory\) \(in run model\.k=8000000\)$/);
  });

  it("applies --max-runs and --max-memory", () => {
    expect(plan("sweep:\n  seed: [1, 2, 3]\n", [], { ...LIMITS, maxRuns: 2 })).toEqual(["sweep: 3 runs (seed: 3) is over the limit of 2 runs (--max-runs)"]);
    expect(plan("{}\n", [], { ...LIMITS, maxMemory: 1024 ** 2 })[0]).toMatch(/^problem\.n, problem\.d: a run needs about [\d.]+ MB .*over the memory limit of 1\.00 MB \(--max-memory\)$/);
    expect(parseByteSize("512M", "--max-memory")).toBe(512 * 1024 ** 2);
    expect(parseByteSize("1.5GB", "--max-memory")).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize("1e9", "--max-memory")).toBe(1e9);
    expect(() => limitsFromOptions({ maxMemory: "lots" })).toThrow("--max-memory lots: expected a size such as 512M, 8G or 1e9 (bytes)");
    expect(() => limitsFromOptions({ maxRuns: "0" })).toThrow("--max-runs 0: expected a positive integer");
  });

  it("runs fewer workers at once when the largest runs side by side would not fit", () => {
    expect(jobsWithinMemory([8e9, 8e9, 8e9], 4, 20e9)).toBe(2);
    expect(jobsWithinMemory([1e8, 1e8], 4, 20e9)).toBe(2);
    expect(jobsWithinMemory([15e9, 6e9, 1e8], 2, 20e9)).toBe(1);
    expect(jobsWithinMemory([30e9], 2, 20e9)).toBe(1);
  });

  it("refuses --set of a number too large to be finite, and infinities in a file", () => {
    expect(errorsOf(() => parseOverrides(["problem.d=1e400"]))).toEqual(["--set problem.d: 1e400 is not a finite number"]);
    expect(plan("problem:\n  d: 1e400\n  n: .inf\ntrain:\n  lambda: .nan\nsweep:\n  problem.d: [1e400]\n")).toEqual([
      "problem.d: expected a finite number, got Infinity",
      "problem.n: expected a finite number, got Infinity",
      "train.lambda: expected a finite number, got NaN",
      "sweep.problem.d.0: expected a finite number, got Infinity",
    ]);
  });

  it("estimates the default run at a few MB and counts what grows", () => {
    const [run] = planRuns({}, [], LIMITS).runs;
    const e = estimateRunMemory(run.config);
    const arrays = e.parts.reduce((s, p) => s + p.bytes, 0);
    expect(arrays).toBeGreaterThan(5e6); // training data alone: 2000 × 210 doubles = 3.4 MB
    expect(arrays).toBeLessThan(2e7);
    expect(e.bytes - arrays).toBe(100 * 1024 ** 2); // the runtime
    const big = estimateRunMemory({ ...run.config, problem: { ...run.config.problem, n: 20_000 } });
    // the training data grow by 18 000 measurements; at this size H may also be built on two threads
    const helper = big.parts.find((p) => p.what.startsWith("second moments built on two threads"))?.bytes ?? 0;
    // and the logged losses' copy of the training set is made for small sets only (3.4 MB here, none at n = 20 000)
    const copy = (x: typeof e) => x.parts.find((p) => p.what === "copy of the data for the logged losses (training set)")?.bytes ?? 0;
    expect(copy(e)).toBe(8 * 2000 * 211);
    expect(copy(big)).toBe(0);
    expect(big.bytes - helper - (e.bytes - copy(e))).toBeCloseTo(8 * 18_000 * 211, -3);
    expect(e.parts.some((p) => p.what.startsWith("second moments built on two threads"))).toBe(false); // too small to share
    expect(MAX_STEPS).toBe(1e8);
    expect(MAX_TRACE_ROWS).toBe(1e6);
  });
});
