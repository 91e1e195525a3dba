/**
 * The data/moments cache as a user meets it: a second run on the same data reads
 * the cache and writes byte-identical CSVs; a damaged cache file is rebuilt;
 * --no-cache neither reads nor writes it; `prune-sense cache` shows and clears it.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, ROOT, tempDir, withoutDiagnostics } from "./cli.js";

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

describe("two builds that draw data differently", () => {
  it("never share a cache file: another build misses and writes its own, and a file renamed to its key is a miss", () => {
    const xdg2 = join(work, "xdg-builds");
    const dir2 = join(xdg2, "prune-sense");
    const own = readFileSync(join(ROOT, "dist", "bundle", "build-fingerprint.txt"), "utf8");
    expect(own).toMatch(/^[0-9a-f]{64}\n$/); // written by `npm run build`
    // a copy of the built program with another fingerprint: what a change to any data-drawing module gives
    const other = join(work, "other-build");
    mkdirSync(join(other, "dist"), { recursive: true });
    cpSync(join(ROOT, "bin"), join(other, "bin"), { recursive: true });
    cpSync(join(ROOT, "dist", "bundle"), join(other, "dist", "bundle"), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(other, "package.json"));
    symlinkSync(join(ROOT, "node_modules"), join(other, "node_modules"));
    writeFileSync(join(other, "dist", "bundle", "build-fingerprint.txt"), `${"0".repeat(64)}\n`);
    const runOther = (out: string) =>
      spawnSync(process.execPath, [join(other, "bin", "prune-sense.js"), "run", config, "--out", out], {
        cwd: work, encoding: "utf8", timeout: 100_000, env: { ...process.env, NO_COLOR: "1", XDG_CACHE_HOME: xdg2 },
      });

    expect(cli(["run", config, "--out", join(work, "build-a")], { XDG_CACHE_HOME: xdg2 }).code).toBe(0);
    const [fileA] = readdirSync(dir2);
    const first = runOther(join(work, "build-b"));
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).not.toMatch(/warning: .*cache/); // no cache warning (a run may still warn of itself, e.g. not separated)
    const fileB = readdirSync(dir2).find((f) => f !== fileA)!;
    expect(readdirSync(dir2).sort()).toEqual([fileA, fileB].sort()); // its own file, not the first build's
    expect(csvs(join(work, "build-b"))).toEqual(csvs(join(work, "none")));

    // the first build's file under the second build's name: the header's key (the whole key) tells them apart
    writeFileSync(join(dir2, fileB), readFileSync(join(dir2, fileA)));
    const forged = runOther(join(work, "build-c"));
    expect(forged.status, forged.stderr).toBe(0);
    expect(withoutDiagnostics(forged.stderr.split("\n").filter((l) => l.startsWith("warning:")))).toEqual([
      `warning: cache file ${join(dir2, fileB)} is damaged (it holds another key's data); removed; the data are made again`,
    ]);
    expect(csvs(join(work, "build-c"))).toEqual(csvs(join(work, "none")));
    expect(readFileSync(join(dir2, fileB)).equals(readFileSync(join(dir2, fileA)))).toBe(false);
  });
});
