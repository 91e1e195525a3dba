/**
 * main(), the binary's entry and the one error boundary, in this thread: exit codes,
 * the lines users see on stderr, NO_COLOR, PRUNE_SENSE_DEBUG, --version, help, EPIPE.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import chalk, { chalkStderr } from "chalk";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { packageVersion } from "../../src/package/assets.js";
import { runMain, tempDir, tinyConfig } from "./harness.js";
import type { UserError } from "../../src/errors.js";
import { defaultLimits } from "../../src/sweep/limits.js";
import { planRunsFromFile } from "../../src/sweep/plan.js";

const ESC = "\u001b[";
const saved = { NO_COLOR: process.env.NO_COLOR, chalk: chalk.level, chalkStderr: chalkStderr.level };

beforeEach(() => {
  delete process.env.NO_COLOR;
  // as on a colour terminal, whatever runs the tests
  chalk.level = chalkStderr.level = 1;
});
afterEach(() => {
  vi.restoreAllMocks();
  chalk.level = saved.chalk;
  chalkStderr.level = saved.chalkStderr;
  if (saved.NO_COLOR === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = saved.NO_COLOR;
  delete process.env.PRUNE_SENSE_DEBUG;
  delete process.env.PRUNE_SENSE_TEST_INJECT_BUG;
});

describe("colours", () => {
  it("colours the error prefix and the run summary on a colour terminal", async () => {
    const err = await runMain(["validate", "missing.yaml"]);
    expect(err.stderr).toBe(`${ESC}31merror:${ESC}39m missing.yaml: no such file\n`);
    const dir = tempDir();
    const ok = await runMain(["run", tinyConfig(dir, "one", ""), "--out", join(dir, "out")]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`${ESC}32mok${ESC}39m`);
  });

  it("prints no escape sequence at all with NO_COLOR set (any non-empty value)", async () => {
    process.env.NO_COLOR = "1";
    const err = await runMain(["validate", "missing.yaml"]);
    expect(err.stderr).toBe("error: missing.yaml: no such file\n");
    const dir = tempDir();
    const ok = await runMain(["run", tinyConfig(dir, "one", ""), "--out", join(dir, "out")]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/ ok /);
    expect(ok.stdout + ok.stderr).not.toContain("\u001b");
  });

  it("dims notes on stderr (a resumed run says what it skipped)", async () => {
    const dir = tempDir();
    const args = ["run", tinyConfig(dir, "one", ""), "--out", join(dir, "out")];
    await runMain(args);
    const again = await runMain(args);
    expect(again.stderr).toContain(`${ESC}2m1 complete run skipped (resume; --force re-runs them)${ESC}22m\n`);
  });

  it("exits 1 when a run failed", async () => {
    process.env.PRUNE_SENSE_TEST_INJECT_BUG = "run";
    const dir = tempDir();
    const r = await runMain(["run", tinyConfig(dir, "one", ""), "--out", join(dir, "out")]);
    delete process.env.PRUNE_SENSE_TEST_INJECT_BUG;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${ESC}32m0 ok${ESC}39m, ${ESC}31m1 failed${ESC}39m · results in `);
  });

  it("keeps colours when NO_COLOR is empty (no-color.org: present and not empty)", async () => {
    process.env.NO_COLOR = "";
    expect((await runMain(["validate", "missing.yaml"])).stderr).toContain(`${ESC}31merror:`);
  });
});

describe("user errors", () => {
  beforeEach(() => {
    process.env.NO_COLOR = "1";
  });

  it("print every problem of a config, one line each, then exit 2", async () => {
    const dir = tempDir();
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "problem: { d: -1 }\nmodel: { k: 0 }\n");
    const r = await runMain(["validate", file]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).toMatch(/^error: \S/);
    expect(r.stderr).toContain("problem.d");
    expect(r.stderr).toContain("model.k");
    expect(r.stdout).toBe("");
  });

  it("show 40 lines at most, then how many more there are", async () => {
    const dir = tempDir();
    const file = join(dir, "many.yaml");
    const ds = Array.from({ length: 60 }, (_, i) => i + 6);
    writeFileSync(file, `name: many\nproblem: { kind: matrix-sensing, r: 2, n: 200, n_test: 50 }\nsweep:\n  problem.d: [${ds.join(", ")}]\n`);
    // every problem the config has, as the library reports them
    let problems: string[] = [];
    try {
      planRunsFromFile(file, [], { ...defaultLimits(), maxMemory: 1024 });
    } catch (e) {
      problems = (e as UserError).lines;
    }
    expect(problems.length).toBeGreaterThan(41);
    const r = await runMain(["validate", file, "--max-memory", "1K"]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toEqual([...problems.slice(0, 40).map((p) => `error: ${p}`), `error: … and ${problems.length - 40} more`]);
    expect(lines[0]).toMatch(/^error: [\w., ]+: a run needs about .* over the memory limit of 1\.00 kB \(--max-memory\) \(in run problem\.d=/);
  });

  it("show all of 40 lines", async () => {
    const dir = tempDir();
    const file = join(dir, "forty.yaml");
    let ds: number[] = [];
    let problems: string[] = [];
    // the first sweep of d with exactly 40 problems
    for (let n = 30; n < 80 && problems.length !== 40; n++) {
      ds = Array.from({ length: n }, (_, i) => i + 6);
      writeFileSync(file, `name: forty\nproblem: { kind: matrix-sensing, r: 2, n: 200, n_test: 50 }\nsweep:\n  problem.d: [${ds.join(", ")}]\n`);
      try {
        planRunsFromFile(file, [], { ...defaultLimits(), maxMemory: 1024 });
      } catch (e) {
        problems = (e as UserError).lines;
      }
    }
    expect(problems).toHaveLength(40);
    const r = await runMain(["validate", file, "--max-memory", "1K"]);
    expect(r.stderr.trimEnd().split("\n")).toEqual(problems.map((p) => `error: ${p}`));
  });

  it("show no stack unless PRUNE_SENSE_DEBUG is set (an empty value is unset)", async () => {
    process.env.PRUNE_SENSE_DEBUG = "";
    expect((await runMain(["validate", "missing.yaml"])).stderr).toBe("error: missing.yaml: no such file\n");
    process.env.PRUNE_SENSE_DEBUG = "1";
    const debug = await runMain(["validate", "missing.yaml"]);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^error: missing.yaml: no such file\n\w*Error: missing.yaml: no such file\n\s+at /);
  });

  it("escape control characters that commander echoes from the command line", async () => {
    const r = await runMain(["validate", "x.yaml", "--fr\u001b[2Job"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown option '--fr\\x1b[2Job'\n");
  });

  it("name an unknown command, exit 2", async () => {
    const r = await runMain(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown command 'frobnicate'\n");
  });

  it("name a missing argument, exit 2", async () => {
    const r = await runMain(["run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: missing required argument 'config'\n");
  });

  it("report a file where a folder should be as the user's to fix, not a bug", async () => {
    const dir = tempDir();
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const status = await runMain(["status", file]);
    expect(status.code).toBe(2);
    expect(status.stderr).toBe(`error: ${file}: is a regular file, expected a results folder\n`);
    const r = await runMain(["init", join(file, "sub")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*a-file\/sub: cannot write the config here \(ENOTDIR: .*a-file is not a folder\)\n$/);
  });
});

describe("--version", () => {
  it("prints the bare version, exit 0", async () => {
    const r = await runMain(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${packageVersion()}\n`);
    expect((await runMain(["-V"])).stdout).toBe(`${packageVersion()}\n`);
  });

  it("with --verbose (either order) also names Node.js and the kernels", async () => {
    for (const args of [["--version", "--verbose"], ["--verbose", "--version"], ["-V", "--verbose"]]) {
      const r = await runMain(args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout, args.join(" ")).toContain(packageVersion());
      expect(r.stdout, args.join(" ")).toContain(process.version);
      expect(r.stdout.trimEnd().split("\n").length, args.join(" ")).toBeGreaterThan(2);
    }
    // --verbose is not an option of its own
    expect((await runMain(["--verbose"])).code).toBe(2);
  });
});

describe("help", () => {
  it("lists the commands in the order of a session (run first) and examples, exit 0", async () => {
    const r = await runMain(["--help"]);
    expect(r.code).toBe(0);
    const commands = [...r.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]);
    expect(commands).toEqual(["run", "validate", "merge", "plot", "reproduce", "check", "bench", "schema", "cache", "status", "summarize", "init", "plugin", "help"]);
    expect(r.stdout).toContain("Examples:\n  $ prune-sense init ");
    expect(r.stdout).toContain("  $ prune-sense run configs/default.yaml --set train.lambda=0,0.1 --set seed=1,2,3\n");
    expect(r.stdout).toContain("  $ prune-sense reproduce --quick ");
  });

  it("gives every command an example of its use", async () => {
    for (const command of ["run", "validate", "merge", "plot", "reproduce", "check", "bench", "schema", "cache", "status", "summarize", "init"]) {
      const r = await runMain([command, "--help"]);
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toMatch(new RegExp(`\\nExamples?\\b.*\\n(.*\\n)*  \\$ prune-sense ${command}\\b`));
    }
  });

  it("describes every command, argument and option in the command's help", async () => {
    const top = (await runMain(["--help"])).stdout;
    const topLines = top.split("\n");
    expect(topLines[2]).toBe("Group-Lasso training, greedy pruning and fine-tuning for matrix sensing and");
    for (let i = topLines.indexOf("Options:") + 1; topLines[i] !== ""; i++) {
      if (!/^ {3,}/.test(topLines[i])) expect(topLines[i]).toMatch(/^  \S.*? {2,}\S/);
    }
    expect(top).toContain("  -V, --version                 print the version (with --verbose: also Node.js,\n");
    for (const command of ["run", "validate", "merge", "plot", "reproduce", "check", "bench", "schema", "cache", "status", "summarize", "init"]) {
      const help = (await runMain([command, "--help"])).stdout;
      const lines = help.split("\n");
      expect(lines[0], command).toMatch(new RegExp(`^Usage: prune-sense ${command}\\b`));
      // the command's description, under Usage and in the top-level list
      expect(lines[1], command).toBe("");
      expect(lines[2].length, command).toBeGreaterThan(10);
      expect(top, command).toMatch(new RegExp(`\\n  ${command}\\b[^\\n]* {2,}\\S`));
      // each argument of the Usage line is described under Arguments
      const args = [...lines[0].matchAll(/[<[]([\w.]+)(?:\.\.\.)?[>\]]/g)].map((m) => m[1]).filter((a) => a !== "options");
      for (const arg of args) expect(lines, `${command} ${arg}`).toContainEqual(expect.stringMatching(new RegExp(`^  ${arg} {2,}\\S`)));
      // each entry of the Arguments and Options sections: its name, then a description
      for (const section of ["Arguments:", "Options:"]) {
        const start = lines.indexOf(section);
        if (start < 0) continue;
        for (let i = start + 1; i < lines.length && lines[i] !== ""; i++) {
          if (/^ {3,}/.test(lines[i])) continue; // a wrapped description
          expect(lines[i], `${command}: ${lines[i]}`).toMatch(/^  \S.*? {2,}\S/);
        }
      }
    }
  });

  it("documents the run options users reach for", async () => {
    const r = await runMain(["run", "--help"]);
    for (const option of ["--out <dir>", "--set <key=value>", "--unset <key>", "--jobs <n>", "--shard <i/n>", "--force", "--dry-run", "--max-memory <size>", "--max-runs <n>", "--no-cache"]) {
      expect(r.stdout).toContain(option);
    }
  });
});

describe("stdout or stderr closed early (`prune-sense … 2>&1 | head`)", () => {
  it("keeps going on EPIPE or any other write error: later writes to that stream are dropped", async () => {
    const streams = [process.stdout, process.stderr] as const;
    const before = streams.map((s) => s.listeners("error"));
    const writes = streams.map((s) => s.write);
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    await main(["node", "prune-sense", "--version"]);
    vi.restoreAllMocks();
    const added = streams.map((s, i) => s.listeners("error").filter((l) => !before[i].includes(l)));
    expect(added.map((a) => a.length)).toEqual([1, 1]);
    try {
      for (const [i, s] of streams.entries()) {
        const seen: string[] = [];
        s.write = ((chunk: string) => seen.push(chunk)) as typeof s.write;
        s.write("before\n");
        (added[i][0] as (e: Error) => void)(Object.assign(new Error(i ? "write EIO" : "write EPIPE"), { code: i ? "EIO" : "EPIPE" }));
        s.write("after\n");
        expect(seen).toEqual(["before\n"]);
      }
    } finally {
      streams.forEach((s, i) => {
        s.write = writes[i];
        for (const l of added[i]) s.off("error", l as () => void);
      });
    }
    expect(process.exitCode ?? 0).toBe(0);
  });
});
