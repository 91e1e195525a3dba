/** `prune-sense plot` through the real binary, on a one-run folder and on a sweep folder. */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./cli.js";

describe("prune-sense plot", () => {
  it("draws a one-run folder: column norms and the trace, as SVG, PNG and spec", () => {
    const dir = tempDir("plot1");
    expect(cli(["run", "configs/default.yaml", "--out", dir, "--set", "train.steps=300", "--set", "finetune.steps=100"]).code).toBe(0);
    const r = cli(["plot", dir]);
    expect(r.code).toBe(0);
    const pngs = r.stdout.trim().split("\n");
    expect(pngs.map((p) => p.split("/").pop())).toEqual([
      "column-norms-matrix-sensing.png",
      expect.stringMatching(/^trace-matrix-sensing-r[0-9a-f]{10}\.png$/),
    ]);
    for (const png of pngs) {
      expect(readFileSync(png).subarray(1, 4).toString()).toBe("PNG");
      expect(readFileSync(png.replace(/\.png$/, ".svg"), "utf8")).toMatch(/^<svg[^>]*>/);
      expect(JSON.parse(readFileSync(png.replace(/\.png$/, ".vl.json"), "utf8")).$schema).toContain("vega-lite");
    }
  });

  it("draws the kept-columns heatmap and the k curve of a sweep folder, SVG only with --no-png", () => {
    const dir = tempDir("plot2");
    expect(cli(["run", "test/fixtures/configs/tiny-sweep.yaml", "--out", dir, "--set", "model.k=4,8"]).code).toBe(0);
    const out = join(dir, "figs");
    const r = cli(["plot", dir, "--out", out, "--no-png"]);
    expect(r.code).toBe(0);
    for (const name of ["column-norms", "kept-heatmap", "kept-vs-k"]) {
      expect(existsSync(join(out, `${name}-matrix-sensing.svg`)), name).toBe(true);
      expect(existsSync(join(out, `${name}-matrix-sensing.png`))).toBe(false);
    }
  });

  it("says which folder is missing", () => {
    const r = cli(["plot", "no/such/dir"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("error: results folder not found: no/such/dir");
  });
});
