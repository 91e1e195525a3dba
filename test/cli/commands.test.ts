/**
 * The commands that read or write a results folder, in this thread: status, summarize,
 * plot, init, validate (cache: cache.test.ts). One tiny sweep (2 ε × 2 fine-tuning lengths, one training)
 * is run in-process first and read by the rest.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import chalk, { chalkStderr } from "chalk";
import { runCommand, runMain, tempDir, tinyConfig } from "./harness.js";
import { SCHEMA_FILE } from "../../src/package/assets.js";
import { planRunsFromFile } from "../../src/sweep/plan.js";
import { runSweep } from "../../src/sweep/run-sweep.js";

const GRID = "sweep:\n  prune.threshold: [0.05, 0.1]\n  finetune.steps: [20, 30]\n";
let work: string;
let results: string;

// the shared results come from the library, not the CLI: code run in a hook counts for no test
// under Stryker (it would make src/cli mutants "static" and run every test against them)
beforeAll(async () => {
  work = tempDir();
  results = join(work, "grid");
  const outcome = await runSweep(planRunsFromFile(tinyConfig(work, "grid", GRID), []), results, { jobs: 1, force: false, shard: null, inProcess: true });
  expect(outcome.records.map((r) => r.status)).toEqual(["ok", "ok", "ok", "ok"]);
});

afterEach(() => {
  delete process.env.PRUNE_SENSE_TEST_INJECT_BUG;
  delete process.env.NO_COLOR;
});

describe("status", () => {
  it("counts the runs of each sweep and says the folder is complete, exit 0", async () => {
    const io = await runCommand("status", results);
    expect(io.out).toHaveLength(3);
    expect(io.out[0]).toBe("sweep  plan        added (UTC)       runs  ok  diverged  failed  missing");
    expect(io.out[1]).toMatch(/^grid   [0-9a-f]{10}  \d{4}-\d\d-\d\d \d\d:\d\d     4   4         0       0        0$/);
    expect(io.out[2]).toBe(`complete: every planned run is done (${results})`);
    expect(io.code).toBe(0);
  });

  it("exits 1 while runs are missing, per shard too; --json gives the missing ids", async () => {
    const out = join(work, "half");
    await runCommand("run", tinyConfig(work, "grid", GRID), "--out", out, "--shard", "1/2");
    const io = await runCommand("status", out);
    expect(io.code).toBe(1);
    expect(io.out[io.out.length - 1]).toBe("2 runs missing");
    expect(io.out).toContain("  shard 2/2                                   2   0         0       0        2");
    const json = await runCommand("status", out, "--json");
    expect(json.code).toBe(1);
    const status = JSON.parse(json.out.join("\n"));
    expect(status.complete).toBe(false);
    expect(status.sweeps[0].missing_ids).toHaveLength(2);
    const whole = JSON.parse((await runCommand("status", results, "--json")).out.join("\n"));
    expect(whole).toMatchObject({ dir: results, complete: true, sweeps: [{ name: "grid", runs: 4, ok: 4, missing: 0 }] });
  });
});

describe("merge", () => {
  it("joins shards run into separate folders into --out, run folders included, exit 0", async () => {
    const config = tinyConfig(work, "grid", GRID);
    const a = join(work, "shard-a");
    const b = join(work, "shard-b");
    await runCommand("run", config, "--out", a, "--shard", "1/2");
    await runCommand("run", config, "--out", b, "--shard", "2/2");
    const out = join(work, "merged");
    const io = await runCommand("merge", a, b, "--out", out);
    expect(io.out).toEqual([`4 runs → ${out}/summary.csv`]);
    expect(io.code).toBe(0);
    expect(readdirSync(join(out, "runs")).sort()).toEqual(readdirSync(join(results, "runs")).sort());
    expect((await runCommand("status", out)).code).toBe(0);
  });
});

describe("summarize", () => {
  it("groups by the swept keys but seed by default, writes the CSV and prints the table", async () => {
    const io = await runCommand("summarize", results);
    const file = join(results, "summary-by-prune.threshold+finetune.steps.csv");
    expect(io.info).toEqual([`4 groups of 4 runs; every metric's count, mean, std, min, max → ${file}`]);
    expect(io.out[0].split(/\s+/).slice(0, 3)).toEqual(["prune.threshold", "finetune.steps", "runs"]);
    expect(io.out.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ["0.05", "20", "1"], ["0.05", "30", "1"], ["0.1", "20", "1"], ["0.1", "30", "1"],
    ]);
    const csv = readFileSync(file, "utf8").trim().split("\n");
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^prune\.threshold,finetune\.steps,runs,/);
  });

  it("--by takes a comma list (spaces and empty parts ignored), an empty one groups everything; --out names the file", async () => {
    const io = await runCommand("summarize", results, "--by", " finetune.steps , ", "--out", join(work, "by-steps.csv"));
    expect(io.info).toEqual([`2 groups of 4 runs; every metric's count, mean, std, min, max → ${join(work, "by-steps.csv")}`]);
    expect(io.out.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([["20", "2"], ["30", "2"]]);
    const all = await runCommand("summarize", results, "--by", "");
    expect(all.info).toEqual([`1 group of 4 runs; every metric's count, mean, std, min, max → ${join(results, "summary-by-all.csv")}`]);
    expect(all.out[0].split(/\s+/)[0]).toBe("runs");
    // the runs differ: mean ± sample std (kept 5, 5, 6, 6 on data stream ziggurat-1)
    expect(all.out[1]).toMatch(/^4 +5\.5±0\.577 +[-\d.e]+±[\d.e-]+ /);
    expect(existsSync(join(results, "summary-by-all.csv"))).toBe(true);
  });

  it("refuses an --out it cannot write, in one line and exit 2", async () => {
    const file = join(work, "a-file");
    writeFileSync(file, "");
    const r = await runMain(["summarize", results, "--out", join(file, "x.csv")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${file}: cannot write the summary here (EEXIST: file already exists)\n`);
  });
});

describe("plot", () => {
  it("draws the figures (SVG with --no-png) into DIR/figures or --out, one path a line", async () => {
    const io = await runCommand("plot", results, "--no-png", "--out", join(work, "figs"));
    expect(io.warn).toEqual([]);
    expect(io.out.length).toBeGreaterThan(1);
    for (const f of io.out) {
      expect(f.startsWith(join(work, "figs"))).toBe(true);
      expect(f).toMatch(/\.svg$/);
      expect(existsSync(f)).toBe(true);
    }
    expect(io.out.some((f) => f.includes("column-norms"))).toBe(true);
    expect(readdirSync(join(work, "figs")).some((f) => f.endsWith(".png"))).toBe(false);
  });

  it("selects the single-run figures' run by --run and --where", async () => {
    const id = readFileSync(join(results, "summary.csv"), "utf8").trim().split("\n")[4].split(",")[0];
    // by default into DIR/figures, a PNG beside each SVG (the PNG is what is listed)
    const io = await runCommand("plot", results, "--run", id);
    expect(io.out.filter((f) => /trace-/.test(f))).toEqual([join(results, "figures", `trace-matrix-sensing-${id}.png`)]);
    for (const f of io.out) {
      expect(f).toMatch(/\.png$/);
      expect(existsSync(f)).toBe(true);
      expect(existsSync(f.replace(/\.png$/, ".svg"))).toBe(true);
    }
    const where = await runCommand("plot", results, "--no-png", "--out", join(work, "where"), "--where", "prune.threshold=0.1", "--where", "finetune.steps=20");
    const chosen = readFileSync(join(results, "summary.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","))
      .find((row) => row.at(-2) === "0.1" && row.at(-1) === "20")![0];
    expect(where.out.filter((f) => /trace-/.test(f))).toEqual([join(work, "where", `trace-matrix-sensing-${chosen}.svg`)]);
    const bad = await runMain(["plot", results, "--no-png", "--out", join(work, "none"), "--where", "no-equals-sign"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("no-equals-sign");
  });

  it("warns when no figure applies (every run failed), exit 0", async () => {
    process.env.PRUNE_SENSE_TEST_INJECT_BUG = "run";
    const failed = join(work, "failed");
    await runCommand("run", tinyConfig(work), "--out", failed);
    delete process.env.PRUNE_SENSE_TEST_INJECT_BUG;
    const io = await runCommand("plot", failed, "--no-png");
    expect(io.out).toEqual([]);
    expect(io.warn).toEqual([`${failed}: no figure applies to these runs`]);
    expect(io.code).toBe(0);
  });

  it("prints warnings on stderr after a yellow 'warning:', control characters escaped", async () => {
    process.env.PRUNE_SENSE_TEST_INJECT_BUG = "run";
    const failed = join(work, "fail\u001b[2Jed");
    await runCommand("run", tinyConfig(work), "--out", failed);
    delete process.env.PRUNE_SENSE_TEST_INJECT_BUG;
    const saved = [chalkStderr.level, chalk.level];
    chalkStderr.level = chalk.level = 1;
    try {
      const r = await runMain(["plot", failed, "--no-png"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`\u001b[33mwarning:\u001b[39m ${join(work, "fail\\x1b[2Jed")}: no figure applies to these runs\n`);
    } finally {
      [chalkStderr.level, chalk.level] = saved;
    }
  });

  it("names a folder that is not there, and makes none, exit 2", async () => {
    process.env.NO_COLOR = "1";
    const missing = join(work, "no-such-results");
    const r = await runMain(["plot", missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${missing}: no such folder\n`);
    expect(existsSync(missing)).toBe(false);
  });

  it("reports a folder without runs before making any folder in it, exit 2", async () => {
    process.env.NO_COLOR = "1";
    const empty = join(work, "empty");
    mkdirSync(empty);
    const r = await runMain(["plot", empty]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(readdirSync(empty)).toEqual([]);
  });

  it("refuses a file where DIR/figures should be, exit 2", async () => {
    process.env.NO_COLOR = "1";
    const dir = join(work, "figures-file");
    mkdirSync(dir);
    copyFileSync(join(results, "summary.csv"), join(dir, "summary.csv"));
    writeFileSync(join(dir, "figures"), "");
    const r = await runMain(["plot", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${join(dir, "figures")}: cannot write figures here (EEXIST: file already exists)\n`);
  });

  it("refuses a file as --out before drawing anything, exit 2", async () => {
    const file = join(work, "figs-file");
    writeFileSync(file, "");
    process.env.NO_COLOR = "1";
    const r = await runMain(["plot", results, "--out", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${file}: cannot write figures here (EEXIST: file already exists)\n`);
    expect(r.stdout).toBe("");
  });
});

describe("init", () => {
  it("writes the starter config, prints its path on stdout and the next step on stderr", async () => {
    const dir = join(work, "new", "folder");
    const io = await runCommand("init", dir);
    const path = join(dir, "default.yaml");
    expect(io.out).toEqual([path]);
    expect(io.info).toEqual([`edit it, then: prune-sense run ${path}`]);
    const text = readFileSync(path, "utf8");
    expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_FILE}`);
    expect(parseYaml(text).name).toBe("default");
  });

  it("--from picks a bundled config; an existing file needs --force", async () => {
    const dir = join(work, "from");
    expect((await runCommand("init", dir, "--from", "quadratic-net")).out).toEqual([join(dir, "quadratic-net.yaml")]);
    process.env.NO_COLOR = "1";
    const again = await runMain(["init", dir, "--from", "quadratic-net"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`error: ${join(dir, "quadratic-net.yaml")}: already exists (use --force to overwrite it)\n`);
    expect((await runCommand("init", dir, "--from", "quadratic-net", "--force")).out).toEqual([join(dir, "quadratic-net.yaml")]);
  });

  it("lists the bundled configs in its help", async () => {
    const r = await runMain(["init", "--help"]);
    expect(r.stdout).toMatch(/Bundled configs: default, [\w, /-]*quadratic-net[\w, /-]*paper\/pruning/);
  });

  it("refuses /proc in one line instead of hanging", async () => {
    process.env.NO_COLOR = "1";
    const r = await runMain(["init", "/proc/prune-sense-init"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: /proc/prune-sense-init: cannot write the config here (EACCES: /proc is a kernel file system, not a place for files)\n");
  });
});

describe("validate", () => {
  it("prints the resolved first run, the run count and the memory estimate, and the config's warnings", async () => {
    const config = tinyConfig(work, "warned", "sweep:\n  prune.threshold: [0.05, 0.1]\n");
    writeFileSync(config, readFileSync(config, "utf8").replace("model: { k: 6 }", "model: { k: 1 }"));
    const io = await runCommand("validate", config, "--set", "seed=4", "--max-memory", "8G");
    expect(io.warn).toEqual(["model.k: 1 < problem.r (2): the model cannot fit the ground truth exactly"]);
    expect(io.out[0]).toBe(`# ${config}: valid, 2 runs (sweeping prune.threshold); the first run resolves to:`);
    expect(io.out[1]).toMatch(/^# run_id: r[0-9a-f]{10}$/);
    const resolved = parseYaml(io.out[2]);
    expect(resolved.seed).toBe(4);
    expect(resolved.prune.threshold).toBe(0.05);
    expect(io.out[3]).toMatch(
      /^# estimated memory: up to [\d.]+ [kMG]?B per run \(run r[0-9a-f]{10}\); [\d.]+ [kMG]?B with [12] runs? at once \(--jobs \d+, the default\); limit 8\.\d+ GB per run$/,
    );
    expect(io.out).toHaveLength(4);
  });

  it("names the run that needs the most memory, and what the default --jobs holds at once", async () => {
    const config = tinyConfig(work, "sizes", "sweep:\n  problem.d: [6, 30]\n");
    const ids = (await runCommand("run", config, "--dry-run")).out.slice(1).map((l) => l.trim().split(/\s+/));
    const big = ids.find((l) => l[2] === "problem.d=30")![1];
    const io = await runCommand("validate", config);
    const m = io.out[3].match(/^# estimated memory: up to ([\d.]+) MB per run \(run (r[0-9a-f]{10})\); ([\d.]+) MB with (\d) runs? at once \(--jobs (\d+), the default\)/);
    expect(m).not.toBeNull();
    const [, each, id, atOnce, jobs, defaultJobs] = m!;
    expect(id).toBe(big);
    expect(Number(defaultJobs)).toBe(availableParallelism());
    expect(Number(jobs)).toBe(Math.min(availableParallelism(), 2));
    // the largest runs side by side: more than one run when two fit the default
    if (Number(jobs) === 2) expect(Number(atOnce)).toBeGreaterThan(Number(each));
    else expect(atOnce).toBe(each);
  });

  it("--unset brings a key's default back", async () => {
    const config = tinyConfig(work, "unset", "");
    const io = await runCommand("validate", config, "--unset", "train.steps");
    expect(io.out[0]).toBe(`# ${config}: valid, 1 run; resolves to:`);
    expect(parseYaml(io.out[2]).train.steps).toBe(3000);
    expect(io.out[3]).toMatch(/ with 1 run at once /);
  });
});
