/**
 * Limits checked before any work: the size of a sweep, the steps and trace rows
 * of a run, and the memory a run will need (estimated from the resolved config:
 * its data, second moments, the copies of U, the trace). A run over a limit is a
 * user error naming the fields, reported with every other config error before
 * anything is written, never a run that fails (or takes the process down) later.
 */
import { freemem } from "node:os";
import { getHeapStatistics } from "node:v8";
import type { ResolvedConfig } from "../config/resolved.js";
import { UsageError } from "../errors.js";
import { sharesWithHelper } from "../linalg/threads/share.js";
import { chooseSensingRoute } from "../solvers/moments.js";
import { MAX_LOSS_COPY } from "../linalg/rows.js";
import { chooseQuadraticRoute } from "../solvers/quadratic-net.js";
import { BYTE_SIZE_EXAMPLES, readByteSize } from "../units/bytes.js";

/** Runs a sweep may expand to unless --max-runs says otherwise. */
export const DEFAULT_MAX_RUNS = 100_000;
/** Steps of one phase (training or fine-tuning): 1e8 steps of the default model take about two hours. */
export const MAX_STEPS = 100_000_000;
/** Trace rows of one run: about 120 bytes each in trace.csv (61 kB for the default run's 504 rows), so 1e6 rows is ~120 MB. */
export const MAX_TRACE_ROWS = 1_000_000;
/** Largest typed array V8 allocates (elements): past it a run fails with "Invalid typed array length". */
const MAX_ARRAY_LENGTH = 2 ** 32 - 1;

/** Bytes of JS heap per trace or columns row while it is held and written (object + CSV text), measured generously. */
const HEAP_BYTES_PER_ROW = 400;
/** Copies of U (d×k doubles) a run holds at once: U, gradient, trained copy, pruned copy, 30 Lanczos vectors and scratch. */
const U_COPIES = 40;
/** d×d scratch matrices (UUᵀ, gradients, ground truth, Gram steps). */
const DD_COPIES = 12;
/**
 * Node.js itself and a worker thread, whatever the run: measured peak RSS minus the arrays counted
 * here was 90 MB (sensing, n = 50000, d = 30: 275 MB against 183 MB) and 90 MB (quadratic net, n = 2e5).
 */
const RUNTIME_BYTES = 100 * 1024 ** 2;

export interface Limits {
  /** Bytes one run may need. */
  maxMemory: number;
  /** Runs a sweep may expand to. */
  maxRuns: number;
}

/** The memory bound by default: what the machine (or its cgroup) has available now. */
export function defaultMaxMemory(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  const free = freemem();
  return constrained > 0 && constrained < Number.MAX_SAFE_INTEGER ? Math.min(free, constrained) : free;
}

export function defaultLimits(): Limits {
  return { maxMemory: defaultMaxMemory(), maxRuns: DEFAULT_MAX_RUNS };
}

/** One part of a run's memory, with the fields that size it. */
export interface MemoryPart {
  what: string;
  fields: string[];
  bytes: number;
  /** Elements of the largest single array of this part. */
  largestArray: number;
  /** Held on the JS heap (rows), not in typed arrays. */
  heap?: boolean;
}

export interface MemoryEstimate {
  /** Total, including the runtime. */
  bytes: number;
  parts: MemoryPart[];
}

/** Trace rows a run writes: every log.every steps of each phase, the phase ends and the prune row. */
export function traceRows(c: ResolvedConfig): number {
  return Math.ceil(c.train.steps / c.log.every) + Math.ceil(c.finetune.steps / c.log.every) + 4;
}

/** The fused step (linalg/fused.ts) keeps its own copy of H, in panels of 8 columns. */
const FUSED_PART = "the fused step's copy of the second moments";
const fusedCopy = (m: number): number => Math.ceil(m / 8) * 8 * m;
/** The logged losses read a data set from WebAssembly memory (linalg/rows.ts): a copy of it, when small enough. */
const LOG_DATA_PART = "copy of the data for the logged losses";
const logCopy = (rows: number, width: number): number => (rows * width <= MAX_LOSS_COPY ? rows * (width + 1) : 0);

/** While H is built on two threads, the helper holds its own H and hands its rows back through a shared one. */
const HELPER_PART = "second moments built on two threads (two more copies of H while they are built)";

