/**
 * The data/moments cache as a user meets it: a second run on the same data reads
 * the cache and writes byte-identical CSVs; a damaged cache file is rebuilt;
 * --no-cache neither reads nor writes it; `prune-sense cache` shows and clears it.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, tempDir } from "./cli.js";

const work = tempDir("cache-e2e");
afterAll(() => rmSync(work, { recursive: true, force: true }));
const xdg = join(work, "xdg");
const cacheDir = join(xdg, "prune-sense");
const env = { XDG_CACHE_HOME: xdg };

// m = 300, n = 1200: n·m² ≥ 1e8, so the moments are worth caching
const config = join(work, "cached.yaml");
writeFileSync(config, `seed: 2
problem: { kind: matrix-sensing, d: 24, r: 2, n: 1200, n_test: 100, noise: 0.05 }
model: { k: 8 }
train: { steps: 60, step_size: 0.02 }
finetune: { steps: 20, step_size: 0.02 }
log: { every: 10 }
`);

/** trace.csv and columns.csv of the one run in out. */
function csvs(out: string): string[] {
  const [id] = readdirSync(join(out, "runs"));
  return ["trace.csv", "columns.csv"].map((f) => readFileSync(join(out, "runs", id, f), "utf8"));
}
const cacheFiles = (): string[] => {
  try {
    return readdirSync(cacheDir);
  } catch {
    return [];
  }
};

describe("the moments cache, through the binary", () => {
  it("is not touched with --no-cache", () => {
    const r = cli(["run", config, "--out", join(work, "none"), "--no-cache"], env);
    expect(r.code).toBe(0);
    expect(cacheFiles()).toEqual([]);
  });

  it("is written by a first run and read by the second, with byte-identical CSVs", () => {
    expect(cli(["run", config, "--out", join(work, "cold")], env).code).toBe(0);
    expect(cacheFiles()).toHaveLength(1);
    const file = join(cacheDir, cacheFiles()[0]);
    const written = readFileSync(file);
    expect(cli(["run", config, "--out", join(work, "warm")], env).code).toBe(0);
    expect(readFileSync(file).equals(written)).toBe(true);
    expect(csvs(join(work, "warm"))).toEqual(csvs(join(work, "cold")));
    expect(csvs(join(work, "none"))).toEqual(csvs(join(work, "cold")));
  });

  it("rebuilds a damaged file and still writes the same CSVs", () => {
    const file = join(cacheDir, cacheFiles()[0]);
    const bytes = readFileSync(file);
    bytes[bytes.length - 8] ^= 0xff;
    writeFileSync(file, bytes);
    expect(cli(["run", config, "--out", join(work, "damaged")], env).code).toBe(0);
    expect(csvs(join(work, "damaged"))).toEqual(csvs(join(work, "cold")));
    expect(cacheFiles()).toHaveLength(1);
    expect(readFileSync(join(cacheDir, cacheFiles()[0])).equals(bytes)).toBe(false);
  });

  it("is shown and cleared by `prune-sense cache`", () => {
    const shown = cli(["cache"], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^${cacheDir}: 1 data set, [0-9.]+ MB of 2048\\.0 MB\\n$`));
    const cleared = cli(["cache", "clear"], env);
    expect(cleared.stdout).toBe(`cleared 1 file from ${cacheDir}\n`);
    expect(cacheFiles()).toEqual([]);
    const bad = cli(["cache", "empty"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: cache: unknown action "empty" (expected: clear, or nothing)\n');
  });
});
