/**
 * `prune-sense cache` and `run --no-cache`, on a cache folder of this file's own
 * (XDG_CACHE_HOME, set before any run: other test files share the suite's).
 * The data set is just big enough to be cached (n·m² ≥ MIN_CACHED_WORK, m = d(d+1)/2).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { runCommand, runMain, tempDir } from "./harness.js";

const saved = process.env.XDG_CACHE_HOME;
let home: string;
let work: string;
let config: string;

beforeAll(() => {
  home = tempDir("cache-home-");
  process.env.XDG_CACHE_HOME = home;
  work = tempDir();
  // m = 465, n·m² ≈ 1.1e8: cached
  config = join(work, "cached.yaml");
  writeFileSync(config, "name: cached\nproblem: { kind: matrix-sensing, d: 30, r: 2, n: 500, n_test: 50 }\nmodel: { k: 3 }\ntrain: { steps: 5 }\nfinetune: { steps: 5 }\n");
});
afterEach(() => {
  delete process.env.PRUNE_SENSE_CACHE;
  delete process.env.NO_COLOR;
});
afterAll(() => {
  if (saved === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = saved;
});

describe("cache", () => {
  it("shows the folder, the data sets and their size against the limit; `clear` empties it", async () => {
    const dir = join(home, "prune-sense");
    expect((await runCommand("cache")).out).toEqual([`${dir}: 0 data sets, 0.0 MB of 2048.0 MB`]);
    const nocache = await runCommand("run", config, "--out", join(work, "no-cache"), "--no-cache");
    expect(nocache.code).toBe(0);
    // --no-cache neither writes the cache…
    expect((await runCommand("cache")).out).toEqual([`${dir}: 0 data sets, 0.0 MB of 2048.0 MB`]);
    delete process.env.PRUNE_SENSE_CACHE;
    // …where a run without it does (another seed: another data set), in the background
    expect((await runCommand("run", config, "--out", join(work, "cached"), "--set", "seed=2")).code).toBe(0);
    await vi.waitFor(async () => {
      expect((await runCommand("cache")).out[0]).toMatch(new RegExp(`^${dir}: 1 data set, [1-9]\\d*\\.\\d MB of 2048\\.0 MB$`));
    }, { timeout: 20_000, interval: 100 });
    expect((await runCommand("cache", "clear")).out).toEqual([`cleared 1 file from ${dir}`]);
    expect((await runCommand("cache", "clear")).out).toEqual([`cleared 0 files from ${dir}`]);
    expect((await runCommand("cache")).out).toEqual([`${dir}: 0 data sets, 0.0 MB of 2048.0 MB`]);
  });

  it("names an unknown action, exit 2", async () => {
    process.env.NO_COLOR = "1";
    const r = await runMain(["cache", "purge"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: cache: unknown action "purge" (expected: clear, or nothing)\n');
  });
});
