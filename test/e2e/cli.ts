/** Spawning the real binary, and reading what it wrote. */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCsv } from "../../src/figures/csv.js";

export const ROOT = new URL("../..", import.meta.url).pathname;
export const BIN = join(ROOT, "bin", "prune-sense.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Longest a spawned command may take before it is killed (a hung binary fails its test, never hangs CI). */
/** A run's diagnostic line (src/pipeline/run.ts runDiagnostics, printed by run as a warning), with or without its prefix. */
export const RUN_DIAGNOSTIC = /^(warning: )?r[0-9a-f]{10}: (not separated|pruning kept 0 columns)|^(warning: )?… and \d+ more diagnostics/;
/** Lines less the runs' diagnostics: for tests of other warnings on configs trained too briefly to separate. */
export const withoutDiagnostics = (lines: readonly string[]): string[] => lines.filter((l) => !RUN_DIAGNOSTIC.test(l));

export const CLI_TIMEOUT_MS = 100_000;

/** Run `prune-sense ARGS` from the repository root, as CI does (no TTY, no colour). */
export function cli(args: string[], env: Record<string, string> = {}, timeoutMs = CLI_TIMEOUT_MS): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    // a dry run of a large sweep lists every run (configs/phase-diagram.yaml: 10,800 lines, ~1.3 MB)
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) return { code: null, stdout: r.stdout ?? "", stderr: `${r.stderr ?? ""}\n${r.error.message}` };
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Run `prune-sense ARGS` from the repository root without blocking the test
 * worker (a long spawnSync stalls vitest's own messages on a loaded machine).
 */
export function cliP(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Start `prune-sense ARGS` without waiting (for kill tests). */
export function cliAsync(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: "pipe" });
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `prune-sense-${tag}-`));
}

/** Rows of a CSV file as objects (the project's own CSV reader, from src/figures). */
export function readCsv(path: string): Array<Record<string, string>> {
  return parseCsv(readFileSync(path, "utf8"));
}

/** summary.csv text without its wall-clock `seconds` column (the one non-deterministic cell). */
export function summaryWithoutSeconds(path: string): string {
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  const idx = lines[0].split(",").indexOf("seconds");
  return lines.map((l) => l.split(",").filter((_, i) => i !== idx).join(",")).join("\n");
}
