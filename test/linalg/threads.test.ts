import { describe, expect, it } from "vitest";
import { packedRowMoments, rankOneMoments, streamRowMoments } from "../../src/linalg/moments.js";
import { packedSize } from "../../src/linalg/packed.js";
import { chunkBoundaries, hRange, hStride, jobLayout, unitCosts, type MomentJob } from "../../src/linalg/threads/chunks.js";
import {
  accumulateMoments, jobWork, momentThreads, readThreadsSwitch, STREAM_FIRST, STREAM_REST, streamBoundaries, streamMoments,
} from "../../src/linalg/threads/share.js";
import { createWasmWorkspace, syrkStrips, wasmAvailable } from "../../src/linalg/wasm/kernels.js";
import * as naive from "./naive.js";
import { TOL, random, relError } from "./naive.js";

const identical = (a: Float64Array, b: Float64Array): boolean =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe("chunkBoundaries", () => {
  it("cuts the units into consecutive chunks that cover them all, each near an equal share of the cost", () => {
    for (const costs of [unitCosts({ kind: "syrk", n: 1, m: 820 }), unitCosts({ kind: "fourth", n: 1, d: 50 }), Float64Array.of(5)]) {
      for (const count of [1, 2, 3, 8]) {
        const b = chunkBoundaries(costs, count);
        expect(b[0]).toBe(0);
        expect(b[b.length - 1]).toBe(costs.length);
        expect(b.length - 1).toBeLessThanOrEqual(count);
        for (let i = 1; i < b.length; i++) expect(b[i]).toBeGreaterThan(b[i - 1]);
        const total = costs.reduce((s, v) => s + v, 0), largest = Math.max(...costs);
        for (let i = 1; i < b.length; i++) {
          const share = costs.slice(b[i - 1], b[i]).reduce((s, v) => s + v, 0);
          expect(share).toBeLessThanOrEqual(total / count + largest);
        }
      }
    }
  });

  it("gives the documented example", () => {
    expect(Array.from(chunkBoundaries(Float64Array.of(3, 2, 1), 2))).toEqual([0, 1, 3]);
  });
});

describe("unitCosts and hRange", () => {
  it("cost a SYRK strip by its tiles from the diagonal on, and a fourth-moment pair by its sums", () => {
    expect(Array.from(unitCosts({ kind: "syrk", n: 9, m: 10 }))).toEqual([3, 2, 1]);
    // d = 2: pairs (0,0), (0,1), (1,1): 1 + (d − b) + (d − b)(d − b + 1)/2
    expect(Array.from(unitCosts({ kind: "fourth", n: 9, d: 2 }))).toEqual([1 + 2 + 3, 1 + 1 + 1, 1 + 1 + 1]);
  });

  it("maps chunks to consecutive whole rows of H that tile it exactly", () => {
    for (const job of [{ kind: "syrk", n: 5, m: 29 }, { kind: "fourth", n: 5, d: 7 }] as MomentJob[]) {
      const b = chunkBoundaries(unitCosts(job), 4);
      const stride = hStride(job);
      let end = 0;
      for (let c = 0; c + 1 < b.length; c++) {
        const [from, to] = hRange(job, b[c], b[c + 1]);
        expect(from).toBe(end);
        expect(from % stride).toBe(0);
        expect(to % stride).toBe(0);
        end = to;
      }
      expect(end).toBe(job.kind === "syrk" ? stride * stride : packedSize(job.d) * stride);
    }
  });
});

describe("PRUNE_SENSE_THREADS", () => {
  it("reads 1, 2 or auto, and names anything else as the problem", () => {
    expect(readThreadsSwitch("1")).toEqual({ threads: 1, problem: null });
    expect(readThreadsSwitch(" 2 ")).toEqual({ threads: 2, problem: null });
    expect(readThreadsSwitch(undefined)).toEqual({ threads: null, problem: null });
    expect(readThreadsSwitch("AUTO")).toEqual({ threads: null, problem: null });
    expect(readThreadsSwitch("4").problem).toBe("PRUNE_SENSE_THREADS=4: expected 1, 2 or auto");
    expect(momentThreads({ PRUNE_SENSE_THREADS: "1" })).toBe(1);
    expect(momentThreads({})).toBeGreaterThanOrEqual(1);
    expect(momentThreads({})).toBeLessThanOrEqual(2);
  });

  it("counts the multiply-adds of a reduction", () => {
    expect(jobWork({ kind: "syrk", n: 4000, m: 820 })).toBe((4000 * 820 * 820) / 2);
    expect(jobWork({ kind: "fourth", n: 10, d: 2 })).toBe(10 * 5); // C(5, 4) sorted fourth moments
  });
});

