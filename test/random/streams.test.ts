/**
 * The normal sampler (src/random/ziggurat.ts) and the streams over it: golden first
 * draws (so the data a seed gives cannot drift silently: a change must come with a new
 * DATA_STREAM), the WebAssembly fast path against the TypeScript twin bit for bit,
 * and the distribution at a fixed seed. Runs in both projects: the ts project draws
 * everything in TypeScript and must give the same goldens.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { createStream, DATA_STREAM, drawRows } from "../../src/random/streams.js";
import { NormalStream, wasmSamplerAvailable, zigguratTables, ZIGGURAT_LAYERS, ZIGGURAT_R, ZIGGURAT_V } from "../../src/random/ziggurat.js";

const sha = (a: Float64Array): string => createHash("sha256").update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest("hex");

/** Normal CDF through erfc (Numerical Recipes' erfcc, relative error < 1.2e-7: far below the KS bound used). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - 0.5 * r : 0.5 * r;
}

describe("the data stream's golden draws (both backends)", () => {
  it("is ziggurat-1", () => {
    expect(DATA_STREAM).toBe("ziggurat-1");
  });

  it("gives the first normals of a fixed key, one by one and in bulk", () => {
    const golden = [0.1945941469242016, -0.5671381894688998, -1.6503293353468016, 0.16567187742148423,
      -0.5527012258614131, 0.7335319714313059, -0.15360565834049247, 0.9114627794407677];
    const s = createStream("golden");
    expect(Array.from({ length: 8 }, () => s.normal())).toEqual(golden);
    expect([...createStream("golden").fillNormal(new Float64Array(8))]).toEqual(golden);
  });

  it("gives the same 100,000 normals (their sha256; wedges and tail included)", () => {
    const draws = createStream("golden").fillNormal(new Float64Array(100_000));
    expect(sha(draws)).toBe("4dbf604040ea03710c94c1b1a30932395dd329be9369df6c2393670f01f0bd69");
  });

  it("draws uniforms as alea does (word/2³², seeded by seedrandom)", () => {
    const alea = seedrandom.alea("prune-sense/golden");
    const s = createStream("golden");
    for (let i = 0; i < 1000; i++) expect(s.uniform()).toBe(alea());
    expect(createStream("golden").uniform()).toBe(0.13888708222657442);
  });

  it("the tables: 256 layers from r and v, X decreasing to 0, equal areas", () => {
    const { X, F } = zigguratTables;
    expect(X.length).toBe(ZIGGURAT_LAYERS + 1);
    expect(X[1]).toBe(ZIGGURAT_R);
    expect(X[ZIGGURAT_LAYERS]).toBe(0);
    for (let i = 0; i < ZIGGURAT_LAYERS; i++) expect(X[i + 1]).toBeLessThan(X[i]);
    // layer i ≥ 1 has area X_i·(f(X_{i+1}) − f(X_i)) = v; the top one closes at f = 1 to rounding
    for (let i = 1; i < ZIGGURAT_LAYERS; i++) expect(Math.abs(X[i] * (F[i + 1] - F[i]) - ZIGGURAT_V)).toBeLessThan(1e-12);
  });
});

describe("WebAssembly fast path = TypeScript twin", () => {
  const wasm = wasmSamplerAvailable();
  it(`the backend is what PRUNE_SENSE_KERNELS asks (${process.env.PRUNE_SENSE_KERNELS ?? "auto"})`, () => {
    if (process.env.PRUNE_SENSE_KERNELS === "ts") expect(wasm).toBe(false);
    if (process.env.PRUNE_SENSE_KERNELS === "wasm") expect(wasm).toBe(true);
  });

  it.skipIf(!wasm)(`fill (WebAssembly, bails to the twin) equals normal() one by one, bit for bit${wasm ? "" : " (SKIPPED: no WebAssembly here)"}`, () => {
    for (const key of ["a", "b", "c"]) {
      const n = 200_003; // > the fill's chunk of 32768, and odd
      const bulk = new NormalStream(key).fill(new Float64Array(n), 1, n, 0);
      const twin = new NormalStream(key, false);
      const one = new Float64Array(n);
      for (let i = 0; i < n; i++) one[i] = twin.normal();
      expect(sha(bulk), key).toBe(sha(one));
    }
  });

  it.skipIf(!wasm)(`fill with scale and offset, mixed with normal() and uniform(), as the twin does${wasm ? "" : " (SKIPPED: no WebAssembly here)"}`, () => {
    const a = new NormalStream("mix");
    const b = new NormalStream("mix", false);
    const outA = new Float64Array(5000);
    const outB = new Float64Array(5000);
    let off = 0;
    for (const len of [1, 7, 0, 333, 64, 1999, 2]) {
      a.fill(outA, 0.25, len, off);
      for (let j = 0; j < len; j++) outB[off + j] = 0.25 * b.normal();
      off += len;
      expect(a.uniform()).toBe(b.uniform());
      expect(a.normal()).toBe(b.normal());
    }
    expect(sha(outA)).toBe(sha(outB));
  });

  it("the TypeScript fill (locals) equals normal() one by one", () => {
    const n = 50_001;
    const bulk = new NormalStream("t", false).fill(new Float64Array(n), 2, n, 0);
    const s = new NormalStream("t", false);
    const one = new Float64Array(n);
    for (let i = 0; i < n; i++) one[i] = 2 * s.normal();
    expect(sha(bulk)).toBe(sha(one));
  });
});

describe("the distribution at a fixed seed", () => {
  const n = 1_000_000;
  const z = createStream("goodness-of-fit").fillNormal(new Float64Array(n));

  it("Kolmogorov–Smirnov over 10⁶ draws", () => {
    const s = Float64Array.from(z).sort();
    let D = 0;
    for (let i = 0; i < n; i++) {
      const F = normalCdf(s[i]);
      D = Math.max(D, (i + 1) / n - F, F - i / n);
    }
    // 1.95 is the 99.9% quantile of √n·D (Kolmogorov's distribution): an exact sampler fails at a given seed with probability 0.001
    expect(D).toBeLessThan(1.95 / Math.sqrt(n));
  });

  it("moments up to 4 and the sign", () => {
    let m1 = 0, m2 = 0, m3 = 0, m4 = 0, neg = 0;
    for (const x of z) {
      const x2 = x * x;
      m1 += x; m2 += x2; m3 += x2 * x; m4 += x2 * x2;
      if (x < 0) neg++;
    }
    // each within 4 standard errors (Var of x, x², x³, x⁴ under N(0, 1): 1, 2, 15, 96): p ≈ 6e-5 each
    expect(Math.abs(m1 / n)).toBeLessThan(4 * Math.sqrt(1 / n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(m3 / n)).toBeLessThan(4 * Math.sqrt(15 / n));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n));
    expect(Math.abs(neg / n - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / n));
  });

  it("tail frequencies beyond |z| > 3.5 and beyond r (the tail path)", () => {
    for (const cut of [3.5, ZIGGURAT_R, 4.5]) {
      let count = 0;
      for (const x of z) if (Math.abs(x) > cut) count++;
      const p = 2 * normalCdf(-cut);
      // binomial count within 4 standard deviations (p ≈ 6e-5 two-sided)
      expect(Math.abs(count - n * p), `|z| > ${cut}: ${count} vs ${(n * p).toFixed(1)}`).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)));
    }
  });
});

describe("drawRows", () => {
  it("gives rows of width + 1 in stream order across chunks", () => {
    const [n, width] = [1000, 100]; // 101 values a row: chunks of 324 rows, the last partial
    const seen = new Float64Array(n * (width + 1));
    drawRows(createStream("rows"), n, width, (i, z, o) => seen.set(z.subarray(o, o + width + 1), i * (width + 1)));
    const s = createStream("rows");
    const one = new Float64Array(seen.length);
    for (let i = 0; i < one.length; i++) one[i] = s.normal();
    expect(sha(seen)).toBe(sha(one));
  });
});