/**
 * Estimated peak memory of one run, in bytes, from its resolved config: every
 * array the solver and pipeline allocate, the trace and column rows, and the
 * Node.js runtime (RUNTIME_BYTES). `parts` lists what grows with the config.
 * @example estimateRunMemory(defaultConfig).bytes // ≈ 1.1e8 (d = 20, k = 40, n = 2000: 6 MB of arrays)
 */
export function estimateRunMemory(c: ResolvedConfig): MemoryEstimate {
  const { kind, d, n, n_test } = c.problem;
  const k = c.model.k;
  const m = (d * (d + 1)) / 2;
  const parts: MemoryPart[] = [];
  const add = (what: string, fields: string[], elements: number, largestArray = elements): void => {
    if (elements > 0) parts.push({ what, fields, bytes: 8 * elements, largestArray });
  };
  if (kind === "quadratic-net") {
    add("training data n × d", ["problem.n", "problem.d"], n * (d + 1), n * d);
    add("test data n_test × d", ["problem.n_test", "problem.d"], n_test * (d + 1), n_test * d);
    const route = chooseQuadraticRoute(d, k, n);
    if (route === "moments") {
      add("second moments (d(d+1)/2)²", ["problem.d"], m * m + 3 * m, m * m);
      add(FUSED_PART, ["problem.d"], fusedCopy(m), fusedCopy(m));
      if (sharesWithHelper({ kind: "fourth", n, d })) add(HELPER_PART, ["problem.d", "problem.n"], 2 * m * m + n * d, m * m);
    }
    if (route === "xu") add("products X·U, n × k", ["problem.n", "model.k"], n * k);
    add(`${LOG_DATA_PART} (training set)`, ["problem.n", "problem.d"], logCopy(n, d));
    add(`${LOG_DATA_PART} (test set)`, ["problem.n_test", "problem.d"], logCopy(n_test, d));
  } else if (kind !== "population") {
    // matrix sensing (and any dense-measurement model): each measurement is a packed symmetric d×d matrix
    add("training data n × d(d+1)/2", ["problem.n", "problem.d"], n * (m + 1), n * m);
    add("test data n_test × d(d+1)/2", ["problem.n_test", "problem.d"], n_test * (m + 1), n_test * m);
    if (chooseSensingRoute(m, n) === "moments") {
      add("second moments (d(d+1)/2)²", ["problem.d"], m * m + 3 * m, m * m);
      add(FUSED_PART, ["problem.d"], fusedCopy(m), fusedCopy(m));
      if (sharesWithHelper({ kind: "syrk", n, m })) add(HELPER_PART, ["problem.d", "problem.n"], 2 * (m + 4) * (m + 4), (m + 4) * (m + 4));
    }
    add(`${LOG_DATA_PART} (training set)`, ["problem.n", "problem.d"], logCopy(n, m));
    add(`${LOG_DATA_PART} (test set)`, ["problem.n_test", "problem.d"], logCopy(n_test, m));
  }
  add("copies of U (d × k)", ["problem.d", "model.k"], U_COPIES * d * k, d * k);
  add("d × d matrices", ["problem.d"], DD_COPIES * d * d, d * d);
  add("fine-tuning step record", ["finetune.steps"], c.finetune.steps);
  const rows = traceRows(c);
  parts.push({ what: `trace (${rows} rows)`, fields: ["train.steps", "finetune.steps", "log.every"], bytes: HEAP_BYTES_PER_ROW * rows, largestArray: 0, heap: true });
  parts.push({ what: `column norms (${4 * k} rows)`, fields: ["model.k"], bytes: HEAP_BYTES_PER_ROW * 4 * k, largestArray: 0, heap: true });
  return { bytes: RUNTIME_BYTES + parts.reduce((s, p) => s + p.bytes, 0), parts };
}

