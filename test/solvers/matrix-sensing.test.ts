import { describe, expect, it } from "vitest";
import { drawSensingMeasurements } from "../../src/solvers/matrix-sensing.js";
import { packSymmetric, packedRowDots, packedSize } from "../../src/linalg/packed.js";
import { createStream } from "../../src/random/streams.js";
import { randomArray } from "../helpers.js";

function randomSymmetric(d: number, key: string): Float64Array {
  const G = randomArray(d * d, key);
  const X = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) X[i * d + j] = (G[i * d + j] + G[j * d + i]) / 2;
  return X;
}

describe("symmetric Gaussian sensing", () => {
  it("is an isometry on average: mean ⟨A,X⟩² ≈ ‖X‖²_F for symmetric X", () => {
    const d = 6;
    const n = 40000;
    const X = randomSymmetric(d, "iso");
    const zero = new Float64Array(d * d);
    const data = drawSensingMeasurements(d, n, zero, 0, createStream("iso-data"));
    const dots = packedRowDots(data.A, n, packedSize(d), packSymmetric(X, d, new Float64Array(packedSize(d))), new Float64Array(n));
    let mean = 0;
    for (let i = 0; i < n; i++) mean += dots[i] * dots[i];
    mean /= n;
    let fro = 0;
    for (let i = 0; i < d * d; i++) fro += X[i] * X[i];
    // the mean of n chi-square-like terms: relative standard error ≈ sqrt(2/n) ≈ 0.7%
    expect(Math.abs(mean / fro - 1)).toBeLessThan(0.03);
  });

  it("computes y_i = ⟨A_i, M*⟩ + σξ_i with the unpacked A_i = (G + Gᵀ)/2", () => {
    const d = 3;
    const M = randomSymmetric(d, "y");
    const data = drawSensingMeasurements(d, 5, M, 0, createStream("y-data"));
    const m = packedSize(d);
    for (let i = 0; i < 5; i++) {
      // rebuild A_i from its packed, off-diagonal-doubled row
      let p = 0;
      let inner = 0;
      for (let a = 0; a < d; a++) {
        for (let b = a; b < d; b++) {
          const v = data.A[i * m + p++];
          const Aab = a === b ? v : v / 2;
          inner += a === b ? Aab * M[a * d + b] : 2 * Aab * M[a * d + b];
        }
      }
      expect(data.y[i]).toBeCloseTo(inner, 12);
    }
  });

  it("shares the first n measurements with a larger draw from the same stream", () => {
    const M = randomSymmetric(4, "prefix");
    const small = drawSensingMeasurements(4, 10, M, 0.5, createStream("prefix"));
    const large = drawSensingMeasurements(4, 30, M, 0.5, createStream("prefix"));
    expect([...large.y.subarray(0, 10)]).toEqual([...small.y]);
  });
});
