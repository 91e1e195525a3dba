/**
 * Whole runs as a user meets them: the wall time of a whole process (start-up,
 * data, moments, 600 + 200 steps, test loss every 100, output), ours
 * (`prune-sense run`, moments cache cold, then warm) against
 * numpy_sufficient_stats.py (the strongest numpy yardstick: one SYRK, then a
 * GEMV per step), repeats interleaved so drift in the machine hits both alike.
 * Also the start-up of `--version` and `validate`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { packedRowMoments, rankOneMoments } from "../linalg/moments.js";
import { packedSize } from "../linalg/packed.js";
import { createStream } from "../random/streams.js";
import { BIN } from "./sweep-scaling.js";

/** Where numpy_sufficient_stats.py is looked for when no path is given, relative to the working directory. */
export const DEFAULT_SUFFICIENT_YARDSTICK = "../shared/yardstick/numpy_sufficient_stats.py";

/** One problem timed as a whole process; the yardstick's defaults (seed 3, n_test 500, λ = β = ε = 0.1, α = 1e-3). */
export interface WholeProblem {
  label: string;
  /** The yardstick's --task. */
  task: "sensing" | "quad";
  kind: string;
  d: number;
  k: number;
  n: number;
  eta: number;
}

export const WHOLE_PROBLEMS: readonly WholeProblem[] = [
  { label: "matrix sensing (40, 80, 4000)", task: "sensing", kind: "matrix-sensing", d: 40, k: 80, n: 4000, eta: 0.05 },
  { label: "quadratic net (50, 100, 10000)", task: "quad", kind: "quadratic-net", d: 50, k: 100, n: 10000, eta: 0.025 },
];

/** The yardstick's step counts and logging. */
const T1 = 600, T2 = 200, LOG_EVERY = 100, SEED = 3, N_TEST = 500;

export interface WholeProcessRow {
  problem: WholeProblem;
  /** Medians over the repeats, seconds. */
  ours_cold_s: number;
  ours_warm_s: number;
  numpy_s: number;
  /** ours / numpy (below 1: faster). */
  cold_ratio: number;
  warm_ratio: number;
  /** The yardstick's own in-process split (medians): data, the SYRK setup, one step. */
  numpy_data_s: number;
  numpy_setup_s: number;
  numpy_step_ms: number;
  /** Our one-off moments reduction at this size, in-process, medians: on one thread and as a run does it (two when shared). */
  ours_setup_one_thread_s: number;
  ours_setup_s: number;
}

export interface StartupRow {
  command: string;
  seconds: number;
}

export interface WholeProcessReport {
  yardstick: { state: "ok" | "skipped"; path: string | null; reason: string; blas: string };
  repeats: number;
  rows: WholeProcessRow[];
  startup: StartupRow[];
}

/**
 * Wall time of the moments reduction alone (H, b, c from data already drawn),
 * in this process: packedRowMoments for sensing, rankOneMoments for the
 * quadratic net, on `threads` threads; median of `repeats`.
 */
export function timeReduction(p: WholeProblem, threads: number | undefined, repeats: number): number {
  const rng = createStream("bench:reduction");
  const width = p.task === "sensing" ? packedSize(p.d) : p.d;
  const rows = rng.fillNormal(new Float64Array(p.n * width));
  const y = rng.fillNormal(new Float64Array(p.n));
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    if (p.task === "sensing") packedRowMoments(rows, p.n, width, y, { threads });
    else rankOneMoments(rows, p.n, p.d, y, { threads });
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

/** The config of a yardstick problem, as `prune-sense run` reads it. */
export function wholeRunConfig(p: WholeProblem): object {
  return {
    name: `bench-${p.task}`,
    seed: SEED,
    problem: { kind: p.kind, d: p.d, r: 3, n: p.n, n_test: N_TEST, noise: 0 },
    model: { k: p.k, init_scale: 1e-3 },
    train: { lambda: 0.1, beta: 0.1, step_size: p.eta, steps: T1 },
    prune: { threshold: 0.1 },
    finetune: { step_size: p.eta, steps: T2 },
    log: { every: LOG_EVERY },
  };
}

/**
 * The environment numpy runs in: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are
 * removed for the yardstick alone (some machines set them for old OpenBLAS
 * builds; they slow a current numpy), everything else is kept.
 */
export function numpyEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out.OPENBLAS_CORETYPE;
  delete out.OPENBLAS_L2_SIZE;
  return out;
}