/** Bytes in binary units with 3 significant digits: "6.12 MB", "1.70 TB". */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} bytes` : `${v.toPrecision(3)} ${units[u]}`;
}

function fieldsOf(part: MemoryPart): string {
  return part.fields.join(", ");
}

/**
 * Every limit one run breaks, one line each naming the fields (empty when within limits).
 * @example checkRunLimits({ ...cfg, train: { ...cfg.train, steps: 1e12 } }, limits)
 *   // → ["train.steps: 1000000000000 steps is over the limit of 100000000 steps per phase", …]
 */
export function checkRunLimits(c: ResolvedConfig, limits: Limits): string[] {
  const lines: string[] = [];
  for (const [field, steps] of [["train.steps", c.train.steps], ["finetune.steps", c.finetune.steps]] as const) {
    if (steps > MAX_STEPS) lines.push(`${field}: ${steps} steps is over the limit of ${MAX_STEPS} steps per phase`);
  }
  const rows = traceRows(c);
  if (rows > MAX_TRACE_ROWS && lines.length === 0) {
    const every = Math.ceil((c.train.steps + c.finetune.steps) / (MAX_TRACE_ROWS - 4));
    lines.push(
      `log.every: ${c.log.every} with train.steps + finetune.steps = ${c.train.steps + c.finetune.steps} writes ${rows} trace rows per run, ` +
        `over the limit of ${MAX_TRACE_ROWS}; set log.every to at least ${every}`,
    );
  }
  const estimate = estimateRunMemory(c);
  const largest = [...estimate.parts].sort((a, b) => b.bytes - a.bytes)[0];
  const tooLong = estimate.parts.find((p) => p.largestArray > MAX_ARRAY_LENGTH);
  // a trace too long is said above, in terms of log.every; its memory is not said twice
  if (estimate.bytes > limits.maxMemory && !(lines.length && largest.heap)) {
    lines.push(
      `${fieldsOf(largest)}: a run needs about ${formatBytes(estimate.bytes)} (the ${largest.what}: ${formatBytes(largest.bytes)}), ` +
        `over the memory limit of ${formatBytes(limits.maxMemory)} (--max-memory)`,
    );
  } else if (tooLong) {
    lines.push(`${fieldsOf(tooLong)}: the ${tooLong.what} need one array of ${tooLong.largestArray.toExponential(2)} numbers, more than Node.js can allocate (${MAX_ARRAY_LENGTH})`);
  } else if (lines.length === 0) {
    const heap = estimate.parts.filter((p) => p.heap).reduce((s, p) => s + p.bytes, 0);
    const heapLimit = getHeapStatistics().heap_size_limit / 2;
    if (heap > heapLimit) {
      const part = estimate.parts.filter((p) => p.heap).sort((a, b) => b.bytes - a.bytes)[0];
      lines.push(`${fieldsOf(part)}: the ${part.what} need about ${formatBytes(heap)} of JavaScript heap, over half of Node.js's heap limit (${formatBytes(2 * heapLimit)})`);
    }
  }
  return lines;
}

/**
 * Parse a byte size: "512M", "8G", "1.5GB", "1e9" (bytes). Binary units (1K = 1024).
 * @throws {UsageError} `--max-memory 8Q: expected a size such as 512M, 8G or 1e9 (bytes)`
 */
export function parseByteSize(text: string, flag: string): number {
  const value = readByteSize(text);
  if (value === null) throw new UsageError(`${flag} ${text}: expected ${BYTE_SIZE_EXAMPLES}`);
  return value;
}

/**
 * Limits from the --max-memory and --max-runs option text (defaults where absent).
 * @throws {UsageError} for a value that is not a size or a positive integer.
 */
export function limitsFromOptions(o: { maxMemory?: string; maxRuns?: string }): Limits {
  const limits = defaultLimits();
  if (o.maxMemory !== undefined) limits.maxMemory = parseByteSize(o.maxMemory, "--max-memory");
  if (o.maxRuns !== undefined) {
    const n = Number(o.maxRuns);
    if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--max-runs ${o.maxRuns}: expected a positive integer`);
    limits.maxRuns = n;
  }
  return limits;
}

/** Help text of the two options, shared by every command that plans runs. */
export const LIMIT_OPTIONS = {
  maxMemory: ["--max-memory <size>", "refuse runs estimated to need more memory, e.g. 8G (default: the machine's available memory)"],
  maxRuns: ["--max-runs <n>", `refuse sweeps of more runs (default ${DEFAULT_MAX_RUNS})`],
} as const;

/**
 * Workers that fit in memory at once: each holds one run (and its data), so the
 * largest runs side by side must stay under the bound. Outputs do not depend on
 * the number of workers, so fewer is only slower.
 * @example jobsWithinMemory([8e9, 8e9, 8e9], 4, 20e9) // → 2
 */
export function jobsWithinMemory(runBytes: readonly number[], jobs: number, maxMemory: number): number {
  const largest = [...runBytes].sort((a, b) => b - a);
  let fit = 0;
  let total = 0;
  while (fit < jobs && fit < largest.length && total + largest[fit] <= maxMemory) total += largest[fit++];
  return Math.max(1, fit);
}
