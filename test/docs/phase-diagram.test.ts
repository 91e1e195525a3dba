/**
 * The README's phase diagram is a real run of configs/phase-diagram.yaml by
 * this version (scripts/phase-diagram.mjs), within the budget, and its
 * committed figures read; generated.test.ts checks the README's sentence is current.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PHASE_DIAGRAM_JSON, phaseDiagramSection, type PhaseDiagramRecord } from "../../src/cli/docs.js";
import { packagePath, packageVersion } from "../../src/package/assets.js";
import { defects } from "../figures/legibility.js";

const text = readFileSync(packagePath(PHASE_DIAGRAM_JSON), "utf8");
const record = JSON.parse(text) as PhaseDiagramRecord;

describe(PHASE_DIAGRAM_JSON, () => {
  it("is a run of this version, of at least 10,000 runs, none failed, with --jobs 2 in at most 10 minutes", () => {
    expect(record.prune_sense).toBe(packageVersion());
    expect(record.command).toBe("prune-sense run configs/phase-diagram.yaml --jobs 2");
    expect(record.runs).toBeGreaterThanOrEqual(10_000);
    // a diverged run is a result (the map's edge, drawn grey); a failed one would be a bug
    expect(record.failed).toBe(0);
    expect(record.ok + record.diverged).toBe(record.runs);
    expect(record.wall_seconds).toBeLessThanOrEqual(600);
  });

  it("counts cells per κ as the config sweeps them (10 λ × 10 ε × 4 k)", () => {
    expect(record.by_kappa.map((b) => [b.kappa, b.cells])).toEqual([[1, 400], [2, 400], [4, 400]]);
  });

  it.each(["phase-kept-matrix-sensing", "phase-error-matrix-sensing"])("docs/figures/%s.svg reads", (name) => {
    expect(defects(readFileSync(packagePath("docs/figures", `${name}.svg`), "utf8"))).toEqual({ text: [], data: [], floats: [], decades: [] });
  });

  it("is what the README says", () => {
    expect(readFileSync(packagePath("README.md"), "utf8")).toContain(phaseDiagramSection(text)[0]);
  });
});
