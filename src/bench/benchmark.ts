/**
 * The speed benchmark: per solver and size, the time to generate the data, one
 * gradient step of loss + group-Lasso penalty, and optionally a whole
 * default-length run, side by side with the numpy yardstick measured in the
 * same invocation. Library code: progress goes through `onLine`, nothing prints.
 */
import { cpus } from "node:os";
import { resolveConfig } from "../config/resolve.js";
import { recoveryError } from "../pipeline/metrics.js";
import { addGroupLasso } from "../pipeline/penalty.js";
import { runPipeline } from "../pipeline/run.js";
import { buildProblem } from "../pipeline/seeds.js";
import { createStream } from "../random/streams.js";
import { chooseSensingRoute } from "../solvers/moments.js";
import { chooseQuadraticRoute } from "../solvers/quadratic-net.js";
import type { Problem } from "../solvers/types.js";
import { DEFAULT_BENCH_SIZES, WHOLE_RUN_BUDGET_S, sizeLabel, type BenchSize } from "./sizes.js";
import { locateYardstick, runYardstick, type YardstickRow } from "./yardstick.js";

export interface BenchOptions {
  /** Sizes to time (default DEFAULT_BENCH_SIZES). */
  sizes?: readonly BenchSize[];
  /** Timed steps per size after warm-up (default 30, the yardstick's default); capped by STEP_BUDGET_S. */
  reps?: number;
  /** Path of numpy_step.py; null: no yardstick; undefined: DEFAULT_YARDSTICK if present. */
  yardstick?: string | null;
  /** Time whole default-length runs (default true): sizes with `wholeRun`, or estimated under WHOLE_RUN_BUDGET_S. */
  wholeRun?: boolean;
  /** Receives one line per finished measurement. */
  onLine?: (line: string) => void;
  /**
   * A smoke run (`--quick`): QUICK_REPS steps unless `reps` is given, no whole runs
   * unless `wholeRun` is given, and the step budget cut to QUICK_STEP_BUDGET_S.
   */
  quick?: boolean;
}

/** numpy's numbers for one size, in milliseconds. */
export interface NumpyTimes {
  data_ms: number;
  step_ms: number;
  step_ms_min: number;
}

/** A whole default-length run: fresh data (moments included) + runPipeline. */
export interface WholeRunTimes {
  /** createProblem + runPipeline (whose createLoss builds the moments when the route uses them). */
  total_ms: number;
  status: string;
  /** Gradient steps taken (train + fine-tune). */
  steps: number;
  /** Trace rows written (each evaluates the train and test loss directly and the recovery error). */
  log_rows: number;
  /** log_rows × log_row_ms: the share of total_ms spent on logging. */
  log_ms_estimate: number;
  /** numpy data + steps × numpy step, when the yardstick ran. */
  numpy_ms: number | null;
  /** total_ms / numpy_ms. */
  ratio: number | null;
}

/** Our times for one size. */
export interface StepTimes {
  /** createProblem: ground truth and the train/test data. */
  data_ms: number;
  /** The first createLoss(k): the one-off second-moment reduction when the route uses it, else ~0. */
  setup_ms: number;
  /** Median of the timed steps (valueAndGradient + addGroupLasso). */
  step_ms: number;
  step_ms_min: number;
  /** Timed steps. */
  reps: number;
  /** One trace row: trainLoss + testLoss + recoveryError (what runPipeline evaluates every log.every steps). */
  log_row_ms: number;
}

export interface BenchRow extends StepTimes {
  kind: string;
  d: number;
  k: number;
  n: number;
  /** The loss's default route at this size. */
  route: string;
  numpy: NumpyTimes | null;
  /** (data_ms + setup_ms) / numpy data. */
  data_ratio: number | null;
  /** step_ms / numpy step (medians). */
  step_ratio: number | null;
  whole: WholeRunTimes | null;
  /** Why a measurement is missing (yardstick failure, ...), else "". */
  note: string;
}

export interface BenchReport {
  /** ISO time the benchmark started. */
  started: string;
  node: string;
  cpu: string;
  cores: number;
  reps: number;
  yardstick: { state: "ok" | "skipped"; path: string | null; reason: string };
  rows: BenchRow[];
}

