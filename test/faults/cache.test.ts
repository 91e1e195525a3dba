/**
 * Faults in the data/moments cache, through the binary: every bad entry (damaged,
 * truncated, a header of the wrong shape, a FIFO, a folder, a dangling symlink, a
 * file of another user, a damaged file in a read-only cache) and a cache folder
 * that is a file are a miss with one warning line, never a failed run and never
 * a hang: status ok and the same CSVs as --no-cache. Also: the cache's
 * settings from the environment, and temp files of killed writers.
 */
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, readCsv, withoutDiagnostics } from "../e2e/cli.js";
import { remount, scratch, start, useTmpfs } from "./harness.js";

const work = scratch("cache-faults");
// d = 24, n = 1200: n·m² ≥ 1e8, the smallest sensing data set the runs cache
const config = join(work, "cached.yaml");
writeFileSync(config, `seed: 3
problem: { kind: matrix-sensing, d: 24, r: 2, n: 1200, n_test: 50, noise: 0.05 }
model: { k: 6 }
train: { steps: 20, step_size: 0.02 }
finetune: { steps: 10, step_size: 0.02 }
log: { every: 10 }
`);

let count = 0;
/** trace.csv and columns.csv of the one run in out, and its summary status. */
function outputs(out: string): { csvs: string[]; status: string } {
  const [id] = readdirSync(join(out, "runs"));
  return {
    csvs: ["trace.csv", "columns.csv"].map((f) => readFileSync(join(out, "runs", id, f), "utf8")),
    status: readCsv(join(out, "summary.csv"))[0].status,
  };
}
const warnings = (stderr: string): string[] => stderr.split("\n").filter((l) => l.startsWith("warning:"));

let uncached: string[] = [];
/** The cache file's name for `config` (the SHA-256 of its key: the same in every cache folder). */
let entryName = "";
let goodEntry: Buffer = Buffer.alloc(0);
beforeAll(async () => {
  const none = join(work, "none");
  const xdg = join(work, "good");
  // --no-cache with its own cache folder: the worker bin/ starts before run reads --no-cache still sees it
  const [a, b] = await Promise.all([
    start(["run", config, "--out", none, "--no-cache", "--jobs", "1"], { XDG_CACHE_HOME: join(work, "never") }).done,
    start(["run", config, "--out", join(work, "good-out")], { XDG_CACHE_HOME: xdg }).done,
  ]);
  expect([a.code, b.code]).toEqual([0, 0]);
  expect(existsSync(join(work, "never", "prune-sense")) ? readdirSync(join(work, "never", "prune-sense")) : []).toEqual([]);
  uncached = outputs(none).csvs;
  [entryName] = readdirSync(join(xdg, "prune-sense"));
  goodEntry = readFileSync(join(xdg, "prune-sense", entryName));
});

/** Run the config with its cache in `xdg`; exit 0, status ok, the --no-cache CSVs, and the warning lines. */
async function runWith(xdg: string): Promise<string[]> {
  const out = join(work, `out-${count++}`);
  const r = await start(["run", config, "--out", out], { XDG_CACHE_HOME: xdg }).done; // killed after 100 s: a hang fails

  expect(r.signal, r.stderr).toBe(null);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  const got = outputs(out);
  expect(got.status).toBe("ok");
  expect(got.csvs).toEqual(uncached);
  return withoutDiagnostics(warnings(r.stderr));
}

/** A fresh cache folder whose entry for the config is made by `make(path)`. */
function cacheWith(make: (path: string) => void): { xdg: string; path: string } {
  const xdg = join(work, `xdg-${count++}`);
  mkdirSync(join(xdg, "prune-sense"), { recursive: true });
  const path = join(xdg, "prune-sense", entryName);
  make(path);
  return { xdg, path };
}

/** A cache file's bytes with `header` (any JSON text) as its header, padded as the store pads it. */
function withHeader(header: string): Buffer {
  const magic = "prune-sense-arrays-1\n";
  const padded = header + " ".repeat((8 - ((magic.length + 8 + header.length) % 8)) % 8);
  return Buffer.concat([Buffer.from(magic + String(padded.length).padStart(8, "0") + padded), Buffer.alloc(64)]);
}

