/**
 * The data a seed gives: each sample model's draw, replayed by hand from the same
 * stream in its documented order (per row: the row's entries, then the noise draw
 * ξ, with y = signal + σξ). A change of order, scale or sign changes every user's
 * data for a given seed, which breaks the reproduction of earlier results even when
 * the data's distribution stays the same (−σξ, for one, is as Gaussian as +σξ).
 */
import { describe, expect, it } from "vitest";
import { drawGaussianMeasurements } from "../../src/solvers/asymmetric-sensing.js";
import { drawSensingMeasurements } from "../../src/solvers/matrix-sensing.js";
import { drawQuadraticSamples } from "../../src/solvers/quadratic-net.js";
import { packedSize } from "../../src/linalg/packed.js";
import { SYRK_PANEL } from "../../src/linalg/threads/chunks.js";
import { createStream } from "../../src/random/streams.js";
import { randomArray } from "../helpers.js";

const sigma = 0.7;

describe("the order and scale of each model's draws", () => {
  it("matrix sensing: per row the packed entries (diagonal N(0,1), off-diagonal √2·N(0,1)), then ξ", () => {
    const d = 3;
    const m = packedSize(d);
    const n = 7;
    const M = randomArray(d * d, "order-sym");
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) M[i * d + j] = M[j * d + i];
    const data = drawSensingMeasurements(d, n, M, sigma, createStream("order-sensing"));
    const replay = createStream("order-sensing");
    for (let i = 0; i < n; i++) {
      let signal = 0;
      let p = 0;
      for (let a = 0; a < d; a++) {
        for (let b = a; b < d; b++) {
          const v = a === b ? replay.normal() : Math.SQRT2 * replay.normal();
          expect(data.A[i * m + p], `A[${i}, ${p}]`).toBe(v);
          // packed with doubled off-diagonals: ⟨A, M⟩ = Σ_packed v·M_ab
          signal += v * M[a * d + b];
          p++;
        }
      }
      const xi = replay.normal();
      expect(data.y[i] - signal, `noise of row ${i}`).toBeCloseTo(sigma * xi, 12);
    }
  });

  it("asymmetric sensing: per row m iid N(0,1) entries, then ξ", () => {
    const m = 6;
    const n = 9;
    const mstar = randomArray(m, "order-asym");
    const data = drawGaussianMeasurements(m, n, mstar, sigma, createStream("order-asym"));
    const replay = createStream("order-asym");
    for (let i = 0; i < n; i++) {
      let signal = 0;
      for (let p = 0; p < m; p++) {
        const a = replay.normal();
        expect(data.A[i * m + p]).toBe(a);
        signal += a * mstar[p];
      }
      expect(data.y[i] - signal, `noise of row ${i}`).toBeCloseTo(sigma * replay.normal(), 12);
    }
  });

  it("quadratic net: per sample x ~ N(0, I_d), then ξ, with y = ‖U*ᵀx‖² + σξ", () => {
    const [d, r, n] = [4, 2, 8];
    const Ustar = randomArray(d * r, "order-quad");
    const data = drawQuadraticSamples(d, r, n, Ustar, sigma, createStream("order-quad"));
    const replay = createStream("order-quad");
    for (let i = 0; i < n; i++) {
      const x = Array.from({ length: d }, () => replay.normal());
      expect([...data.X.subarray(i * d, (i + 1) * d)]).toEqual(x);
      let teacher = 0;
      for (let j = 0; j < r; j++) {
        let p = 0;
        for (let a = 0; a < d; a++) p += x[a] * Ustar[a * r + j];
        teacher += p * p;
      }
      expect(data.y[i] - teacher, `noise of sample ${i}`).toBeCloseTo(sigma * replay.normal(), 12);
    }
  });
});

describe("matrix sensing's rows as they are drawn", () => {
  // a helper thread reduces each panel of SYRK_PANEL rows while the next is drawn: it must hear
  // of every whole panel, and of the last partial one, only once the rows are written
  it("reports every SYRK_PANEL rows and the last, each after its rows (and their y) are written", () => {
    const d = 2;
    const m = packedSize(d);
    const n = 2 * SYRK_PANEL + 5;
    const A = new Float64Array(n * m);
    const heard: number[] = [];
    const data = drawSensingMeasurements(d, n, Float64Array.of(1, 0, 0, 1), sigma, createStream("rows"), A, (count) => {
      heard.push(count);
      // every row below count is drawn: its entries are no longer the zeros A was made with
      for (let i = 0; i < count; i++) expect(A[i * m] !== 0 || A[i * m + 1] !== 0, `row ${i} before ${count}`).toBe(true);
      expect(A[count * m] ?? 0, `row ${count} not yet drawn`).toBe(0);
    });
    expect(heard).toEqual([SYRK_PANEL, 2 * SYRK_PANEL, n]);
    expect(data.A).toBe(A);
    expect(data.y.every((v) => v !== 0)).toBe(true);
    // a multiple of the panel is reported once, not twice
    const whole: number[] = [];
    drawSensingMeasurements(d, SYRK_PANEL, Float64Array.of(1, 0, 0, 1), 0, createStream("rows"), undefined, (c) => whole.push(c));
    expect(whole).toEqual([SYRK_PANEL]);
  });
});
