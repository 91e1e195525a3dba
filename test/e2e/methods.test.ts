/**
 * Penalties, optimizers and asymmetric sensing through the real binary: minibatch
 * SGD (and momentum) give byte-identical CSVs whatever --jobs, and each method
 * shows its behaviour over several seeds.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, readCsv, summaryWithoutSeconds, tempDir } from "./cli.js";

/** summary.csv without seconds, plus every run's trace.csv and columns.csv. */
function csvs(dir: string): Record<string, string> {
  const out: Record<string, string> = { "summary.csv": summaryWithoutSeconds(join(dir, "summary.csv")) };
  for (const id of readdirSync(join(dir, "runs"))) {
    for (const f of ["trace.csv", "columns.csv"]) out[`${id}/${f}`] = readFileSync(join(dir, "runs", id, f), "utf8");
  }
  return out;
}

describe("minibatch SGD and momentum", () => {
  const folder = tempDir("sgd-config");
  const config = join(folder, "sgd.yaml");
  writeFileSync(config, [
    "name: sgd-jobs",
    "problem: { kind: matrix-sensing, d: 6, r: 1, n: 200, n_test: 50 }",
    "model: { k: 6 }",
    "train: { lambda: 0.1, steps: 400, optimizer: { kind: sgd, batch_size: 16 } }",
    "finetune: { steps: 200, optimizer: { kind: sgd, batch_size: 16 } }",
    "log: { every: 20 }",
    "sweep:",
    "  problem.kind: [matrix-sensing, quadratic-net, asymmetric-sensing]",
    "  finetune.optimizer.kind: [sgd, momentum]",
    "  seed: [1, 2]",
    "",
  ].join("\n"));
  const one = tempDir("sgd-jobs1");
  const two = tempDir("sgd-jobs2");
  const r1 = cli(["run", config, "--out", one, "--jobs", "1"]);
  const r2 = cli(["run", config, "--out", two, "--jobs", "2"]);

  it("gives byte-identical CSVs with --jobs 1 and --jobs 2", () => {
    expect(r1.stderr).not.toMatch(/error/);
    expect([r1.code, r2.code]).toEqual([0, 0]);
    const a = csvs(one);
    expect(Object.keys(a)).toHaveLength(1 + 12 * 2);
    expect(csvs(two)).toEqual(a);
  });

  it("names the swept kinds in the end-of-run table by what they choose, never a bare \"kind\"", () => {
    const header = r1.stdout.split("\n")[0].split(/\s+/);
    expect(header).toEqual(expect.arrayContaining(["problem", "finetune.optimizer.kind"]));
    expect(header).not.toContain("kind");
  });

  it("records the training optimizer in summary.csv, and every run ends ok", () => {
    const rows = readCsv(join(one, "summary.csv"));
    expect(new Set(rows.map((r) => r.optimizer))).toEqual(new Set(["sgd"]));
    expect(new Set(rows.map((r) => r["finetune.optimizer.kind"]))).toEqual(new Set(["sgd", "momentum"]));
    for (const row of rows) expect(row.status).toBe("ok");
  });
});

describe("bundled method configs, over their seeds", () => {
  const out = tempDir("penalties");
  const r = cli(["run", "configs/methods/penalties.yaml", "--out", out, "--jobs", "2"]);
  const rows = r.code === 0 ? readCsv(join(out, "summary.csv")) : [];
  const of = (kind: string) => rows.filter((row) => row.penalty === kind);

  it("runs every penalty over 5 seeds", () => {
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    // the end-of-run table calls the swept train.penalty.kind "penalty", as summary.csv does
    expect(r.stdout.split("\n")[0].split(/\s+/)).toEqual(expect.arrayContaining(["penalty"]));
    expect(r.stdout.split("\n")[0].split(/\s+/)).not.toContain("kind");
    for (const kind of ["smooth-group-lasso", "group-lasso", "weight-decay", "none"]) expect(of(kind)).toHaveLength(5);
  });

  it("keeps r with either group Lasso, with exact zeros for the exact one", () => {
    for (const row of [...of("smooth-group-lasso"), ...of("group-lasso")]) expect(Number(row.kept_columns)).toBe(2);
    for (const row of of("group-lasso")) {
      const trained = readCsv(join(out, "runs", row.run_id, "columns.csv")).filter((c) => c.stage === "trained");
      expect(trained.filter((c) => Number(c.norm) === 0)).toHaveLength(18);
      // no Hessian of a non-smooth objective is reported
      expect(row.hessian_min_eig_trained).toBe("NaN");
    }
  });

  it("keeps at least 3r columns with weight decay or none, and weight decay's trained UUᵀ is within 10% of M*", () => {
    for (const row of [...of("weight-decay"), ...of("none")]) expect(Number(row.kept_columns)).toBeGreaterThanOrEqual(6);
    for (const row of of("weight-decay")) expect(Number(row.recovery_error_trained)).toBeLessThan(0.1);
    for (const row of of("none")) expect(Number(row.lambda)).toBe(0);
  });
});
