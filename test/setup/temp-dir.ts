/**
 * Every test file gets its own temp folder as TMPDIR (so `tmpdir()`, `mkdtempSync` and the
 * binaries the file spawns all write there), removed with everything in it after the file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const outer = process.env.TMPDIR;
const dir = mkdtempSync(join(tmpdir(), "prune-sense-test-"));
process.env.TMPDIR = dir;

afterAll(() => {
  if (outer === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outer;
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});