/** Timed steps per size stop after this many seconds (at least MIN_REPS are taken). */
export const STEP_BUDGET_S = 15;
/** Default reps and step budget of a quick run. */
export const QUICK_REPS = 5;
export const QUICK_STEP_BUDGET_S = 3;
const MIN_REPS = 3;
/** Warm-up: at least this many steps, and at least WARMUP_S seconds unless that takes more than MAX_WARMUP steps. */
const WARMUP_STEPS = 3;
const WARMUP_S = 0.5;
const MAX_WARMUP = 50;
/** The yardstick's penalty parameters and init scale. */
const LAMBDA = 0.1;
const BETA = 0.1;
const INIT_SCALE = 1e-2;

/** The default route of a size, for the report only (the loss picks it itself). */
const DEFAULT_ROUTE: Record<string, (s: BenchSize) => string> = {
  population: () => "dense",
  "matrix-sensing": (s) => chooseSensingRoute((s.d * (s.d + 1)) / 2, s.n),
  "quadratic-net": (s) => chooseQuadraticRoute(s.d, s.k, s.n),
};

const now = (): number => performance.now();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : 0.5 * (s[h - 1] + s[h]);
}

function configFor(size: BenchSize) {
  const problem: Record<string, unknown> = { kind: size.kind, d: size.d };
  if (size.n > 0) problem.n = size.n;
  return resolveConfig({ problem, model: { k: size.k } }).config;
}

function createProblem(size: BenchSize): Problem {
  return buildProblem(configFor(size));
}

/** Data, setup, step and log-row times of one size. */
function timeSize(size: BenchSize, reps: number, budgetS: number): StepTimes {
  const { d, k } = size;
  let t = now();
  const problem = createProblem(size);
  const data_ms = now() - t;
  t = now();
  const loss = problem.createLoss(k);
  const setup_ms = now() - t;

  const U = createStream(`bench:${sizeLabel(size)}`).fillNormal(new Float64Array(d * k), INIT_SCALE);
  const grad = new Float64Array(d * k);
  const colSq = new Float64Array(k);
  let sink = 0;
  const step = (): void => {
    grad.fill(0);
    sink += loss.valueAndGradient(U, k, grad);
    sink += addGroupLasso(U, d, k, BETA, LAMBDA, grad, colSq);
  };
  const warmStart = now();
  for (let w = 0; w < MAX_WARMUP && (w < WARMUP_STEPS || now() - warmStart < WARMUP_S * 1e3); w++) step();
  const times: number[] = [];
  const budgetStart = now();
  while (times.length < reps && (times.length < MIN_REPS || now() - budgetStart < budgetS * 1e3)) {
    t = now();
    step();
    times.push(now() - t);
  }

  const X = new Float64Array(d * d);
  const logRow = (): number => loss.trainLoss(U, k) + loss.testLoss(U, k) + recoveryError(U, k, problem.truth, X);
  const logTimes: number[] = [];
  sink += logRow(); // warm-up
  for (let i = 0; i < Math.min(5, reps); i++) {
    t = now();
    sink += logRow();
    logTimes.push(now() - t);
  }
  if (Number.isNaN(sink)) throw new Error("bench: the step returned NaN");
  return { data_ms, setup_ms, step_ms: median(times), step_ms_min: Math.min(...times), reps: times.length, log_row_ms: median(logTimes) };
}

/** A whole default-length run at this size on fresh data. */
function timeWholeRun(size: BenchSize, logRowMs: number): Omit<WholeRunTimes, "numpy_ms" | "ratio"> {
  const cfg = configFor(size);
  const t = now();
  const problem = createProblem(size);
  const result = runPipeline(cfg, problem);
  const total_ms = now() - t;
  const steps = result.metrics.train_steps + result.metrics.finetune_steps;
  return { total_ms, status: result.status, steps, log_rows: result.trace.length, log_ms_estimate: result.trace.length * logRowMs };
}

/** Default steps of a whole run (train + fine-tune), for the numpy equivalent. */
function defaultSteps(size: BenchSize): number {
  const cfg = configFor(size);
  return cfg.train.steps + cfg.finetune.steps;
}