/** Prints which BLAS kernel numpy runs (threadpoolctl when installed, else OpenBLAS's own corename). */
const BLAS_PROBE = `
import numpy
try:
    from threadpoolctl import threadpool_info
    i = [x for x in threadpool_info() if x.get("user_api") == "blas"][0]
    print(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}, {i.get('num_threads')} threads")
except Exception:
    import ctypes
    libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower()})
    out = "unknown BLAS"
    for path in libs:
        lib = ctypes.CDLL(path)
        for pre, suf in (("openblas_", ""), ("scipy_openblas_", "64_"), ("openblas_", "64_")):
            try:
                core = getattr(lib, pre + "get_corename" + suf); core.restype = ctypes.c_char_p
                threads = getattr(lib, pre + "get_num_threads" + suf)()
                out = f"OpenBLAS {core().decode()}, {threads} threads"
                break
            except AttributeError:
                continue
    print(out)
`;

/** Wall time of a child process (it must exit 0), and its stdout. */
export function timeProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv): { seconds: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", env, maxBuffer: 1 << 24, timeout: 10 * 60_000 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(" ")} exited ${r.status}: ${String(r.stderr).trim().split("\n").pop()}`);
  return { seconds, stdout: r.stdout };
}

/** The median of a non-empty list. */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : 0.5 * (s[h - 1] + s[h]);
};

/** Decide whether numpy_sufficient_stats.py can run: the path exists and python3 imports numpy. */
export function locateSufficientYardstick(given: string | null | undefined, cwd = process.cwd()): WholeProcessReport["yardstick"] {
  if (given === null) return { state: "skipped", path: null, reason: "disabled", blas: "" };
  const path = resolve(cwd, given ?? DEFAULT_SUFFICIENT_YARDSTICK);
  if (!existsSync(path)) return { state: "skipped", path, reason: `${path} not found`, blas: "" };
  const probe = spawnSync("python3", ["-c", BLAS_PROBE], { encoding: "utf8", env: numpyEnv(), timeout: 60_000 });
  if (probe.error) return { state: "skipped", path, reason: "python3 not found", blas: "" };
  if (probe.status !== 0) return { state: "skipped", path, reason: "python3 cannot import numpy", blas: "" };
  return { state: "ok", path, reason: "", blas: probe.stdout.trim() };
}

export interface WholeProcessOptions {
  /** Path of numpy_sufficient_stats.py; null: ours only; undefined: DEFAULT_SUFFICIENT_YARDSTICK if present. */
  yardstick?: string | null;
  repeats?: number;
  problems?: readonly WholeProblem[];
  onLine?: (line: string) => void;
}

/**
 * Median process times of each problem: ours cold (a fresh, empty cache folder),
 * ours warm (the same command again: the moments come from the cache), numpy.
 */
