/**
 * The committed reference of `reproduce` (results/reference/reference.json):
 * the digest of a reproduction (claims and figure data), reading one size back
 * with a one-line error for each way it can be missing, and writing one size
 * while keeping the other, plus the README's figures for the full size.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../../src/errors.js";
import { figureDigest } from "../../src/reproduce/compare.js";
import { formatReference, readReference, README_FIGURES, REFERENCE_FILE, reproductionDigest, writeReference } from "../../src/reproduce/reference.js";
import type { Reproduction } from "../../src/reproduce/reproduce.js";
import type { FigureFile } from "../../src/figures/render.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "prune-sense-reference-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A figure whose spec holds `values` as its data, and an SVG saying `svg`. */
function figure(name: string, values: number[], svg = `<svg>${name}</svg>`): FigureFile {
  mkdirSync(join(dir, "figs"), { recursive: true });
  const spec = join(dir, "figs", `${name}.vl.json`);
  writeFileSync(spec, JSON.stringify({ layer: [{ data: { values: values.map((value, step) => ({ step, value })) } }] }));
  const path = join(dir, "figs", `${name}.svg`);
  writeFileSync(path, svg);
  return { name, svg: path, png: "", spec };
}

function reproduction(size: "quick" | "full", measured = "ms: kept = r in 3/3 runs"): Reproduction {
  const statement = "s";
  return {
    size,
    configs: [
      { name: "pruning", dir: join(dir, "pruning"), records: [], figures: [figure("column-norms-matrix-sensing", [1, 2]), figure("other", [3])] },
      { name: "kept-grid", dir: join(dir, "kept-grid"), records: [], figures: [figure("kept-heatmap-matrix-sensing", [4])] },
    ],
    claims: [
      { claim: { id: "exact-r", cites: ["S2"], config: "pruning", figures: [], thresholds: [], statement, check: () => ({ measured, holds: true }) }, measured, holds: true },
      { claim: { id: "spread", cites: ["S2"], config: "pruning", figures: [], thresholds: [], statement, check: () => ({ measured: "m", holds: false }) }, measured: "m", holds: false },
    ],
    report: "",
    html: "",
  };
}

const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error("expected a UserError");
};

describe("the digest of a reproduction", () => {
  it("has every claim's config, outcome and measurement, and every figure's data by config/name", () => {
    const r = reproduction("quick");
    expect(reproductionDigest(r)).toEqual({
      claims: {
        "exact-r": { config: "pruning", holds: true, measured: "ms: kept = r in 3/3 runs" },
        spread: { config: "pruning", holds: false, measured: "m" },
      },
      figures: {
        "pruning/column-norms-matrix-sensing": figureDigest(JSON.parse(readFileSync(r.configs[0].figures[0].spec, "utf8"))),
        "pruning/other": figureDigest(JSON.parse(readFileSync(r.configs[0].figures[1].spec, "utf8"))),
        "kept-grid/kept-heatmap-matrix-sensing": figureDigest(JSON.parse(readFileSync(r.configs[1].figures[0].spec, "utf8"))),
      },
    });
  });
});

describe("writing and reading the reference", () => {
  it("round-trips one size, and keeps the other size when writing one", () => {
    const quick = reproduction("quick");
    expect(writeReference(dir, quick)).toEqual([join(dir, REFERENCE_FILE)]);
    expect(readReference(dir, "quick")).toEqual(reproductionDigest(quick));
    const full = reproduction("full", "ms: kept = r in 5/5 runs");
    writeReference(dir, full);
    expect(readReference(dir, "quick")).toEqual(reproductionDigest(quick));
    expect(readReference(dir, "full").claims["exact-r"].measured).toBe("ms: kept = r in 5/5 runs");
    const file = JSON.parse(readFileSync(join(dir, REFERENCE_FILE), "utf8"));
    expect(Object.keys(file.provenance).sort()).toEqual(["full", "quick"]);
  });

  it("copies the README's figures of the full size as NAME.svg, and only those it has", () => {
    expect(README_FIGURES).toContain("pruning/column-norms-matrix-sensing");
    expect(README_FIGURES).toContain("kept-grid/kept-heatmap-matrix-sensing");
    const written = writeReference(dir, reproduction("full"));
    expect(written).toEqual([join(dir, REFERENCE_FILE), join(dir, "column-norms-matrix-sensing.svg"), join(dir, "kept-heatmap-matrix-sensing.svg")]);
    expect(readFileSync(join(dir, "column-norms-matrix-sensing.svg"), "utf8")).toBe("<svg>column-norms-matrix-sensing</svg>");
    expect(existsSync(join(dir, "other.svg"))).toBe(false);
  });

  it("replaces an unreadable reference.json instead of failing", () => {
    writeFileSync(join(dir, REFERENCE_FILE), "{ not json");
    writeReference(dir, reproduction("quick"));
    expect(readReference(dir, "quick").claims.spread.holds).toBe(false);
  });

  it("writes one line per claim and per figure data array", () => {
    const text = formatReference({ quick: { claims: { a: { config: "c", holds: true, measured: "m" } }, figures: { "c/f": [{ at: ".", length: 1, rows: [[0, { x: 1 }]] }] } } });
    expect(text).toBe(
      '{\n "provenance": {},\n "quick": {\n  "claims": {\n   "a": {"config":"c","holds":true,"measured":"m"}\n  },\n' +
        '  "figures": {\n   "c/f": [\n    {"at":".","length":1,"rows":[[0,{"x":1}]]}\n   ]\n  }\n }\n}\n',
    );
    expect(JSON.parse(text)).toEqual({ provenance: {}, quick: { claims: { a: { config: "c", holds: true, measured: "m" } }, figures: { "c/f": [{ at: ".", length: 1, rows: [[0, { x: 1 }]] }] } } });
  });
});

describe("reading a reference that is not there", () => {
  it("says how to write one when the folder has none", () => {
    expect(errorOf(() => readReference(dir, "quick"))).toBe(`--compare ${dir}: no reference.json there (write one with --update-reference ${dir})`);
  });

  it("names a reference.json that is not JSON", () => {
    writeFileSync(join(dir, REFERENCE_FILE), "{ not json");
    expect(errorOf(() => readReference(dir, "quick"))).toMatch(new RegExp(`^${join(dir, REFERENCE_FILE).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not valid JSON \\(.+\\)$`));
  });

  it("says which size is missing and the command that writes it", () => {
    writeFileSync(join(dir, REFERENCE_FILE), JSON.stringify({ full: { claims: {}, figures: {} }, quick: { claims: {} } }));
    const path = join(dir, REFERENCE_FILE);
    expect(errorOf(() => readReference(dir, "quick"))).toBe(`${path}: no reference for the quick size (write one with \`reproduce --quick --update-reference ${dir}\`)`);
    writeFileSync(path, JSON.stringify({ quick: { claims: {}, figures: {} }, full: { figures: {} } }));
    expect(errorOf(() => readReference(dir, "full"))).toBe(`${path}: no reference for the full size (write one with \`reproduce --update-reference ${dir}\`)`);
    expect(readReference(dir, "quick")).toEqual({ claims: {}, figures: {} });
  });
});
