/**
 * The `run` command as a user meets it: reproducible outputs whatever --jobs,
 * shards that merge into the unsharded result, resume after SIGKILL, diverging
 * runs recorded, and user errors as one line with exit code 2.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { cli, cliAsync, readCsv, summaryWithoutSeconds, tempDir, type CliResult } from "./cli.js";

const TINY = "test/fixtures/configs/tiny-sweep.yaml";

/** Every file under dir (relative path → content), result.json without its seconds, provenance time and own checksum (which covers both). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else if (name === "summary.csv") out[rel] = summaryWithoutSeconds(join(dir, rel));
      else if (name === "result.json") out[rel] = readFileSync(join(dir, rel), "utf8").replace(/"seconds": [0-9.e+-]+/, "").replace(/"time": "[^"]*"/, "").replace(/"sha256": "[0-9a-f]{64}"\n\}\n$/, "");
      else out[rel] = readFileSync(join(dir, rel), "utf8");
    }
  };
  walk("");
  return out;
}

describe("prune-sense run", () => {
  let one: string, two: string;
  let r1: CliResult, r2: CliResult;
  beforeAll(() => {
    one = tempDir("jobs1");
    two = tempDir("jobs2");
    r1 = cli(["run", TINY, "--out", one, "--jobs", "1"]);
    r2 = cli(["run", TINY, "--out", two, "--jobs", "2"]);
  }, 240_000);

  it("writes the contract's files: summary.csv and per-run config, trace and columns", () => {
    expect(r1.code).toBe(0);
    const rows = readCsv(join(one, "summary.csv"));
    expect(rows).toHaveLength(12);
    expect(Object.keys(rows[0]).slice(0, 21)).toEqual([
      "run_id", "status", "problem", "d", "r", "k", "n", "noise", "lambda", "beta", "threshold", "relative_threshold",
      "seed", "kept_columns", "train_loss", "test_loss", "recovery_error_trained", "test_loss_trained",
      "recovery_error_pruned", "recovery_error", "finetune_rate",
    ]);
    expect(Object.keys(rows[0]).slice(-2)).toEqual(["train.lambda", "prune.threshold"]);
    const id = rows[0].run_id;
    expect(readFileSync(join(one, "runs", id, "trace.csv"), "utf8").split("\n")[0]).toBe(
      "phase,step,train_loss,test_loss,objective,recovery_error,grad_norm,columns",
    );
    const columns = readCsv(join(one, "runs", id, "columns.csv"));
    expect(new Set(columns.map((c) => c.stage))).toEqual(new Set(["init", "trained", "pruned", "finetuned"]));
    // pruned and finetuned list the kept columns only, under their original indices
    const kept = Number(rows[0].kept_columns);
    const trained = columns.filter((c) => c.stage === "trained");
    const pruned = columns.filter((c) => c.stage === "pruned");
    expect(trained).toHaveLength(Number(rows[0].k));
    expect(pruned).toHaveLength(kept);
    expect(columns.filter((c) => c.stage === "finetuned")).toHaveLength(kept);
    for (const p of pruned) {
      expect(p.kept).toBe("1");
      expect(p.norm).toBe(trained.find((t) => t.column === p.column)!.norm);
    }
    expect(trained.filter((t) => t.kept === "1").map((t) => t.column)).toEqual(pruned.map((p) => p.column));
    const config = JSON.parse(readFileSync(join(one, "runs", id, "config.json"), "utf8"));
    expect(config.train.lambda).toBe(Number(rows[0].lambda));
  });

  it("gives byte-identical outputs with --jobs 1 and --jobs 2 (the seconds column aside)", () => {
    expect(r2.code).toBe(0);
    expect(snapshot(two)).toEqual(snapshot(one));
  });

  it("gives the same outputs on a second run of the same config (determinism)", () => {
    const again = tempDir("again");
    expect(cli(["run", TINY, "--out", again, "--jobs", "2"]).code).toBe(0);
    expect(snapshot(again)).toEqual(snapshot(one));
  });

  it("merges shards 1/2 and 2/2 into the unsharded result", () => {
    const shared = tempDir("shards");
    expect(cli(["run", TINY, "--out", shared, "--shard", "1/2"]).code).toBe(0);
    expect(cli(["run", TINY, "--out", shared, "--shard", "2/2"]).code).toBe(0);
    expect(existsSync(join(shared, "summary-shard-1-of-2.csv"))).toBe(true);
    const merged = cli(["merge", shared]);
    expect(merged.code).toBe(0);
    expect(summaryWithoutSeconds(join(shared, "summary.csv"))).toBe(summaryWithoutSeconds(join(one, "summary.csv")));
  });

  it("resumes a sweep killed with SIGKILL, redoing only the unfinished runs", async () => {
    const dir = tempDir("kill");
    // the writer stops itself right after its 3rd run is complete (no dependence on machine speed)
    const marker = join(tempDir("kill-marker"), "paused");
    const child = cliAsync(["run", TINY, "--out", dir, "--jobs", "1"], {
      PRUNE_SENSE_TEST_PAUSE_AT: "after-result:3", PRUNE_SENSE_TEST_PAUSE_MARKER: marker,
    });
    const complete = () => (existsSync(join(dir, "runs")) ? readdirSync(join(dir, "runs")).filter((id) => existsSync(join(dir, "runs", id, "result.json"))) : []);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (existsSync(marker)) {
          clearInterval(timer);
          child.kill("SIGKILL");
          resolve();
        }
      }, 20);
      child.on("exit", () => {
        clearInterval(timer);
        reject(new Error("the sweep finished before it could be killed"));
      });
    });
    await new Promise((resolve) => child.on("exit", resolve));
    const done = complete();
    expect(done.length).toBeLessThan(6);
    const before = Object.fromEntries(done.map((id) => [id, statSync(join(dir, "runs", id, "result.json")).mtimeMs]));
    const resumed = cli(["run", TINY, "--out", dir, "--jobs", "2"]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`${done.length} complete run${done.length === 1 ? "" : "s"} skipped`);
    for (const id of done) expect(statSync(join(dir, "runs", id, "result.json")).mtimeMs).toBe(before[id]);
    const uninterrupted = tempDir("nokill");
    expect(cli(["run", TINY, "--out", uninterrupted, "--jobs", "2"]).code).toBe(0);
    expect(snapshot(dir)).toEqual(snapshot(uninterrupted));
  });

  it("records a diverging run as `diverged` with its step, without crashing", () => {
    const dir = tempDir("diverge");
    const r = cli(["run", "configs/quadratic-net.yaml", "--out", dir, "--set", "train.step_size=0.5", "--set", "train.steps=200", "--set", "finetune.steps=10"]);
    expect(r.code).toBe(0);
    const [row] = readCsv(join(dir, "summary.csv"));
    expect(row.status).toBe("diverged");
    expect(row.diverged_phase).toBe("train");
    expect(Number(row.diverged_step)).toBeGreaterThan(0);
    expect(row.error).toMatch(/^train diverged at step \d+/);
  });

  it("prints the expanded runs with --dry-run and runs nothing", () => {
    const dir = tempDir("dry");
    const r = cli(["run", TINY, "--out", join(dir, "x"), "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`12 runs → ${join(dir, "x")}`);
    expect(r.stdout).toMatch(/^ {3}0 {2}r[0-9a-f]{10} {2}train.lambda=0, prune.threshold=0.05, seed=1$/m);
    expect(existsSync(join(dir, "x"))).toBe(false);
  });
});

describe("user errors", () => {
  it.each([
    [["run", "missing.yaml"], "error: missing.yaml: no such file"],
    [["run", "configs/default.yaml", "--set", "train.lamda=1"], "error: --set train.lamda: unknown key train.lamda (did you mean train.lambda?)"],
    [["run", "configs/default.yaml", "--set", "train.step_size=-0.05"], "error: train.step_size: must be > 0, got -0.05"],
    [["run", "configs/default.yaml", "--shard", "3/2"], "error: --shard 3/2: expected I/N with 1 ≤ I ≤ N, e.g. --shard 1/4"],
    [["run", "configs/default.yaml", "--jobs", "0"], "error: option '-j, --jobs <n>' argument '0' is invalid. expected a positive integer."],
    [["run", "configs/default.yaml", "--frobnicate"], "error: unknown option '--frobnicate'"],
    [["validate", "test"], "error: test: is a directory, expected a YAML or JSON file"],
    [["run", "configs/default.yaml", "--out", "package.json"], "error: package.json: cannot write results here (EEXIST: file already exists)"],
  ])("prune-sense %j prints one line and exits 2", (args, line) => {
    const r = cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toBe(line);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("leaves an existing results folder untouched when the config is invalid", () => {
    const dir = tempDir("keep");
    mkdirSync(join(dir, "runs"));
    writeFileSync(join(dir, "summary.csv"), "precious\n");
    const r = cli(["run", "configs/default.yaml", "--out", dir, "--set", "train.beta=-1"]);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, "summary.csv"), "utf8")).toBe("precious\n");
    expect(readdirSync(dir).sort()).toEqual(["runs", "summary.csv"]);
  });
});

describe("help, version, validate, schema", () => {
  it("shows examples in --help and the package version in --version", () => {
    expect(cli(["--help"]).stdout).toContain("$ prune-sense run configs/default.yaml");
    expect(cli(["run", "--help"]).stdout).toContain("--shard $SLURM_ARRAY_TASK_ID/4");
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(cli(["--version"]).stdout.trim()).toBe(pkg.version);
  });

  it("validates a sweep and prints its run count and the first resolved run", () => {
    const r = cli(["validate", TINY]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`# ${TINY}: valid, 12 runs (sweeping train.lambda, prune.threshold, seed); the first run resolves to:`);
    expect(r.stdout).toContain("lambda: 0\n");
  });

  it("publishes the JSON Schema generated from the validator, as committed in prune-sense.schema.json", () => {
    const r = cli(["schema"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync("prune-sense.schema.json", "utf8"));
    expect(JSON.parse(r.stdout).properties.train.properties.lambda.anyOf[0]).toEqual({ type: "number", minimum: 0 });
  });
});