export function measureWholeProcess(options: WholeProcessOptions = {}): WholeProcessReport {
  // five: the shared machine's timings drift by 10–20% within minutes, and numpy's start-up varies
  const repeats = options.repeats ?? 5;
  const say = options.onLine ?? (() => {});
  const yardstick = locateSufficientYardstick(options.yardstick);
  const dir = mkdtempSync(join(tmpdir(), "prune-sense-whole-"));
  const rows: WholeProcessRow[] = [];
  try {
    for (const p of options.problems ?? WHOLE_PROBLEMS) {
      const config = join(dir, `${p.task}.json`);
      writeFileSync(config, JSON.stringify(wholeRunConfig(p)));
      const cold: number[] = [], warm: number[] = [], numpy: number[] = [];
      const split = { data: [] as number[], setup: [] as number[], step: [] as number[] };
      for (let i = 0; i < repeats; i++) {
        const cache = mkdtempSync(join(dir, "cache-"));
        const env = { ...process.env, NO_COLOR: "1", XDG_CACHE_HOME: cache };
        const args = [BIN, "run", config, "--out", join(dir, `out-${p.task}-${i}`), "--force"];
        cold.push(timeProcess(process.execPath, args, env).seconds);
        warm.push(timeProcess(process.execPath, args, env).seconds);
        if (yardstick.state === "ok") {
          const r = timeProcess("python3", [
            yardstick.path!, "--task", p.task, "--d", String(p.d), "--k", String(p.k), "--n", String(p.n),
            "--eta", String(p.eta), "--T1", String(T1), "--T2", String(T2), "--log-every", String(LOG_EVERY),
            "--seed", String(SEED), "--n-test", String(N_TEST),
          ], numpyEnv());
          numpy.push(r.seconds);
          const j = JSON.parse(r.stdout) as { data_sec: number; setup_sec: number; step_sec: number };
          split.data.push(j.data_sec); split.setup.push(j.setup_sec); split.step.push(1e3 * j.step_sec);
        }
        rmSync(cache, { recursive: true, force: true });
      }
      const np = numpy.length ? median(numpy) : NaN;
      const row: WholeProcessRow = {
        problem: p, ours_cold_s: median(cold), ours_warm_s: median(warm), numpy_s: np,
        cold_ratio: median(cold) / np, warm_ratio: median(warm) / np,
        numpy_data_s: numpy.length ? median(split.data) : NaN,
        numpy_setup_s: numpy.length ? median(split.setup) : NaN,
        numpy_step_ms: numpy.length ? median(split.step) : NaN,
        ours_setup_one_thread_s: timeReduction(p, 1, repeats),
        ours_setup_s: timeReduction(p, undefined, repeats),
      };
      rows.push(row);
      say(`${p.label}: ours ${row.ours_cold_s.toFixed(2)} s cold, ${row.ours_warm_s.toFixed(2)} s warm; numpy ${np.toFixed(2)} s`);
    }
    const startup: StartupRow[] = [];
    const plain = { ...process.env, NO_COLOR: "1" };
    const defaultConfig = new URL("../../configs/default.yaml", import.meta.url).pathname;
    for (const [command, args] of [
      ["prune-sense --version", [BIN, "--version"]],
      ["prune-sense validate configs/default.yaml", [BIN, "validate", defaultConfig]],
    ] as const) {
      const times = Array.from({ length: 2 * repeats + 1 }, () => timeProcess(process.execPath, [...args], plain).seconds);
      startup.push({ command, seconds: median(times) });
    }
    if (yardstick.state === "ok") {
      const times = Array.from({ length: 2 * repeats + 1 }, () => timeProcess("python3", ["-c", "import numpy"], numpyEnv()).seconds);
      startup.push({ command: "python3 -c 'import numpy'", seconds: median(times) });
    }
    return { yardstick, repeats, rows, startup };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const f = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : "—");
const r = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "—");

export function formatWholeProcess(report: WholeProcessReport): string {
  const lines = [
    `whole runs, process wall time (start-up included), median of ${report.repeats}; ${T1} + ${T2} steps, test loss every ${LOG_EVERY}:`,
    "problem                          ours cold  ours warm  numpy-suff  cold ratio  warm ratio  np data  np setup  np step ms",
  ];
  for (const row of report.rows) {
    lines.push(
      `${row.problem.label.padEnd(31)}  ${f(row.ours_cold_s).padStart(9)}  ${f(row.ours_warm_s).padStart(9)}  ` +
      `${f(row.numpy_s).padStart(10)}  ${r(row.cold_ratio).padStart(10)}  ${r(row.warm_ratio).padStart(10)}  ` +
      `${f(row.numpy_data_s).padStart(7)}  ${f(row.numpy_setup_s).padStart(8)}  ${f(row.numpy_step_ms, 3).padStart(10)}`,
    );
  }
  lines.push(
    "",
    "the one-off moments reduction (H, b, c from drawn data), wall time, median; numpy's is F.T @ F (+ F.T @ y) in numpy_sufficient_stats.py:",
    "problem                          ours 1 thread  ours (threads)  numpy  ratio (threads)",
  );
  for (const row of report.rows) {
    lines.push(
      `${row.problem.label.padEnd(31)}  ${f(row.ours_setup_one_thread_s, 3).padStart(13)}  ${f(row.ours_setup_s, 3).padStart(14)}  ` +
      `${f(row.numpy_setup_s, 3).padStart(5)}  ${r(row.ours_setup_s / row.numpy_setup_s).padStart(15)}`,
    );
  }
  lines.push("", "start-up, process wall time (median):");
  for (const s of report.startup) lines.push(`  ${s.command.padEnd(42)} ${s.seconds.toFixed(3)} s`);
  lines.push(
    report.yardstick.state === "ok"
      ? `numpy-suff: ${report.yardstick.path} (${report.yardstick.blas}; OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for it)`
      : `numpy_sufficient_stats yardstick skipped: ${report.yardstick.reason}`,
  );
  return lines.join("\n");
}
