/**
 * SIGINT (Ctrl-C) and SIGTERM (a job scheduler's stop) end every command at once, and the process
 * ends *of the signal*: a shell reports exit status 130 or 143, and a shell script or loop running
 * prune-sense stops too (bash goes on with the next command when a child that got Ctrl-C exits
 * normally, even with 130). Nothing is lost: every file is written to a temp file and renamed, so an
 * interrupted run is simply absent and the same command resumes.
 *
 * With no listener, Node's own handler does exactly this, even while the thread is blocked (a
 * synchronous wait, a system call). A command that has something to tidy first (a progress bar that
 * hid the cursor, a line saying how to resume) registers it with `onInterrupt` for as long as it
 * runs; it must keep its thread free meanwhile (runs on worker threads, waits that poll), or the
 * listener, which stands in for Node's handler, would only run once the thread is free again.
 */

/** Exit status a shell reports for a process ended by `signal`. */
export const SIGNAL_STATUS: Record<"SIGINT" | "SIGTERM", number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Tidy with `tidy` on SIGINT or SIGTERM, then end of the signal. Returns the function that
 * removes the listener (call it when the command is done).
 */
export function onInterrupt(tidy: (signal: NodeJS.Signals) => void): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    try {
      tidy(signal);
    } finally {
      endBySignal(signal);
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

/**
 * End this process of `signal`: without listeners the signal takes its default action (Node's
 * handler, or the system's), which ends every thread at once, also one blocked in a system call.
 */
function endBySignal(signal: NodeJS.Signals): void {
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.kill(process.pid, signal);
  // another thread may take the signal a moment later: wait for it here rather than run on
  // Stryker disable next-line all: not reached when the signal ends the process
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  // Stryker disable next-line all: not reached when the signal ends the process
  process.exit(SIGNAL_STATUS[signal as keyof typeof SIGNAL_STATUS] ?? 128);
}
