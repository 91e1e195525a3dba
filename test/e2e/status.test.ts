/** `status` on a half-done sharded sweep, and `summarize` through the real binary. */
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
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
    expect(r.stdout.trim().split("\n")).toEqual([
      "sweep        runs  ok  diverged  failed  missing",
      "tiny-sweep     12   4         0       0        8",
      "  shard 1/3     4   4         0       0        0",
      "  shard 2/3     4   0         0       0        4",
      "  shard 3/3     4   0         0       0        4",
      "8 runs missing",
    ]);
    const json = JSON.parse((await cliP(["status", dir, "--json"])).stdout);
    expect(json.complete).toBe(false);
    expect(json.sweeps[0]).toMatchObject({ name: "tiny-sweep", runs: 12, ok: 4, missing: 8 });
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
    expect(r.stderr.trim()).toBe(`error: ${join(dir, "runs")}: not a results folder (no sweep plan: sweeps/ or sweep.json)`);
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
