import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheDisabled, defaultCacheDir } from "../../src/cache/settings.js";
import { openArrayStore } from "../../src/cache/store.js";
import { HOST } from "../../src/files/owner.js";

const root = mkdtempSync(join(tmpdir(), "prune-sense-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const freshDir = (): string => join(root, `c${count++}`);

const sample = (len: number, seed: number): Float64Array => Float64Array.from({ length: len }, (_, i) => Math.sin(seed + i * 0.731) * 1e3);
const files = (dir: string): string[] => readdirSync(dir).sort();

describe("the array store", () => {
  it("misses on an empty or missing folder", () => {
    expect(openArrayStore(freshDir()).get("k")).toBeNull();
  });

  it("returns exactly the bits it stored (NaN, -0, subnormals included)", () => {
    const store = openArrayStore(freshDir());
    const odd = Float64Array.of(NaN, -0, 5e-324, Infinity, -1.5);
    store.put("key one", { A: sample(1001, 1), odd, c: Float64Array.of(0.1) });
    const got = store.get("key one")!;
    expect(Object.keys(got).sort()).toEqual(["A", "c", "odd"]);
    expect(new Uint8Array(got.A.buffer, got.A.byteOffset, got.A.byteLength)).toEqual(new Uint8Array(sample(1001, 1).buffer));
    expect(Object.is(got.odd[1], -0)).toBe(true);
    expect(Number.isNaN(got.odd[0])).toBe(true);
    expect(got.odd[2]).toBe(5e-324);
    expect(got.c[0]).toBe(0.1);
    expect(store.get("key two")).toBeNull();
  });

  it("treats a file filed under another key as a miss", () => {
    const dir = freshDir();
    const store = openArrayStore(dir);
    store.put("a", { x: sample(10, 2) });
    store.put("b", { x: sample(10, 3) });
    const [fa, fb] = files(dir);
    writeFileSync(join(dir, fb), readFileSync(join(dir, fa))); // one key's file under the other's name
    const hits = [store.get("a"), store.get("b")];
    expect(hits.filter((h) => h === null)).toHaveLength(1);
  });

  it("detects a damaged or truncated file, misses and deletes it", () => {
    const dir = freshDir();
    const store = openArrayStore(dir);
    store.put("k", { x: sample(500, 4) });
    const [f] = files(dir);
    const path = join(dir, f);
    const bytes = readFileSync(path);
    bytes[bytes.length - 100] ^= 0x01; // one bit of the payload
    writeFileSync(path, bytes);
    expect(store.get("k")).toBeNull();
    expect(files(dir)).toEqual([]);

    store.put("k", { x: sample(500, 4) });
    writeFileSync(path, readFileSync(path).subarray(0, 3000)); // a crash mid-copy, say
    expect(store.get("k")).toBeNull();
    store.put("k", { x: sample(500, 4) });
    expect(store.get("k")!.x).toEqual(sample(500, 4));
  });

  it("reads any header of the wrong shape, an empty file or a symlink as a miss, with one warning per key", () => {
    const dir = freshDir();
    const said: string[] = [];
    const store = openArrayStore(dir, undefined, (line) => said.push(line));
    store.put("k", { x: sample(10, 1) });
    const [f] = files(dir);
    const path = join(dir, f);
    const good = readFileSync(path);
    const magic = "prune-sense-arrays-1\n";
    const withHeader = (h: string): Buffer => {
      const padded = h + " ".repeat((8 - ((magic.length + 8 + h.length) % 8)) % 8);
      return Buffer.concat([Buffer.from(magic + String(padded.length).padStart(8, "0") + padded), Buffer.alloc(80)]);
    };
    const cases: Array<[Buffer | "symlink", string]> = [
      [withHeader("null"), "its header is not an object"],
      [withHeader("[1,2]"), "its header is not an object"],
      [withHeader('{"key":"k","arrays":{},"sha256":"x"}'), "its header lacks key, arrays or sha256"],
      [withHeader('{"key":"k","arrays":[null],"sha256":"x"}'), "its header's arrays are not [name, length] pairs"],
      [withHeader('{"key":"k","arrays":[["x",-1]],"sha256":"x"}'), "its header's arrays are not [name, length] pairs"],
      [withHeader('{"key":"k","arrays":[["x",1e300]],"sha256":"x"}'), "its header's arrays are not [name, length] pairs"],
      [withHeader('{"key":"k","arrays":[["x",1]],"sha256":"x"}'), "longer than its header says"],
      [withHeader("{nope"), "its header does not parse"],
      [Buffer.alloc(0), "not a prune-sense cache file (or another version's)"],
      ["symlink", "is a symbolic link"],
    ];
    for (const [bytes, problem] of cases) {
      said.length = 0;
      const fresh = openArrayStore(dir, undefined, (line) => said.push(line));
      if (bytes === "symlink") {
        writeFileSync(join(root, "target.f64"), good);
        symlinkSync(join(root, "target.f64"), path);
      } else writeFileSync(path, bytes);
      expect(fresh.get("k")).toBeNull();
      expect(fresh.get("k")).toBeNull(); // asked again: still one line
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(`cache file ${path} `);
      expect(said[0]).toContain(problem);
      rmSync(path, { force: true });
    }
  });

  it("counts a live writer's temp file against the limit and removes a killed writer's on the next write", () => {
    const dir = freshDir();
    const store = openArrayStore(dir, 20_000);
    store.put("a", { x: sample(1000, 1) }); // ~8.2 kB
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    writeFileSync(join(dir, `x.f64.tmp-${HOST}-${dead}-0.0`), Buffer.alloc(50_000));
    writeFileSync(join(dir, `x.f64.tmp-${HOST}-${process.pid}-0.0`), Buffer.alloc(8_000));
    expect(store.stats()).toMatchObject({ files: 1, temps: 2, goneTemps: 1 });
    store.put("b", { x: sample(1000, 2) }); // 8.2 + 8.2 + 8 kB (live temp) > 20 kB: "a" goes
    expect(files(dir).filter((n) => n.includes(".tmp-"))).toEqual([`x.f64.tmp-${HOST}-${process.pid}-0.0`]);
    expect(files(dir).filter((n) => n.endsWith(".f64"))).toHaveLength(1);
    expect(store.get("a")).toBeNull();
    expect(store.get("b")).not.toBeNull();
  });

  it("evicts the least recently used files past its size limit, a read counting as a use", () => {
    const dir = freshDir();
    const one = 8 * 1000 + 200; // one entry: 1000 doubles and its header
    const store = openArrayStore(dir, 3 * one);
    const ages = new Map<string, number>();
    for (const [i, key] of ["old", "middle", "young"].entries()) {
      store.put(key, { x: sample(1000, i) });
      const f = files(dir).find((name) => !ages.has(name))!;
      ages.set(f, i);
      const t = new Date(Date.now() - (10 - i) * 60_000); // minutes apart, oldest first
      utimesSync(join(dir, f), t, t);
    }
    expect(store.get("old")).not.toBeNull(); // now the most recently used
    store.put("new", { x: sample(1000, 9) }); // four entries: over the limit
    expect(store.get("middle")).toBeNull();
    for (const key of ["old", "young", "new"]) expect(store.get(key)).not.toBeNull();
    expect(store.stats()).toMatchObject({ files: 3, maxBytes: 3 * one });
    expect(store.stats().bytes).toBeLessThanOrEqual(3 * one);
  });

  it("never throws when the folder cannot be made: every use is a miss", () => {
    const blocker = join(root, `file-${count++}`);
    writeFileSync(blocker, "not a folder"); // mkdir fails under it, for root too
    const store = openArrayStore(join(blocker, "prune-sense"));
    expect(() => store.put("k", { x: sample(10, 1) })).not.toThrow();
    expect(store.get("k")).toBeNull();
    expect(store.stats()).toMatchObject({ files: 0, bytes: 0 });
  });

  it("clears every file and reports the count", () => {
    const dir = freshDir();
    const store = openArrayStore(dir);
    store.put("a", { x: sample(4, 1) });
    store.put("b", { x: sample(4, 2) });
    expect(store.clear()).toEqual({ removed: 2, liveTemps: 0 });
    expect(store.stats()).toMatchObject({ files: 0, bytes: 0 });
  });

  it("stays whole with several processes writing and reading one key at once", async () => {
    const dir = freshDir();
    const storeUrl = new URL("../../dist/cache/store.js", import.meta.url).href; // the built module (npm test builds first)
    // each child puts and reads the key 15 times; a read must be a miss or the exact arrays
    const script = `
      const { openArrayStore } = await import(${JSON.stringify(storeUrl)});
      const store = openArrayStore(${JSON.stringify(dir)});
      const x = Float64Array.from({ length: 200000 }, (_, i) => Math.sin(i));
      for (let r = 0; r < 15; r++) {
        store.put("shared", { x });
        const got = store.get("shared");
        if (got && (got.x.length !== x.length || got.x.some((v, i) => v !== x[i]))) { console.error("torn read"); process.exit(1); }
      }`;
    const child = () => new Promise<number>((resolve) => {
      const p = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "inherit", timeout: 60_000 });
      p.on("exit", (code) => resolve(code ?? 1));
    });
    const codes = await Promise.all([child(), child(), child(), child()]);
    expect(codes).toEqual([0, 0, 0, 0]);
    expect(files(dir)).toHaveLength(1); // no temp file left behind
    expect(statSync(join(dir, files(dir)[0])).size).toBeGreaterThan(8 * 200000);
    expect(openArrayStore(dir).get("shared")!.x[1]).toBe(Math.sin(1));
  });
});

describe("where the cache lives", () => {
  it("is $XDG_CACHE_HOME/prune-sense, else ~/.cache/prune-sense; a relative XDG_CACHE_HOME is ignored", () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/x/y" })).toBe("/x/y/prune-sense");
    expect(defaultCacheDir({ HOME: "/home/u" })).toMatch(/\/\.cache\/prune-sense$/);
    expect(defaultCacheDir({ XDG_CACHE_HOME: "x/y" })).toBe(join(homedir(), ".cache", "prune-sense"));
    expect(defaultCacheDir({ XDG_CACHE_HOME: "" })).toBe(join(homedir(), ".cache", "prune-sense"));
  });

  it("is off when PRUNE_SENSE_CACHE=off (what --no-cache sets)", () => {
    expect(cacheDisabled({ PRUNE_SENSE_CACHE: "off" })).toBe(true);
    expect(cacheDisabled({})).toBe(false);
  });
});

describe("the test suite's own cache folder", () => {
  it("is a temp folder, not the user's ~/.cache", () => {
    expect(process.env.XDG_CACHE_HOME).toMatch(/prune-sense-test-cache-/);
  });
});
