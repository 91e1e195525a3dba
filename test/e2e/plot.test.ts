/** `prune-sense plot` through the real binary, on a one-run folder and on a sweep folder. */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, cliP, tempDir, type CliResult } from "./cli.js";

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
    expect(r.stderr.trim()).toBe("error: no/such/dir: no such folder");
  });
});

describe("prune-sense plot chooses its runs and owns its files", () => {
  const dir = tempDir("plot-select");
  let made: CliResult;
  let summary: string[][] = [];
  beforeAll(async () => {
    made = await cliP(["run", "test/fixtures/configs/tiny-sweep.yaml", "--out", dir, "--set", "train.steps=200", "--set", "finetune.steps=60"]);
    summary = readFileSync(join(dir, "summary.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
  });
  const col = (name: string) => summary[0].indexOf(name);
  const idWhere = (lambda: string, eps: string, seed: string) =>
    summary.find((r) => r[col("lambda")] === lambda && r[col("threshold")] === eps && r[col("seed")] === seed)![col("run_id")];
  const subtitle = (file: string) => JSON.stringify(JSON.parse(readFileSync(file, "utf8")).title.subtitle);

  it("states the default pick in the subtitle: smallest seed, then widest k", async () => {
    expect(made.code, made.stderr).toBe(0);
    const r = await cliP(["plot", dir, "--no-png"]);
    expect(r.code, r.stderr).toBe(0);
    const spec = join(dir, "figures", "trace-matrix-sensing.vl.json");
    expect(subtitle(spec)).toContain(`run ${idWhere("0.1", "0.05", "1")} of 12: smallest seed, then widest k (choose with --where or --run)`);
  });

  it("draws the runs --where picks, and replaces the earlier figures it wrote but no one else's", async () => {
    writeFileSync(join(dir, "figures", "notes.txt"), "mine");
    const r = await cliP(["plot", dir, "--no-png", "--where", "train.lambda=0", "--where", "seed=2"]);
    expect(r.code, r.stderr).toBe(0);
    const names = readdirSync(join(dir, "figures")).sort();
    // two runs match (ε = 0.05, 0.1): each gets its own trace, and the earlier trace-matrix-sensing is gone
    expect(names.filter((n) => n.startsWith("trace-"))).toEqual([
      ...[idWhere("0", "0.05", "2"), idWhere("0", "0.1", "2")].sort().flatMap((id) => [`trace-matrix-sensing-${id}.svg`, `trace-matrix-sensing-${id}.vl.json`]),
    ].sort());
    expect(names).toContain("notes.txt");
    expect(subtitle(join(dir, "figures", `trace-matrix-sensing-${idWhere("0", "0.1", "2")}.vl.json`))).toContain("picked with train.lambda=0, seed=2");
  });

  it("draws the run --run names", async () => {
    const id = idWhere("0.1", "0.1", "3");
    const r = await cliP(["plot", dir, "--no-png", "--run", id]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, "figures")).filter((n) => n.startsWith("trace-"))).toEqual([`trace-matrix-sensing-${id}.svg`, `trace-matrix-sensing-${id}.vl.json`]);
    expect(subtitle(join(dir, "figures", "column-norms-matrix-sensing.vl.json"))).toContain(`run ${id}, chosen with --run ${id}`);
  });

  it.each([
    [["--where", "lambda=0.5"], "error: --where lambda=0.5: no run matches (lambda is 0, 0.1)"],
    [["--where", "train.lamda=0"], "error: --where train.lamda=0: no summary column or config key train.lamda in"],
    [["--where", "lamda=0"], "(did you mean lambda?)"],
    [["--where", "lambda"], "error: --where lambda: expected KEY=VALUE, e.g. --where train.lambda=0.1"],
    [["--run", "rnope"], "error: --run rnope: no such run in"],
  ])("refuses %j in one line, exit 2", async (args, message) => {
    const r = await cliP(["plot", dir, "--no-png", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  it("draws what a diverged run logged, marked diverged", async () => {
    const div = tempDir("plot-diverged");
    expect((await cliP(["run", "configs/default.yaml", "--out", div, "--set", "train.step_size=3", "--set", "train.steps=100", "--set", "finetune.steps=10"])).code).toBe(0);
    expect((await cliP(["plot", div, "--no-png"])).code).toBe(0);
    const [name] = readdirSync(join(div, "figures")).filter((n) => n.startsWith("trace-") && n.endsWith(".vl.json"));
    const spec = JSON.parse(readFileSync(join(div, "figures", name), "utf8"));
    expect(spec.title.text).toMatch(/: diverged at step \d+ \(train\)$/);
    const values = spec.layer.find((l: { name: string }) => l.name === "trace").data.values as Array<{ metric: string }>;
    expect(values.length).toBeGreaterThan(0);
    expect(spec.layer.find((l: { name: string }) => l.name === "diverged_rule").data.values).toHaveLength(1);
  });
});