// The helper is the built dist/linalg/threads/moments-worker.js (npm test builds first).
describe.skipIf(!wasmAvailable)("moments shared with a helper thread (WebAssembly kernels only: skipped on the TypeScript ones)", () => {
  const share = (callerChunks?: number) => ({ threads: 2, minSharedWork: 0, callerChunks });

  it("computes SYRK chunks on the helper and brings its rows back: H is the naive one", () => {
    const n = 150, m = 29, job: MomentJob = { kind: "syrk", n, m };
    const A = random(n * m, "threads:syrk");
    const ws = createWasmWorkspace(jobLayout(job))!;
    const helped = accumulateMoments(job, ws, A, share(0));
    expect(helped).toBe(chunkBoundaries(unitCosts(job), 8).length - 1);
    const H = ws.syrkFinish(ws.arrays.H, m, 1 / n).slice(0, m * m);
    expect(relError(H, naive.moments(A, n, m, new Float64Array(n)).H)).toBeLessThan(TOL);
    expect(syrkStrips(m)).toBeGreaterThan(1);
  });

  for (const callerChunks of [0, 1, 3, undefined]) {
    it(`gives bit-identical SYRK moments with one thread or two (caller takes ${callerChunks ?? "any"} chunks)`, () => {
      const n = 131, m = 37;
      const A = random(n * m, "threads:bits:A"), y = random(n, "threads:bits:y");
      const one = packedRowMoments(A, n, m, y, { threads: 1 });
      const two = packedRowMoments(A, n, m, y, share(callerChunks));
      expect(identical(two.H, one.H)).toBe(true);
      expect(identical(two.b, one.b)).toBe(true);
      expect(two.c).toBe(one.c);
    });

    it(`gives bit-identical fourth moments with one thread or two (caller takes ${callerChunks ?? "any"} chunks)`, () => {
      const n = 301, d = 7;
      const X = random(n * d, "threads:four:X"), y = random(n, "threads:four:y");
      const one = rankOneMoments(X, n, d, y, { threads: 1 });
      const two = rankOneMoments(X, n, d, y, share(callerChunks));
      expect(identical(two.H, one.H)).toBe(true);
      const x = random(packedSize(d), "threads:four:x");
      expect(identical(two.symv(x, new Float64Array(x.length)), one.symv(x, new Float64Array(x.length)))).toBe(true);
    });
  }

  it("stays on the calling thread below the work threshold, and when one thread is asked for", () => {
    const job: MomentJob = { kind: "fourth", n: 20, d: 3 };
    const X = random(20 * 3, "threads:small");
    expect(accumulateMoments(job, createWasmWorkspace(jobLayout(job))!, X, { threads: 2 })).toBe(0);
    expect(accumulateMoments(job, createWasmWorkspace(jobLayout(job))!, X, { threads: 1, minSharedWork: 0, callerChunks: 0 })).toBe(0);
  });

  it("reduces rows on the helper while they are still being written (a stream): the same bits as afterwards", () => {
    const n = 200, m = 37, job: MomentJob = { kind: "syrk", n, m };
    const stream = streamMoments(job, share())!;
    expect(stream.rows.buffer).toBeInstanceOf(SharedArrayBuffer); // the helper reads them without a copy
    const A = random(n * m, "threads:stream:A");
    for (let i0 = 0; i0 < n; i0 += 64) { // panel by panel, as drawSensingMeasurements reports them
      const end = Math.min(n, i0 + 64);
      stream.rows.set(A.subarray(i0 * m, end * m), i0 * m);
      stream.publish(end);
    }
    const ws = createWasmWorkspace(jobLayout(job))!;
    // every chunk the helper's (the caller takes none here)
    expect(accumulateMoments(job, ws, stream.rows, share(0))).toBe(streamBoundaries(unitCosts(job)).length - 1);
    const one = packedRowMoments(A, n, m, random(n, "y"), { threads: 1 });
    expect(identical(ws.syrkFinish(ws.arrays.H, m, 1 / n).slice(0, m * m), one.H)).toBe(true);
  });

  it("collects a stream through packedRowMoments, and computes it here if its helper never began", () => {
    const n = 131, m = 29;
    const A = random(n * m, "threads:stream2:A"), y = random(n, "threads:stream2:y");
    const one = packedRowMoments(A, n, m, y, { threads: 1 });
    for (const callerChunks of [0, undefined]) {
      const stream = streamRowMoments(n, m, share(callerChunks))!;
      stream.rows.set(A);
      stream.publish(n);
      const two = packedRowMoments(stream.rows, n, m, y, share(callerChunks));
      expect(identical(two.H, one.H)).toBe(true);
      expect(identical(two.b, one.b)).toBe(true);
    }
  });

  it("cuts a stream into a first chunk of STREAM_FIRST of the work (the helper's, while rows are drawn) and STREAM_REST more", () => {
    for (const job of [{ kind: "syrk", n: 100, m: 820 }, { kind: "syrk", n: 100, m: 37 }, { kind: "fourth", n: 100, d: 7 }] as MomentJob[]) {
      const costs = unitCosts(job);
      const b = streamBoundaries(costs);
      expect(b[0]).toBe(0);
      expect(b[b.length - 1]).toBe(costs.length);
      for (let i = 1; i < b.length; i++) expect(b[i]).toBeGreaterThan(b[i - 1]);
      expect(b.length - 1).toBeLessThanOrEqual(1 + STREAM_REST);
      const total = costs.reduce((x, y) => x + y, 0);
      const first = costs.slice(0, b[1]).reduce((x, y) => x + y, 0);
      expect(first / total).toBeGreaterThanOrEqual(STREAM_FIRST);
      expect(b.length - 1).toBeGreaterThan(1);
    }
    // a job of one unit: one chunk
    expect(Array.from(streamBoundaries([5]))).toEqual([0, 1]);
  });

  it("lets the caller take the stream's chunks the helper has not begun, with the same bits", () => {
    const n = 131, m = 37, job: MomentJob = { kind: "syrk", n, m };
    const A = random(n * m, "threads:stream3:A");
    const one = packedRowMoments(A, n, m, random(n, "y"), { threads: 1 });
    const stream = streamMoments(job, share())!;
    stream.rows.set(A);
    stream.publish(n);
    const ws = createWasmWorkspace(jobLayout(job))!;
    const helped = accumulateMoments(job, ws, stream.rows, share());
    expect(helped).toBeLessThanOrEqual(streamBoundaries(unitCosts(job)).length - 1);
    expect(identical(ws.syrkFinish(ws.arrays.H, m, 1 / n).slice(0, m * m), one.H)).toBe(true);
  });

  it("streams nothing when no helper would be used", () => {
    expect(streamRowMoments(10, 5, { threads: 1 })).toBeNull();
    expect(streamRowMoments(10, 5)).toBeNull(); // far below MIN_SHARED_WORK
  });

  it("computes the helper's share itself when the helper fails, with the same bits", () => {
    const n = 131, m = 37, job: MomentJob = { kind: "syrk", n, m };
    const A = random(n * m, "threads:fail:A");
    const one = packedRowMoments(A, n, m, random(n, "y"), { threads: 1 });
    process.env.PRUNE_SENSE_TEST_INJECT_BUG = "helper"; // the helper inherits the environment it is started with
    try {
      const ws = createWasmWorkspace(jobLayout(job))!;
      expect(accumulateMoments(job, ws, A, share(0))).toBe(0); // no chunk came from the helper
      expect(identical(ws.syrkFinish(ws.arrays.H, m, 1 / n).slice(0, m * m), one.H)).toBe(true);
      const stream = streamMoments(job, share())!;
      stream.rows.set(A);
      stream.publish(n);
      const ws2 = createWasmWorkspace(jobLayout(job))!;
      expect(accumulateMoments(job, ws2, stream.rows, share(0))).toBe(0);
      expect(identical(ws2.syrkFinish(ws2.arrays.H, m, 1 / n).slice(0, m * m), one.H)).toBe(true);
    } finally {
      delete process.env.PRUNE_SENSE_TEST_INJECT_BUG;
    }
  });
});
