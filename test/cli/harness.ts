/**
 * The CLI in this thread, for the tests in test/cli: a program built with a recording Io
 * (what a command printed and the exit code it asked for), main() with stdout and stderr
 * captured (the error boundary, colours, exit codes), and tiny configs in temp folders.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import { buildProgram, main } from "../../src/cli/main.js";
import type { Io } from "../../src/cli/io.js";

export interface Recorded {
  out: string[];
  info: string[];
  warn: string[];
  /** The highest exit code a command asked for (0: none). */
  code: number;
  /** What went straight to process.stderr: the progress view (and commander's messages). */
  stderr: string;
}

/** Sees each chunk written to process.stderr while a command runs (e.g. to press Ctrl-C at a point). */
let stderrHook: ((chunk: string) => void) | undefined;
export function onStderr(hook: ((chunk: string) => void) | undefined): void {
  stderrHook = hook;
}

/** Run `prune-sense ARGS` on a recording Io; errors are thrown, not printed (main's job). */
export async function runCommand(...args: string[]): Promise<Recorded> {
  const io: Recorded = { out: [], info: [], warn: [], code: 0, stderr: "" };
  const sink: Io = {
    out: (l) => io.out.push(l), info: (l) => io.info.push(l), warn: (l) => io.warn.push(l),
    setExitCode: (c) => (io.code = Math.max(io.code, c)),
  };
  const argv = ["node", "prune-sense", ...args];
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    io.stderr += String(chunk);
    stderrHook?.(String(chunk));
    return true;
  });
  try {
    await (await buildProgram(sink, argv)).parseAsync(argv);
  } finally {
    err.mockRestore();
  }
  return io;
}

export interface MainResult {
  stdout: string;
  stderr: string;
  /** process.exitCode as main left it (undefined: 0). */
  code: number;
}

/**
 * `prune-sense ARGS` through main(), the binary's entry: stdout and stderr captured,
 * process.exitCode read and reset, and the stdout and stderr listeners main adds removed again.
 */
export async function runMain(args: readonly string[]): Promise<MainResult> {
  let stdout = "";
  let stderr = "";
  const listeners = [...process.stdout.listeners("error"), ...process.stderr.listeners("error")];
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  try {
    await main(["node", "prune-sense", ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const stream of [process.stdout, process.stderr]) {
      for (const l of stream.listeners("error")) if (!listeners.includes(l)) stream.off("error", l as () => void);
    }
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { stdout, stderr, code };
}

/** A fresh temp folder (under the file's TMPDIR, removed after the file: test/setup/temp-dir.ts). */
export function tempDir(prefix = "cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A config small enough to run in milliseconds: matrix sensing, d = 6, r = 2, k = 6,
 * 60 training and 30 fine-tuning steps. A sweep over prune.threshold (or finetune.*)
 * shares one training, so runSweep runs it in this thread, not on workers.
 */
export function tinyConfig(dir: string, name = "cli-tiny", extra = "sweep:\n  prune.threshold: [0.05, 0.1]\n", seed = 1): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
seed: ${seed}
problem: { kind: matrix-sensing, d: 6, r: 2, n: 200, n_test: 50 }
model: { k: 6 }
train: { lambda: 0.1, steps: 60 }
finetune: { steps: 30 }
log: { every: 10 }
${extra}`,
  );
  return file;
}
