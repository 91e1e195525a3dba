import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openArrayStore } from "../../src/cache/store.js";

const root = mkdtempSync(join(tmpdir(), "prune-sense-store-bg-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const freshDir = (): string => join(root, `c${count++}`);
const sample = (len: number, seed: number): Float64Array => Float64Array.from({ length: len }, (_, i) => Math.cos(seed + i * 0.37));

// A run writes its data set in the background (the I/O threads write while it steps).
describe("putInBackground", () => {
  it("stores exactly what put stores, readable once written, with no temp file left", async () => {
    const dir = freshDir();
    const store = openArrayStore(dir);
    const arrays = { A: sample(20_001, 1), y: sample(7, 2), c: Float64Array.of(-0) };
    store.putInBackground("k", arrays);
    await store.whenWritten();
    const got = store.get("k")!;
    expect(Array.from(got.A)).toEqual(Array.from(arrays.A));
    expect(Array.from(got.y)).toEqual(Array.from(arrays.y));
    expect(Object.is(got.c[0], -0)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith(".tmp"))).toEqual([]);
    const sync = openArrayStore(freshDir());
    sync.put("k", arrays);
    expect(Array.from(sync.get("k")!.A)).toEqual(Array.from(got.A));
  });

  it("never shows a reader a half-written file: before the write ends the key is a miss or whole", async () => {
    const store = openArrayStore(freshDir());
    const big = { A: sample(2_000_000, 3) };
    store.putInBackground("big", big);
    const early = store.get("big");
    if (early) expect(early.A.length).toBe(big.A.length);
    await store.whenWritten();
    expect(store.get("big")!.A.length).toBe(big.A.length);
  });

  it("keeps several writes apart and evicts down to the size limit after them", async () => {
    const dir = freshDir();
    const store = openArrayStore(dir, 3 * 8 * 1000 + 1000);
    for (let i = 0; i < 5; i++) store.putInBackground(`k${i}`, { x: sample(1000, i) });
    await store.whenWritten();
    expect(store.stats().files).toBeLessThanOrEqual(3);
    expect(store.stats().bytes).toBeLessThanOrEqual(3 * 8 * 1000 + 1000);
  });

  it("gives up quietly when the folder cannot be written", async () => {
    // a path under a regular file: mkdir fails with ENOTDIR
    const blocked = openArrayStore(join(import.meta.filename, "cache"));
    expect(() => blocked.putInBackground("k", { x: sample(3, 1) })).not.toThrow();
    await blocked.whenWritten();
    expect(blocked.get("k")).toBeNull();
  });
});
