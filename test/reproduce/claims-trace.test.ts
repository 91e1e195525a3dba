/**
 * Traceability of the claims: one id each (a slug, the anchor claim-ID), the
 * statements of paper.md they cite, each threshold with its reason, and the
 * figures they name drawn by their config in the committed reference run.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CLAIMS, MIN_SLOPE_SEEDS, STATEMENTS, figureShows } from "../../src/reproduce/claims.js";
import { QUICK_OVERRIDES } from "../../src/reproduce/reproduce.js";

const reference = JSON.parse(readFileSync(join(import.meta.dirname, "../../results/reference/reference.json"), "utf8")) as
  Record<string, { figures: Record<string, unknown> }>;

describe("every claim", () => {
  it("has one unique id, a lower-case slug usable as an anchor", () => {
    const ids = CLAIMS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it("cites at least one numbered statement of paper.md, S1–S8", () => {
    for (const c of CLAIMS) {
      expect(c.cites.length, c.id).toBeGreaterThan(0);
      for (const s of c.cites) expect(STATEMENTS, c.id).toContain(s);
    }
  });

  it("gives every threshold a one-line reason", () => {
    for (const c of CLAIMS) {
      expect(c.thresholds.length, c.id).toBeGreaterThan(0);
      for (const t of c.thresholds) {
        expect(t.value.length, c.id).toBeGreaterThan(0);
        expect(t.why.length, `${c.id}: ${t.value}`).toBeGreaterThan(20);
        expect(t.why, c.id).not.toContain("\n");
      }
    }
  });

  it("names figures its config draws in the full reference run", () => {
    const figures = Object.keys(reference.full.figures).map((k) => k.split("/"));
    for (const c of CLAIMS) {
      for (const prefix of c.figures) {
        expect(figures.some(([config, name]) => figureShows({ config: c.config, figures: [prefix] }, config, name)), `${c.id}: ${prefix}`).toBe(true);
      }
    }
  });
});

describe("the quick size", () => {
  it("gives every claim with a bootstrap interval at least MIN_SLOPE_SEEDS seeds (with fewer it must FAIL)", () => {
    for (const config of ["generalization", "noise", "separation"]) {
      const seeds = QUICK_OVERRIDES[config].find((o) => o.startsWith("seed="))!.slice("seed=".length).split(",");
      expect(seeds.length, config).toBeGreaterThanOrEqual(MIN_SLOPE_SEEDS);
    }
  });
});
