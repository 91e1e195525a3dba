/**
 * The separation step (logged column norms, not a re-run) and the diagnostics a
 * finished run carries: columns beyond the r largest still near ε, nothing kept.
 */
import { describe, expect, it } from "vitest";
import { runDiagnostics, separationStep } from "../../src/pipeline/run.js";

const at = (step: number, ...norms: number[]) => ({ step, norms: Float64Array.from(norms) });

describe("separationStep", () => {
  it("is the first logged step from which at most r columns stay ≥ ε to the end", () => {
    // r = 1: three columns grow, two fall back under ε = 0.1 at step 30, one comes back at 40 and leaves at 60
    const logged = [at(0, 0.001, 0.001, 0.001), at(10, 0.5, 0.3, 0.2), at(20, 0.9, 0.2, 0.15), at(30, 1, 0.05, 0.09), at(40, 1, 0.11, 0.05), at(60, 1, 0.02, 0.01), at(80, 1, 0.001, 0.001)];
    expect(separationStep(logged, 0.1, 1)).toBe(60);
    // the start counts when no more than r columns ever pass ε
    expect(separationStep([at(0, 0.01, 0.01), at(10, 0.5, 0.01)], 0.1, 1)).toBe(0);
  });

  it("is NaN when training ends with more than r columns ≥ ε", () => {
    expect(separationStep([at(0, 0.01, 0.01), at(10, 0.5, 0.2)], 0.1, 1)).toBeNaN();
    expect(separationStep([], 0.1, 1)).toBeNaN();
  });
});

describe("runDiagnostics", () => {
  it("says 'not separated' when a column beyond the r largest ends between ε/10 and 10·ε, not for the true columns in that band", () => {
    expect(runDiagnostics(Float64Array.of(0.97, 0.95, 1e-6, 1e-7), 0.1, 2, 4, 2)).toEqual([]);
    expect(runDiagnostics(Float64Array.of(0.97, 0.95, 0.02, 1e-7), 0.1, 2, 4, 2)).toEqual([
      "not separated: 1 of the 2 columns beyond the r = 2 largest end training between ε/10 and 10·ε (ε = 0.1): train longer or raise λ",
    ]);
    // the band's edges count; just outside them does not
    expect(runDiagnostics(Float64Array.of(1, 1, 0.01, 1), 0.1, 2, 4, 2)).toHaveLength(1);
    expect(runDiagnostics(Float64Array.of(2, 2, 0.0099, 1.01), 0.1, 2, 4, 2)).toEqual([]);
    // a rule without an absolute ε (gap, keep): no band to be in
    expect(runDiagnostics(Float64Array.of(1, 1, 0.05), null, 2, 3, 2)).toEqual([]);
  });

  it("says why when pruning keeps 0 columns", () => {
    const lines = runDiagnostics(Float64Array.of(0, 0, 0), 0.1, 0, 3, 2);
    expect(lines).toEqual([expect.stringMatching(/^pruning kept 0 columns: .*dead zone.*raise model\.init_scale or lower λ$/)]);
  });
});