const fmt = (x: number, digits = 3): string => x.toPrecision(digits);

/**
 * Time every size, then (same invocation, one after the other so the two never
 * share the cores) the numpy yardstick at that size.
 * @example const report = await runBenchmark({ reps: 10, onLine: console.log }); formatBenchTable(report)
 * @throws {ConfigError} when a size is not a valid problem (e.g. unknown kind)
 */
export async function runBenchmark(options: BenchOptions = {}): Promise<BenchReport> {
  const sizes = options.sizes ?? DEFAULT_BENCH_SIZES;
  const quick = options.quick ?? false;
  const reps = Math.max(1, Math.floor(options.reps ?? (quick ? QUICK_REPS : 30)));
  const wantWhole = options.wholeRun ?? !quick;
  const budgetS = quick ? QUICK_STEP_BUDGET_S : STEP_BUDGET_S;
  const say = options.onLine ?? (() => {});
  const cpuList = cpus();
  const located = await locateYardstick(options.yardstick);
  const report: BenchReport = {
    started: new Date().toISOString(),
    node: process.version,
    cpu: cpuList[0]?.model ?? "unknown",
    cores: cpuList.length,
    reps,
    yardstick: located.state === "ok"
      ? { state: "ok", path: located.path, reason: "" }
      : { state: "skipped", path: located.path, reason: located.reason },
    rows: [],
  };
  if (located.state === "skipped" && typeof options.yardstick === "string") say(`yardstick skipped: ${located.reason}`);

  for (const size of sizes) {
    const label = sizeLabel(size);
    const times = timeSize(size, reps, budgetS);
    const route = DEFAULT_ROUTE[size.kind]?.(size) ?? "default";
    say(
      `${label} [${route}]: data ${fmt(times.data_ms)} ms + setup ${fmt(times.setup_ms)} ms, ` +
      `step ${fmt(times.step_ms)} ms (median of ${times.reps}), log row ${fmt(times.log_row_ms)} ms`,
    );
    const row: BenchRow = {
      kind: size.kind, d: size.d, k: size.k, n: size.n, route, ...times,
      numpy: null, data_ratio: null, step_ratio: null, whole: null, note: "",
    };

    if (located.state === "ok") {
      try {
        const y: YardstickRow = await runYardstick(located.path, size, reps);
        row.numpy = { data_ms: 1e3 * y.data_s, step_ms: y.step_ms_median, step_ms_min: y.step_ms_min };
        row.data_ratio = (row.data_ms + row.setup_ms) / row.numpy.data_ms;
        row.step_ratio = row.step_ms / row.numpy.step_ms;
        say(`${label} numpy: data ${fmt(row.numpy.data_ms)} ms, step ${fmt(row.numpy.step_ms)} ms; step ratio ${fmt(row.step_ratio)}`);
      } catch (e) {
        row.note = `yardstick failed: ${(e as Error).message.split("\n")[0]}`;
        say(`${label} ${row.note}`);
      }
    }

    const steps = defaultSteps(size);
    const estimate_s = (times.data_ms + times.setup_ms + steps * (times.step_ms + times.log_row_ms / 10)) / 1e3;
    if (wantWhole && (size.wholeRun ?? estimate_s < WHOLE_RUN_BUDGET_S)) {
      const whole = timeWholeRun(size, times.log_row_ms);
      const numpy_ms = row.numpy ? row.numpy.data_ms + steps * row.numpy.step_ms : null;
      row.whole = { ...whole, numpy_ms, ratio: numpy_ms === null ? null : whole.total_ms / numpy_ms };
      say(
        `${label} whole run (${whole.status}, ${whole.steps} steps): ${fmt(whole.total_ms)} ms, ` +
        `logging ≈ ${fmt(whole.log_ms_estimate)} ms` +
        (numpy_ms === null ? "" : `; numpy data + ${steps} steps ${fmt(numpy_ms)} ms, ratio ${fmt(row.whole.ratio!)}`),
      );
    }
    report.rows.push(row);
  }
  return report;
}
