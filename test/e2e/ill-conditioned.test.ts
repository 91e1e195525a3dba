/**
 * Beyond κ = 1, through the real binary: configs/ill-conditioned.yaml, changing only
 * problem.* and seed, keeps exactly r columns and recovers M* for κ = 2, 5, 10 and
 * every kind (d = 8, r = 3 to keep the test short; the README's table has d = 20 and 40);
 * the erasure warning fires where the stationarity bound says it should; and the
 * keep / gap pruning rules work from the command line.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { cli, readCsv, tempDir, withoutDiagnostics } from "./cli.js";

const PROBLEM = ["problem.d=8", "problem.n=840", "problem.n_test=100", "problem.kappa=2,5,10", "seed=1,2,3,4,5"];

function sets(list: string[]): string[] {
  return list.flatMap((s) => ["--set", s]);
}

describe.each([["matrix-sensing"], ["quadratic-net"], ["population"]])("configs/ill-conditioned.yaml, %s", (kind) => {
  const out = tempDir(`ill-${kind}`);
  const r = cli(["run", "configs/ill-conditioned.yaml", ...sets([`problem.kind=${kind}`, ...PROBLEM]), "--out", out, "--jobs", "2"]);
  const rows = readCsv(join(out, "summary.csv"));

  it("runs without the erasure warning", () => {
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
  });

  it("keeps exactly r columns and recovers M* to 1e-6 for κ = 2, 5, 10 over 5 seeds", () => {
    expect(rows).toHaveLength(15);
    expect(new Set(rows.map((row) => row["problem.kappa"]))).toEqual(new Set(["2", "5", "10"]));
    for (const row of rows) {
      expect(row.status).toBe("ok");
      expect(Number(row.kept_columns)).toBe(3);
      expect(Number(row.recovery_error)).toBeLessThan(1e-6);
    }
  });
});

describe("the erasure warning", () => {
  const warningLines = (stderr: string) => withoutDiagnostics(stderr.split("\n").filter((l) => l.startsWith("warning:")));

  it.each([["default.yaml"], ["quadratic-net.yaml"]])("fires for %s at κ = 5, naming λ, β and the scaled config, and the run goes ahead", (config) => {
    const out = tempDir("warn");
    const r = cli(["run", `configs/${config}`, ...sets(["problem.kappa=5", "train.steps=20", "finetune.steps=20"]), "--out", out]);
    expect(r.code).toBe(0);
    const lines = warningLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: train\.lambda, train\.beta: too large against sigma_r: .*configs\/ill-conditioned\.yaml/);
    expect(readCsv(join(out, "summary.csv"))[0].status).toBe("ok");
  });

  it("fires once in validate for a κ sweep, and not at all at κ = 1 or 2", () => {
    expect(warningLines(cli(["validate", "configs/default.yaml", "--set", "problem.kappa=1,5,10"]).stderr)).toHaveLength(1);
    for (const kappa of ["1", "2"]) {
      const r = cli(["validate", "configs/default.yaml", "--set", `problem.kappa=${kappa}`]);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/warning/);
    }
  });
});

describe("pruning rules from the command line", () => {
  const runs = [["prune.keep=r,1"], ["train.lambda=0", "prune.gap=10"], ["prune.gap=10"]].map((extra) => {
    const out = tempDir("rules");
    return { r: cli(["run", "configs/default.yaml", "--out", out, ...sets(["seed=1,2,3,4,5", ...extra]), "--jobs", "2"]), out };
  });
  const rows = runs.flatMap(({ out }) => readCsv(join(out, "summary.csv")));
  const select = (f: (row: Record<string, string>) => boolean) => rows.filter(f);

  it("replace the config's threshold when set with --set, and run", () => {
    for (const { r } of runs) expect(r.code).toBe(0);
    expect(rows).toHaveLength(20);
    for (const row of rows) expect(row.threshold).toBe("");
  });

  it("keep: N keeps exactly N columns (N a count or the formula r) and records the error right after the cut", () => {
    const keepR = select((row) => row.keep === "3");
    const keep1 = select((row) => row.keep === "1");
    expect(keepR).toHaveLength(5);
    expect(keep1).toHaveLength(5);
    for (const row of keepR) expect(Number(row.kept_columns)).toBe(3);
    for (const row of keep1) {
      expect(Number(row.kept_columns)).toBe(1);
      // one of three equal components left: the cut itself loses about √(2/3) of ‖M*‖_F
      expect(Number(row.recovery_error_pruned)).toBeGreaterThan(0.5);
    }
  });

  it("gap: 10 keeps exactly r with the penalty and every column without it", () => {
    const gapRows = select((row) => row.gap === "10");
    const reg = gapRows.filter((row) => Number(row.lambda) > 0);
    const unreg = gapRows.filter((row) => Number(row.lambda) === 0);
    expect(reg).toHaveLength(5);
    expect(unreg).toHaveLength(5);
    for (const row of reg) expect(Number(row.kept_columns)).toBe(3);
    for (const row of unreg) expect(Number(row.kept_columns)).toBeGreaterThan(3 * 3);
  });
});
