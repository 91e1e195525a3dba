/**
 * The limits checked before any work: the memory a run will need, part by part per
 * model and route; which limit line a run over several limits gets (one line per
 * cause, never the same cause twice); byte sizes and the option text.
 */
import { totalmem } from "node:os";
import { beforeEach, describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/resolved.js";
import {
  checkRunLimits, DEFAULT_MAX_RUNS, defaultLimits, defaultMaxMemory, estimateRunMemory, formatBytes, limitsFromOptions,
  parseByteSize, traceRows,
} from "../../src/sweep/limits.js";
import { planRuns } from "../../src/sweep/plan.js";

const BIG = { maxMemory: 1e18, maxRuns: 10 };
const MB100 = 100 * 1024 ** 2;

function cfg(written: Record<string, unknown>): ResolvedConfig {
  return planRuns(written, [], BIG).runs[0].config;
}

/** The config with some fields replaced after resolving (sizes planRuns would refuse). */
function sized(c: ResolvedConfig, patch: { problem?: object; model?: object; train?: object; finetune?: object; log?: object }): ResolvedConfig {
  return {
    ...c, problem: { ...c.problem, ...patch.problem }, model: { ...c.model, ...patch.model }, train: { ...c.train, ...patch.train },
    finetune: { ...c.finetune, ...patch.finetune }, log: { ...c.log, ...patch.log },
  };
}

const partsOf = (c: ResolvedConfig) => estimateRunMemory(c).parts.map((p) => [p.what, p.fields.join(", "), p.bytes / 8]);

describe("a run's memory estimate", () => {
  it("counts the trace rows of both phases, the phase ends and the prune row", () => {
    const c = cfg({ train: { steps: 100 }, finetune: { steps: 35 }, log: { every: 10 } });
    expect(traceRows(c)).toBe(10 + 4 + 4);
    expect(traceRows(sized(c, { train: { steps: 101 } }))).toBe(11 + 4 + 4);
  });

  it("has no data for the population loss: copies of U, d × d scratch, the step record, the trace and column rows", () => {
    const c = cfg({ problem: { kind: "population", d: 6, r: 2 }, model: { k: 4 }, train: { steps: 100 }, finetune: { steps: 50 }, log: { every: 10 } });
    const e = estimateRunMemory(c);
    expect(e.parts.map((p) => [p.what, p.fields.join(", "), p.bytes, p.largestArray, p.heap ?? false])).toEqual([
      ["copies of U (d × k)", "problem.d, model.k", 8 * 40 * 24, 24, false],
      ["d × d matrices", "problem.d", 8 * 12 * 36, 36, false],
      ["fine-tuning step record", "finetune.steps", 8 * 50, 50, false],
      ["trace (19 rows)", "train.steps, finetune.steps, log.every", 400 * 19, 0, true],
      ["column norms (16 rows)", "model.k", 400 * 16, 0, true],
    ]);
    expect(e.bytes).toBe(MB100 + e.parts.reduce((s, p) => s + p.bytes, 0));
  });

  it("counts matrix sensing's packed measurements, and their second moments when that route is taken", () => {
    // d = 5: m = 15 packed entries; moments since m < 2n
    const c = cfg({ problem: { kind: "matrix-sensing", d: 5, r: 1, n: 40, n_test: 10 }, model: { k: 3 }, finetune: { steps: 0 } });
    expect(partsOf(c).slice(0, 3)).toEqual([
      ["training data n × d(d+1)/2", "problem.n, problem.d", 40 * 16],
      ["test data n_test × d(d+1)/2", "problem.n_test, problem.d", 10 * 16],
      ["second moments (d(d+1)/2)²", "problem.d", 15 * 15 + 3 * 15],
    ]);
    expect(estimateRunMemory(c).parts[2].largestArray).toBe(225);
    // the fused step's copy of H (panels of 8 columns: 16 × 15) and the logged losses' copies of the data
    expect(partsOf(c).slice(3, 6)).toEqual([
      ["the fused step's copy of the second moments", "problem.d", 16 * 15],
      ["copy of the data for the logged losses (training set)", "problem.n, problem.d", 40 * 16],
      ["copy of the data for the logged losses (test set)", "problem.n_test, problem.d", 10 * 16],
    ]);
    expect(estimateRunMemory(c).parts[0].largestArray).toBe(40 * 15);
    // no step record without fine-tuning steps
    expect(partsOf(c).map((p) => p[0])).not.toContain("fine-tuning step record");
    // n ≤ m/2: the direct route, no moments
    expect(partsOf(sized(c, { problem: { n: 7 } })).map((p) => p[0])).not.toContain("second moments (d(d+1)/2)²");
    // m over the moments' size: none either
    expect(partsOf(sized(c, { problem: { d: 80, n: 10_000 } })).map((p) => p[0])).not.toContain("second moments (d(d+1)/2)²");
  });

  it("counts the quadratic net's samples and the products or moments of its route", () => {
    const c = cfg({ problem: { kind: "quadratic-net", d: 5, r: 1, n: 1000, n_test: 20 }, model: { k: 4 } });
    expect(partsOf(c).slice(0, 3)).toEqual([
      ["training data n × d", "problem.n, problem.d", 1000 * 6],
      ["test data n_test × d", "problem.n_test, problem.d", 20 * 6],
      ["second moments (d(d+1)/2)²", "problem.d", 15 * 15 + 3 * 15],
    ]);
    expect(estimateRunMemory(c).parts[0].largestArray).toBe(5000);
    // few samples: X·U is cheaper than the moments
    expect(partsOf(sized(c, { problem: { n: 10 } })).slice(2, 3)).toEqual([["products X·U, n × k", "problem.n, model.k", 40]]);
  });
});

describe("the limit lines of a run", () => {
  // planned in each test (not while the file loads), so mutation testing sees which tests reach it
  let base: ResolvedConfig;
  beforeEach(() => {
    base = cfg({ problem: { kind: "population", d: 6, r: 2 }, model: { k: 4 } });
  });

  it("are none within the limits", () => {
    expect(checkRunLimits(base, BIG)).toEqual([]);
  });

  it("name each phase over the step limit, and then not the trace or its memory", () => {
    const c = sized(base, { train: { steps: 2e8 }, finetune: { steps: 3e8 }, log: { every: 1 } });
    expect(checkRunLimits(c, { maxMemory: 1e9, maxRuns: 10 })).toEqual([
      "train.steps: 200000000 steps is over the limit of 100000000 steps per phase",
      "finetune.steps: 300000000 steps is over the limit of 100000000 steps per phase",
    ]);
  });

  it("accept exactly the step limit", () => {
    expect(checkRunLimits(sized(base, { train: { steps: 1e8 }, log: { every: 1000 } }), BIG)).toEqual([]);
  });

  it("say a trace too long in terms of log.every, and not again as memory", () => {
    const c = sized(base, { train: { steps: 3e6 }, finetune: { steps: 0 }, log: { every: 1 } });
    expect(checkRunLimits(c, { maxMemory: 1e9, maxRuns: 10 })).toEqual([
      "log.every: 1 with train.steps + finetune.steps = 3000000 writes 3000004 trace rows per run, over the limit of 1000000; set log.every to at least 4",
    ]);
    // the suggested log.every is within the limit
    expect(checkRunLimits(sized(c, { log: { every: 4 } }), BIG)).toEqual([]);
  });

  it("say memory too large after a trace line when the largest part is not the trace", () => {
    const c = sized(base, { problem: { d: 2000 }, model: { k: 4000 }, train: { steps: 3e6 }, finetune: { steps: 0 }, log: { every: 1 } });
    const lines = checkRunLimits(c, { maxMemory: 1e9, maxRuns: 10 });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^log\.every: 1 /);
    expect(lines[1]).toMatch(/^problem\.d, model\.k: a run needs about [\d.]+ GB \(the copies of U \(d × k\): 2\.38 GB\), over the memory limit of 954 MB \(--max-memory\)$/);
  });

  it("name an array longer than Node.js can allocate when the memory bound allows it", () => {
    const c = sized(cfg({ problem: { kind: "matrix-sensing", d: 5, r: 1, n: 40, n_test: 10 } }), { problem: { d: 100, n: 1e6 } });
    expect(checkRunLimits(c, BIG)).toEqual([
      "problem.n, problem.d: the training data n × d(d+1)/2 need one array of 5.05e+9 numbers, more than Node.js can allocate (4294967295)",
    ]);
  });

  it("name rows that would not fit in half of the JavaScript heap", () => {
    const c = sized(base, { model: { k: 4e6 } });
    const lines = checkRunLimits(c, BIG);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^model\.k: the column norms \(16000000 rows\) need about [\d.]+ GB of JavaScript heap, over half of Node\.js's heap limit \([\d.]+ [GM]B\)$/);
  });
});