describe("a bad cache entry is a miss with one warning line, the run ok and its CSVs those of --no-cache", () => {
  it.each([
    ["a header that is JSON null", (p: string) => writeFileSync(p, withHeader("null")), /is damaged \(its header is not an object\); removed/],
    ["a truncated entry", (p: string) => writeFileSync(p, goodEntry.subarray(0, 5000)), /is damaged \(truncated\); removed/],
    ["a folder", (p: string) => mkdirSync(p), /is a folder, not a cache file; not used/],
    ["a dangling symlink", (p: string) => symlinkSync(join(work, "nowhere"), p), /is a symbolic link, not a cache file; not used/],
    ["a FIFO (no writer ever opens it)", (p: string) => {
      const r = spawnSync("mkfifo", [p]);
      expect(r.status).toBe(0);
    }, /is a FIFO \(named pipe\), not a cache file; not used/],
  ])("%s", async (_what, make, line) => {
    const { xdg, path } = cacheWith(make);
    const lines = await runWith(xdg);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^warning: cache file ${path} `));
    expect(lines[0]).toMatch(line);
  });

  it("a damaged entry is replaced by a good one, which the next run reads without a word", async () => {
    const { xdg, path } = cacheWith((p) => writeFileSync(p, withHeader("null")));
    expect(await runWith(xdg)).toHaveLength(1);
    expect(readFileSync(path).equals(goodEntry)).toBe(true);
    expect(await runWith(xdg)).toEqual([]);
  });

  it("a cache folder that is a file: one line naming it, every run ok", async () => {
    const xdg = join(work, `xdg-${count++}`);
    mkdirSync(xdg);
    writeFileSync(join(xdg, "prune-sense"), "not a folder");
    expect(await runWith(xdg)).toEqual([`warning: cache folder ${join(xdg, "prune-sense")} is not a folder (ENOTDIR); data sets are not cached`]);
  });

  it.skipIf(process.getuid?.() !== 0)("a valid entry owned by another user is not trusted (forging from another account)", async () => {
    const { xdg, path } = cacheWith((p) => writeFileSync(p, goodEntry));
    chownSync(path, 65534, 65534);
    const lines = await runWith(xdg);
    expect(lines).toEqual([`warning: cache file ${path} is damaged (belongs to another user (uid 65534), not trusted); removed; the data are made again`]);
    expect(statSync(path).uid).toBe(0); // rewritten by this user
  });
});

const tmpfs = useTmpfs("16m");
describe.skipIf(!tmpfs.root)("a damaged entry in a read-only cache", () => {
  afterAll(() => remount(tmpfs.root, "rw"));
  it("is a miss with one line saying it cannot be removed (EROFS); the run is ok, and so is the next", async () => {
    const xdg = tmpfs.root;
    mkdirSync(join(xdg, "prune-sense"));
    const path = join(xdg, "prune-sense", entryName);
    writeFileSync(path, withHeader("null"));
    remount(xdg, "ro");
    const line = `warning: cache file ${path} is damaged (its header is not an object); not used, and it cannot be removed (EROFS); the data are made again`;
    expect(await runWith(xdg)).toEqual([line]);
    expect(await runWith(xdg)).toEqual([line]); // not a failed run that later runs skip
  });
});
if (!tmpfs.root) {
  describe("read-only cache tests", () => {
    it.skip(`skipped: ${tmpfs.reason}`, () => {});
  });
}

describe("the cache's settings from the environment", () => {
  it.each([
    ["abc", ["cache"]], ["", ["cache"]], ["0", ["cache", "clear"]], ["12Q", ["run", config, "--out", join(work, "never")]],
  ])("PRUNE_SENSE_CACHE_MAX_BYTES=%j: exit 2, one line naming it", (value, args) => {
    const r = cli(args, { PRUNE_SENSE_CACHE_MAX_BYTES: value });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: PRUNE_SENSE_CACHE_MAX_BYTES=${value}: expected a size such as 512M, 8G or 1e9 (bytes) (unset: 2G; PRUNE_SENSE_CACHE=off turns the cache off)\n`,
    );
  });

  it("PRUNE_SENSE_CACHE_MAX_BYTES takes --max-memory's sizes", () => {
    const xdg = join(work, `xdg-${count++}`);
    for (const [value, shown] of [["512M", "512.0 MB"], ["1.5GiB", "1536.0 MB"]]) {
      const r = cli(["cache"], { XDG_CACHE_HOME: xdg, PRUNE_SENSE_CACHE_MAX_BYTES: value });
      expect(r.stdout).toBe(`${join(xdg, "prune-sense")}: 0 data sets, 0.0 MB of ${shown}\n`);
    }
  });

  it("a relative XDG_CACHE_HOME is ignored (XDG spec): the cache is ~/.cache/prune-sense", () => {
    const home = join(work, "home");
    const r = cli(["cache"], { XDG_CACHE_HOME: "relative/cache", HOME: home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${join(home, ".cache", "prune-sense")}: 0 data sets, 0.0 MB of 2048.0 MB\n`);
  });
});

describe("temp files of cache writers", () => {
  const host = hostname().replace(/[^A-Za-z0-9.]+/g, "_") || "host";
  const deadPid = (): number => spawnSync(process.execPath, ["-e", ""], { timeout: 30_000 }).pid!;

  it("`cache` counts them; `cache clear` removes those of killed writers and leaves a live writer's", () => {
    const xdg = join(work, `xdg-${count++}`);
    const dir = join(xdg, "prune-sense");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, entryName), goodEntry);
    const dead = join(dir, `${entryName}.tmp-${host}-${deadPid()}-0.0`);
    const legacy = join(dir, `.tmp-${deadPid()}-0123456789ab`); // the name 0.1.0 gave them
    const live = join(dir, `${entryName}.tmp-${host}-${process.pid}-0.0`);
    for (const f of [dead, legacy, live]) writeFileSync(f, Buffer.alloc(1024 ** 2));
    const mb = (goodEntry.length + 3 * 1024 ** 2) / 1024 ** 2;
    const shown = cli(["cache"], { XDG_CACHE_HOME: xdg });
    expect(shown.stdout).toBe(
      `${dir}: 1 data set, ${mb.toFixed(1)} MB of 2048.0 MB, including 3 temp files (3.0 MB, 2 of killed writers: \`cache clear\` removes them)\n`,
    );
    const cleared = cli(["cache", "clear"], { XDG_CACHE_HOME: xdg });
    expect(cleared.stdout).toBe(`cleared 3 files from ${dir}; 1 temp file of running writers left to them\n`);
    expect(readdirSync(dir)).toEqual([live.slice(dir.length + 1)]);
  });

  it("a run's write removes killed writers' temp files and counts live ones against the size limit", async () => {
    const xdg = join(work, `xdg-${count++}`);
    const dir = join(xdg, "prune-sense");
    mkdirSync(dir, { recursive: true });
    const dead = `${entryName}.tmp-${host}-${deadPid()}-0.0`;
    writeFileSync(join(dir, dead), Buffer.alloc(1024 ** 2));
    expect(await runWith(xdg)).toEqual([]);
    expect(readdirSync(dir)).toEqual([entryName]);
  });
});
