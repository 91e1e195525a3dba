/**
 * The sbatch example, run as Slurm would run its array tasks (SLURM_ARRAY_TASK_ID
 * set by hand, no Slurm needed), then merged: equal to the unsharded sweep.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { BIN, CLI_TIMEOUT_MS, ROOT, cli, summaryWithoutSeconds, tempDir } from "./cli.js";

const CONFIG = "test/fixtures/configs/tiny-sweep.yaml";

describe("examples/slurm-sweep.sbatch", () => {
  it("runs one shard per array task, and the merged shards equal the unsharded sweep", () => {
    const shared = tempDir("slurm");
    for (const task of ["1", "2", "3"]) {
      const r = spawnSync("bash", ["examples/slurm-sweep.sbatch"], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: CLI_TIMEOUT_MS,
        env: {
          ...process.env, NO_COLOR: "1", CONFIG, OUT: shared, PRUNE_SENSE: `${process.execPath} ${BIN}`,
          SLURM_ARRAY_TASK_ID: task, SLURM_ARRAY_TASK_COUNT: "3", SLURM_CPUS_PER_TASK: "1",
        },
      });
      expect(r.stderr).not.toMatch(/error/);
      expect(r.status).toBe(0);
    }
    expect(cli(["merge", shared]).code).toBe(0);
    const whole = tempDir("slurm-whole");
    expect(cli(["run", CONFIG, "--out", whole]).code).toBe(0);
    expect(summaryWithoutSeconds(join(shared, "summary.csv"))).toBe(summaryWithoutSeconds(join(whole, "summary.csv")));
  });

  it("refuses to run outside an array task", () => {
    const r = spawnSync("bash", ["examples/slurm-sweep.sbatch"], {
      cwd: ROOT, encoding: "utf8", timeout: CLI_TIMEOUT_MS, env: { ...process.env, SLURM_ARRAY_TASK_ID: "", OUT: tempDir("noslurm") },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("run this as a Slurm array task");
  });
});