describe("byte sizes", () => {
  it("print with three significant digits in binary units", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(1023)).toBe("1023 bytes");
    expect(formatBytes(1024)).toBe("1.00 kB");
    expect(formatBytes(1536)).toBe("1.50 kB");
    expect(formatBytes(5 * 1024 ** 2)).toBe("5.00 MB");
    expect(formatBytes(1.7 * 1024 ** 4)).toBe("1.70 TB");
    expect(formatBytes(3 * 1024 ** 6)).toBe("3.00 EB");
    expect(formatBytes(2000 * 1024 ** 6)).toBe("2.00e+3 EB");
  });

  it("parse with binary units, any case, optional i and B", () => {
    expect(parseByteSize("2K", "--max-memory")).toBe(2048);
    expect(parseByteSize("2kib", "--max-memory")).toBe(2048);
    expect(parseByteSize(" 3 GiB ", "--max-memory")).toBe(3 * 1024 ** 3);
    expect(parseByteSize("1t", "--max-memory")).toBe(1024 ** 4);
    expect(parseByteSize("100", "--max-memory")).toBe(100);
    expect(parseByteSize("100b", "--max-memory")).toBe(100);
    expect(parseByteSize("1.5e3", "--max-memory")).toBe(1500);
  });

  it("refuse what is not a positive size, naming the flag", () => {
    for (const bad of ["0", "-1", "8Q", "", "G", "1.", "1 2", "1e", "12MBs"]) {
      expect(() => parseByteSize(bad, "--max-memory")).toThrow(`--max-memory ${bad}: expected a size such as 512M, 8G or 1e9 (bytes)`);
    }
  });
});

describe("limits from options", () => {
  it("default to the available memory and 100000 runs", () => {
    expect(DEFAULT_MAX_RUNS).toBe(100_000);
    const limits = limitsFromOptions({});
    expect(limits.maxRuns).toBe(100_000);
    expect(limits.maxMemory).toBeGreaterThan(0);
    expect(limits.maxMemory).toBeLessThanOrEqual(totalmem());
    expect(defaultLimits().maxRuns).toBe(100_000);
    expect(defaultMaxMemory()).toBeGreaterThan(0);
  });

  it("take --max-memory and --max-runs", () => {
    expect(limitsFromOptions({ maxMemory: "512M", maxRuns: "7" })).toEqual({ maxMemory: 512 * 1024 ** 2, maxRuns: 7 });
    expect(limitsFromOptions({ maxRuns: "1" }).maxRuns).toBe(1);
  });

  it("refuse a run count that is not a positive integer", () => {
    for (const bad of ["0", "-3", "2.5", "many", "1e20"]) {
      expect(() => limitsFromOptions({ maxRuns: bad })).toThrow(`--max-runs ${bad}: expected a positive integer`);
    }
  });
});
