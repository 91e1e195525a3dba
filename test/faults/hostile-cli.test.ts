/**
 * Hostile input through the real binary: one line on stderr, exit 2, no stack
 * trace, no raw control character on the terminal, and the output folder never
 * created or touched.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cli, tempDir } from "../e2e/cli.js";

const dir = tempDir("hostile-cli");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Exit 2, exactly one stderr line matching `line`, no stack, no control characters, nothing written to `out`. */
function expectOneLine(args: string[], line: RegExp | string): void {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const r = cli([...args, ...(args[0] === "run" ? ["--out", out] : [])]);
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  if (typeof line === "string") expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  expect(existsSync(out)).toBe(false);
}

describe("hostile input through the binary", () => {
  it.skipIf(!existsSync("/dev/zero"))("refuses /dev/zero at once", () => {
    expectOneLine(["run", "/dev/zero"], "error: /dev/zero: is a character device, expected a YAML or JSON file");
  });

  it("refuses a binary file in one line", () => {
    expectOneLine(["validate", BIN.replace(/bin\/prune-sense\.js$/, "dist/linalg/wasm/kernels.wasm")], /: binary content \(a NUL byte at byte \d+\), expected a YAML or JSON text file$/);
  });

  it("escapes the escape sequences of a key before they reach the terminal", () => {
    const path = file("escapes.yaml", 'train:\n  "\\e]0;pwned\\a\\e[2J\\e[31m": 1\n');
    expectOneLine(["run", path], "error: train.\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31m: unknown key (expected one of lambda, beta, step_size, steps, grad_tol, perturb, penalty, optimizer)");
  });

  it("escapes an unknown option's control characters (commander's own message)", () => {
    const r = cli(["run", "configs/default.yaml", "--\u001b[2J"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("\\x1b[2J");
    expect(r.stderr).not.toContain("\u001b");
  });

  it("refuses a YAML alias bomb", () => {
    let text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]\n`;
    expectOneLine(["run", file("bomb.yaml", text)], /: too many YAML aliases/);
  });

  it("refuses a config whose top level or a section is a tagged collection, instead of running the defaults", () => {
    const rest = "is not supported (a config holds only mappings, lists, text, numbers, true/false and null)";
    const omap = file("omap.yaml", "--- !!omap\n- name: x\n- seed: 3\n");
    expectOneLine(["validate", omap], `error: ${omap}:1:5: (top level): the YAML tag !!omap ${rest}`);
    const set = file("set.yaml", "name: x\nproblem: !!set\n  ? d\n");
    expectOneLine(["run", set], `error: ${set}:2:10: problem: the YAML tag !!set ${rest}`);
    const stamp = file("stamp.yaml", "name: !!timestamp 2001-12-14\n");
    expectOneLine(["validate", stamp], `error: ${stamp}:1:7: name: the YAML tag !!timestamp ${rest}`);
  });

  it("says where deep inline nesting is, not \"Maximum call stack size exceeded\"", () => {
    const compact = file("deep-compact.yaml", `${"- ".repeat(5000)}1\n`);
    expectOneLine(["validate", compact], `error: ${compact}:1:65: nesting deeper than 32 levels`);
    const quoted = file("deep-quoted.yaml", `name: it's\nseed: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    expectOneLine(["run", quoted], `error: ${quoted}:2:38: nesting deeper than 32 levels`);
  });

  it("refuses a repeated key in a JSON config, as in YAML", () => {
    const path = file("dup.json", '{\n  "name": "a",\n  "name": "b"\n}\n');
    expectOneLine(["run", path], `error: ${path}:3:3: name: repeated key (first at line 2)`);
  });

  it("refuses a formula that would allocate a billion numbers", () => {
    expectOneLine(["run", "configs/default.yaml", "--set", "train.lambda=sum(1:1e9)"], /^error: train\.lambda: formula "sum\(1:1e9\)" uses the function sum and a range/);
  });

  it("refuses an empty sweep list from run and validate", () => {
    const path = file("empty.yaml", "sweep:\n  model.k: []\n");
    for (const cmd of ["run", "validate"]) expectOneLine([cmd, path], "error: sweep.model.k: the list is empty (give at least one value, or remove the key)");
  });

  it("refuses --set problem.d=1e400 with a clear message", () => {
    expectOneLine(["validate", "configs/default.yaml", "--set", "problem.d=1e400"], "error: --set problem.d: 1e400 is not a finite number");
  });

  it.each([
    [["--set", "problem.d=100000"], /^error: problem\.n, problem\.d: a run needs about [\d.]+ TB/],
    [["--set", "train.steps=1e12"], "error: train.steps: 1000000000000 steps is over the limit of 100000000 steps per phase"],
    [["--set", "seed=1,2,3", "--max-runs", "2"], "error: sweep: 3 runs (seed: 3) is over the limit of 2 runs (--max-runs)"],
    [["--max-memory", "1M"], /^error: problem\.n, problem\.d: a run needs about [\d.]+ MB .* over the memory limit of 1\.00 MB \(--max-memory\)$/],
    [["--max-memory", "lots"], "error: --max-memory lots: expected a size such as 512M, 8G or 1e9 (bytes)"],
  ])("refuses a run over a limit before writing anything: %j", (args, line) => {
    expectOneLine(["run", "configs/default.yaml", ...(args as string[])], line);
  });

  it('refuses name ".." rather than writing into the current folder', () => {
    const cwd = join(dir, "cwd");
    mkdirSync(cwd);
    writeFileSync(join(cwd, "dots.yaml"), 'name: ".."\n');
    const r = spawnSync(process.execPath, [BIN, "run", "dots.yaml"], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd()).toBe('error: name: must contain a letter or digit ("." and ".." are not folder names), got ".."');
    expect(readdirSync(cwd)).toEqual(["dots.yaml"]);
  });

  it("runs fewer runs at once when side by side they would not fit in --max-memory", () => {
    const out = join(dir, "jobs");
    const r = cli(["run", "test/fixtures/configs/tiny-sweep.yaml", "--out", out, "--jobs", "2", "--max-memory", "150M", "--set", "seed=1", "--set", "prune.threshold=0.1"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("--jobs 1 instead of 2: that many runs fit in the memory limit at once (--max-memory)");
  });

  it("prints at most 40 error lines, then a count", () => {
    const path = file("many-errors.yaml", "sweep:\n  problem.n: { from: 1000000000, to: 2000000000, num: 100 }\n");
    const r = cli(["validate", path]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(41);
    expect(lines[40]).toMatch(/^error: … and \d+ more$/);
  });

  it("validate reports the run count and the estimated memory", () => {
    const r = cli(["validate", "configs/sweep-k-lambda-eps.yaml", "--max-memory", "4G"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/: valid, 108 runs /);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^# estimated memory: up to [\d.]+ MB per run \(run r[0-9a-f]{10}\); [\d.]+ MB with \d runs? at once \(--jobs \d+, the default\); limit 4\.00 GB per run$/);
  });
});
