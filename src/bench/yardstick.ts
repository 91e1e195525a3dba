/**
 * The numpy yardstick (numpy_step.py): the same step written by hand over
 * numpy/OpenBLAS, run as a child process in the same benchmark invocation so
 * both sides see the same machine state.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { BenchSize } from "./sizes.js";
import { yardstickModel } from "./sizes.js";

/** Where the yardstick is looked for when no path is given, relative to the working directory. */
export const DEFAULT_YARDSTICK = "../shared/yardstick/numpy_step.py";

/** One row of `numpy_step.py --json`. */
export interface YardstickRow {
  model: string;
  d: number;
  k: number;
  n: number;
  data_s: number;
  step_ms_median: number;
  step_ms_min: number;
}

export type YardstickStatus =
  | { state: "ok"; path: string }
  | { state: "skipped"; path: string | null; reason: string };

function run(file: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((ok, fail) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (error) fail(Object.assign(error, { stderr: String(stderr) }));
      else ok({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * Decide whether the yardstick can run: `given` is a path, null (never) or
 * undefined (DEFAULT_YARDSTICK under `cwd`, skipped quietly when absent).
 * Needs python3 with numpy on the PATH.
 */
export async function locateYardstick(given: string | null | undefined, cwd: string = process.cwd()): Promise<YardstickStatus> {
  if (given === null) return { state: "skipped", path: null, reason: "disabled" };
  const path = resolve(cwd, given ?? DEFAULT_YARDSTICK);
  if (!existsSync(path)) return { state: "skipped", path, reason: `${path} not found` };
  try {
    await run("python3", ["-c", "import numpy"], 60_000);
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    const reason = err.code === "ENOENT" ? "python3 not found" : "python3 cannot import numpy";
    return { state: "skipped", path, reason };
  }
  return { state: "ok", path };
}

/** Run the yardstick for one size; `reps` timed steps after its own 3 warm-up steps. */
export async function runYardstick(path: string, size: BenchSize, reps: number): Promise<YardstickRow> {
  const args = [
    path, "--model", yardstickModel(size.kind), "--d", String(size.d), "--k", String(size.k),
    "--n", String(size.n), "--reps", String(reps), "--json",
  ];
  const { stdout } = await run("python3", args, 30 * 60_000);
  const rows = JSON.parse(stdout) as YardstickRow[];
  if (!Array.isArray(rows) || rows.length !== 1) throw new Error(`yardstick: expected one JSON row, got ${stdout.slice(0, 200)}`);
  return rows[0];
}
