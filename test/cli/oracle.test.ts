/**
 * The oracle baseline as a run option (model.init: oracle): U* in the first r
 * columns, zeros elsewhere, so the run is the rank-r fit from the truth's factor
 * on the same data; summary.csv says which start each run had; k < r is refused.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand, runMain, tempDir } from "./harness.js";

const config = (init: string, k = 8) => `name: oracle
problem: { kind: matrix-sensing, d: 6, r: 2, n: 300, n_test: 50, noise: 0.3 }
model: { k: ${k}, init: ${init} }
train: { lambda: 0, steps: 300 }
finetune: { steps: 100 }
log: { every: 50 }
`;

describe("model.init: oracle", () => {
  it("keeps exactly the r columns of U* (the others stay 0), records init in summary.csv, starts at the truth", async () => {
    const dir = tempDir("oracle-");
    const file = join(dir, "oracle.yaml");
    writeFileSync(file, config("oracle"));
    // one run per command: a single run runs in this thread
    for (const init of ["oracle", "random"]) expect((await runCommand("run", file, "--set", `model.init=${init}`, "--out", join(dir, "out"), "--jobs", "1")).code).toBe(0);
    const [head, ...rows] = readFileSync(join(dir, "out", "summary.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
    const col = (name: string) => head.indexOf(name);
    const byInit = new Map(rows.map((row) => [row[col("init")], row]));
    expect([...byInit.keys()].sort()).toEqual(["oracle", "random"]);
    const oracle = byInit.get("oracle")!;
    // the k − r zero columns are below any ε: pruning keeps U*'s r columns
    expect(Number(oracle[col("kept_columns")])).toBe(2);
    const runDir = join(dir, "out", "runs", oracle[col("run_id")]);
    // U₀ = [U*, 0]: the trace starts at the truth, and the noisy data pull it off (the rank-r estimator)
    const trace = readFileSync(join(runDir, "trace.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
    expect(Number(trace[1][trace[0].indexOf("recovery_error")])).toBeLessThan(1e-12);
    expect(Number(oracle[col("recovery_error")])).toBeGreaterThan(1e-3);
    // the zero columns stay exactly zero through training
    const columns = readFileSync(join(runDir, "columns.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    const trained = columns.filter((c) => c[0] === "trained");
    expect(trained.map((c) => Number(c[2]) > 0)).toEqual([true, true, false, false, false, false, false, false]);
  });

  it("refuses k < r in one line naming model.init, exit 2", async () => {
    const dir = tempDir("oracle-");
    const file = join(dir, "oracle.yaml");
    writeFileSync(file, config("oracle", 1));
    const r = await runMain(["run", file, "--out", join(dir, "out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("model.init: oracle puts U*'s r = 2 columns into U0, so it needs model.k ≥ problem.r, got k = 1");
  });

  it("refuses an unknown start, naming the choices", async () => {
    const dir = tempDir("oracle-");
    const file = join(dir, "oracle.yaml");
    writeFileSync(file, config("truth"));
    const r = await runMain(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/model\.init: .*random.*oracle/);
  });
});
