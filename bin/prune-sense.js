#!/usr/bin/env node
// Starts the program, nothing else: all logic lives in src/cli (compiled to dist/, bundled into dist/bundle/).
// Two things happen before the program loads, for start-up time (docs/speed.md): a bare --version is
// answered from package.json, and a `run` starts its worker threads (src/sweep/early.ts).
import { readFileSync, writeSync } from "node:fs";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  try {
    writeSync(1, `${version}\n`);
  } catch {
    // as the program treats its output (src/cli/io.ts keepGoingWhenClosed): a reader that went
    // away (| head -0), a closed terminal (EIO) or a full disk is no reason to fail
  }
} else {
  const started = args[0] === "run" && !args.some((a) => a === "--dry-run" || a === "-h" || a === "--help") ? await startWorkers() : [];
  const { main } = await import("../dist/bundle/main.js");
  main(process.argv, started);
}

/** As many sweep workers as --jobs asks (at most a core each), else one; run's option checks come later. */
async function startWorkers() {
  const { Worker, SHARE_ENV } = await import("node:worker_threads");
  const { availableParallelism } = await import("node:os");
  const url = new URL("../dist/bundle/worker.js", import.meta.url);
  const count = Math.min(requestedJobs() ?? 1, availableParallelism());
  return Array.from({ length: count }, () => {
    // the environment is shared: run sets PRUNE_SENSE_CACHE=off for --no-cache after this
    const started = { worker: new Worker(url, { env: SHARE_ENV }), failure: null };
    started.worker.unref();
    started.worker.on("error", (err) => (started.failure ??= err));
    started.worker.on("exit", (code) => (started.failure ??= new Error(`worker exited with code ${code} before it was used`)));
    return started;
  });
}

/** --jobs N, --jobs=N, -j N or -jN when N is a positive integer, else null. */
function requestedJobs() {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = a === "--jobs" || a === "-j" ? args[i + 1] : a.startsWith("--jobs=") ? a.slice(7) : /^-j\d/.test(a) ? a.slice(2) : undefined;
    if (value !== undefined) return /^[1-9]\d*$/.test(value) ? Number(value) : null;
  }
  return null;
}
