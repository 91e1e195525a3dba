/**
 * Deterministic crash points for tests. With
 * `PRUNE_SENSE_TEST_PAUSE_AT=<point>[:N]` and `PRUNE_SENSE_TEST_PAUSE_MARKER=<file>`,
 * the N-th time (default 1) a writer thread reaches `<point>` it writes the
 * marker file and stops its whole process with SIGSTOP, so a test can SIGKILL it
 * exactly there, with no dependence on timing. N counts in the thread that meets
 * the point: for a sweep on workers, the main thread, which places every run's
 * files (sweep/launch.ts). Points:
 *
 * The same points are met by `run` (writing a run) and `merge` (copying one):
 *
 * - `after-temp`: a run's trace.csv temp file is complete, not yet renamed;
 * - `between-run-files`: trace.csv is in place, columns.csv and result.json are not;
 * - `after-result`: result.json is in place (the run is complete), the summary not yet refreshed.
 *
 * And by any command that checks a folder is writable:
 *
 * - `in-probe`: the write probe (`.write-check.tmp-…`) is created, not yet removed.
 *
 * Without the variables this is a no-op.
 */
import { writeFileSync } from "node:fs";

export type PausePoint = "after-temp" | "between-run-files" | "after-result" | "in-probe";

const spec = process.env.PRUNE_SENSE_TEST_PAUSE_AT ?? "";
const [wanted, nth] = spec.split(":");
const target = nth ? Number(nth) : 1;
let seen = 0;

/** Stop here if the test hook asks for this point (see the module comment). */
export function pauseAt(point: PausePoint): void {
  if (!spec || point !== wanted) return;
  seen++;
  if (seen !== target) return;
  const marker = process.env.PRUNE_SENSE_TEST_PAUSE_MARKER;
  if (marker) writeFileSync(marker, `${process.pid}\n`);
  process.kill(process.pid, "SIGSTOP");
}
