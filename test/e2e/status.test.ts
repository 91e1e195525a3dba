/** `status` on a half-done sharded sweep, and `summarize` through the real binary. */
import { beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cliP, readCsv, tempDir, type CliResult } from "./cli.js";

const TINY = ["test/fixtures/configs/tiny-sweep.yaml", "--set", "train.steps=100", "--set", "finetune.steps=40"];

describe("prune-sense status and summarize", () => {
  const dir = tempDir("status");
  let shard1: CliResult;
  beforeAll(async () => {
    shard1 = await cliP(["run", ...TINY, "--out", dir, "--shard", "1/3"]);
  });

  it("counts a half-done sharded sweep per shard and exits 1 while runs are missing", async () => {
    expect(shard1.code, shard1.stderr).toBe(0);
    const r = await cliP(["status", dir]);
    expect(r.code).toBe(1);
    // the plan's hash and the minute it reached the folder tell apart sweeps of one name
    const time = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d`;
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe("sweep        plan        added (UTC)       runs  ok  diverged  failed  missing");
    expect(lines[1]).toMatch(new RegExp(`^tiny-sweep   [0-9a-f]{10}  ${time}    12   4         0       0        8$`));
    expect(lines.slice(2)).toEqual([
      "  shard 1/3                                   4   4         0       0        0",
      "  shard 2/3                                   4   0         0       0        4",
      "  shard 3/3                                   4   0         0       0        4",
      "8 runs missing",
    ]);
    const json = JSON.parse((await cliP(["status", dir, "--json"])).stdout);
    expect(json.complete).toBe(false);
    expect(json.sweeps[0]).toMatchObject({ name: "tiny-sweep", runs: 12, ok: 4, missing: 8 });
    expect(json.sweeps[0].plan).toMatch(/^[0-9a-f]{10}$/);
    expect(readdirSync(join(dir, "sweeps"))).toEqual([`0001-${json.sweeps[0].plan}.json`]);
    expect(Date.now() - Date.parse(json.sweeps[0].added)).toBeLessThan(10 * 60_000);
    expect(json.sweeps[0].missing_ids).toHaveLength(8);
    expect(json.sweeps[0].shards.map((s: { missing: number }) => s.missing)).toEqual([0, 4, 4]);
  });

  it("reports complete and exits 0 once every shard has run", async () => {
    expect((await cliP(["run", ...TINY, "--out", dir, "--shard", "2/3"])).code).toBe(0);
    expect((await cliP(["run", ...TINY, "--out", dir, "--shard", "3/3"])).code).toBe(0);
    const r = await cliP(["status", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").pop()).toBe(`complete: every planned run is done (${dir})`);
  });

  it("names a folder that does not exist, exit 2 (not an internal error)", async () => {
    const r = await cliP(["status", join(dir, "nope")]);
    expect(r.stderr.trim()).toBe(`error: ${join(dir, "nope")}: no such folder`);
    expect(r.code).toBe(2);
  }, 10_000);

  it("names a folder that is not a results folder, exit 2", async () => {
    const r = await cliP(["status", join(dir, "runs")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`error: ${join(dir, "runs")}: not a results folder (no sweep plan: sweeps/ or sweep.json), nor a folder of results folders`);
  });

  it("summarizes the merged sweep by λ and ε over seeds, matching the rows by hand", async () => {
    expect((await cliP(["merge", dir])).code).toBe(0);
    const r = await cliP(["summarize", dir, "--by", "lambda,threshold"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^lambda {2}threshold {2}runs {2}kept_columns/);
    expect(Math.max(...r.stdout.trimEnd().split("\n").map((l) => l.length))).toBeLessThanOrEqual(80);
    const rows = readCsv(join(dir, "summary.csv"));
    const table = readCsv(join(dir, "summary-by-lambda+threshold.csv"));
    expect(table).toHaveLength(4);
    const kept = rows.filter((x) => x.lambda === "0" && x.threshold === "0.1").map((x) => Number(x.kept_columns));
    const g = table.find((x) => x.lambda === "0" && x.threshold === "0.1")!;
    const mean = (kept[0] + kept[1] + kept[2]) / 3;
    expect(Number(g.runs)).toBe(3);
    expect(Number(g.kept_columns_mean)).toBeCloseTo(mean, 12);
    expect(Number(g.kept_columns_min)).toBe(Math.min(...kept));
    expect(Number(g.kept_columns_max)).toBe(Math.max(...kept));
    expect(Number(g.kept_columns_std)).toBeCloseTo(Math.sqrt(kept.reduce((a, k) => a + (k - mean) ** 2, 0) / 2), 12);
    expect(readFileSync(join(dir, "summary-by-lambda+threshold.csv"), "utf8").split("\n")[0]).toContain("finetune_rate_std");
  });
});

describe("status and summarize of sweeps of one name, and of a folder of results folders", () => {
  const parent = tempDir("folders");
  const tiny = (out: string, ...sets: string[]) =>
    cliP(["run", "configs/default.yaml", "--out", join(parent, out), "--set", "problem.d=6", "--set", "problem.r=2", "--set", "problem.n=200",
      "--set", "train.steps=30", "--set", "finetune.steps=10", "--jobs", "1", ...sets.flatMap((s) => ["--set", s])]);
  beforeAll(async () => {
    // x: two sweeps both named "default" (k listed 10 before 2); y: one run
    for (const r of [await tiny("x", "model.k=10,2", "seed=1"), await tiny("x", "model.k=10,2", "seed=2"), await tiny("y")]) expect(r.code, r.stderr).toBe(0);
  });

  it("status tells apart two sweeps named alike by their plan hash", async () => {
    const r = await cliP(["status", join(parent, "x")]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split("\n").filter((l) => l.startsWith("default "));
    expect(rows).toHaveLength(2);
    const plans = rows.map((l) => l.split(/\s+/)[1]);
    expect(new Set(plans).size).toBe(2);
    expect(readdirSync(join(parent, "x", "sweeps")).sort()).toEqual([`0001-${plans[0]}.json`, `0002-${plans[1]}.json`]);
  });

  it("summarize sorts the groups by their keys, numbers in numeric order", async () => {
    const r = await cliP(["summarize", join(parent, "x"), "--by", "k"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n").slice(1, 3).map((l) => l.split(/\s+/)[0])).toEqual(["2", "10"]);
    expect(readCsv(join(parent, "x", "summary-by-k.csv")).map((row) => row.k)).toEqual(["2", "10"]);
  });

  it("status and summarize read a folder of results folders (reproduce's output) one level down", async () => {
    const s = await cliP(["status", parent]);
    expect(s.code, s.stderr).toBe(0);
    const lines = s.stdout.trimEnd().split("\n");
    expect(lines.filter((l) => l.endsWith(":"))).toEqual([`${join(parent, "x")}:`, `${join(parent, "y")}:`]);
    expect(lines.filter((l) => l.startsWith("  complete: "))).toHaveLength(2);
    const json = JSON.parse((await cliP(["status", parent, "--json"])).stdout);
    expect(json).toMatchObject({ dir: parent, complete: true });
    expect(json.folders.map((f: { dir: string }) => f.dir)).toEqual([join(parent, "x"), join(parent, "y")]);
    const m = await cliP(["summarize", parent]);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout.split("\n").filter((l) => l.endsWith(":"))).toEqual([`${join(parent, "x")}:`, `${join(parent, "y")}:`]);
    expect(readCsv(join(parent, "y", "summary-by-all.csv"))).toHaveLength(1);
    const out = await cliP(["summarize", parent, "--out", join(parent, "one.csv")]);
    expect(out.code).toBe(2);
    expect(out.stderr.trim()).toBe(`error: --out ${join(parent, "one.csv")}: ${parent} holds 2 results folders, each summarized into its own folder; give one of them with --out`);
  });
});
