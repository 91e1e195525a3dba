/**
 * Plug-ins through the binary (docs/plugins.md): a sweep with --jobs 2 over a
 * plug-in kind and a built-in one, what summary.csv, result.json and config.json
 * record, run ids that follow the plug-in's content, `plugin test` on the examples
 * and on broken ones, `schema --plugin`, and every failure mode's exit code and
 * one-line message (a plug-in's exception: a failed run with its stack, exit 1;
 * a plug-in that cannot be loaded: exit 2 before any run; never 70).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { appendFileSync, copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, cliP, readCsv, ROOT, summaryWithoutSeconds, tempDir, type CliResult } from "./cli.js";

const EXAMPLES = join(ROOT, "examples", "plugins");
const FIXTURES = join(ROOT, "test", "fixtures", "plugins");
const STACK = /\n\s+at /;

/** A small sweep over the group MCP plug-in and the paper's penalty (seconds, not minutes). */
const SWEEP = `plugins: [./mcp.mjs]
name: plugin-sweep
problem: { kind: matrix-sensing, d: 6, r: 2, n: 200, n_test: 50 }
model: { k: 6, init_scale: 0.05 }
train: { lambda: 0.1, step_size: 0.05, steps: 300, penalty: { kind: group-mcp, a: 2 } }
finetune: { step_size: 0.05, steps: 100 }
log: { every: 50 }
sweep:
  train.penalty.kind: [group-mcp, smooth-group-lasso]
  seed: [1, 2]
`;

/** stderr lines (no colour: cli sets NO_COLOR). */
const lines = (r: CliResult): string[] => r.stderr.trim().split("\n").filter(Boolean);

/** A folder with the config `config` and the plug-in `plugin` as p.mjs. */
function folderWith(tag: string, plugin: string, config: string): string {
  const dir = tempDir(tag);
  writeFileSync(join(dir, "p.mjs"), plugin);
  writeFileSync(join(dir, "cfg.yaml"), config);
  return dir;
}

const PENALTY_CONFIG = `plugins: [./p.mjs]
problem: { kind: matrix-sensing, d: 5, r: 1, n: 100, n_test: 20 }
model: { k: 3, init_scale: 0.05 }
train: { steps: 20, penalty: { kind: boom } }
finetune: { steps: 10 }
`;

describe("a sweep with a plug-in penalty, on two worker threads", () => {
  const dir = tempDir("plugin-sweep");
  const out = join(dir, "out");
  let first: CliResult;
  let rows: Array<Record<string, string>>;

  beforeAll(async () => {
    copyFileSync(join(EXAMPLES, "mcp.mjs"), join(dir, "mcp.mjs"));
    writeFileSync(join(dir, "sweep.yaml"), SWEEP);
    first = await cliP(["run", join(dir, "sweep.yaml"), "--out", out, "--jobs", "2"]);
    rows = readCsv(join(out, "summary.csv"));
  });

  it("runs every run, and summary.csv names the plug-in's kind", () => {
    expect(first.code, first.stderr).toBe(0);
    expect(rows.map((r) => [r.status, r.penalty])).toEqual([
      ["ok", "group-mcp"], ["ok", "group-mcp"], ["ok", "smooth-group-lasso"], ["ok", "smooth-group-lasso"],
    ]);
    expect(rows.every((r) => Number(r.kept_columns) >= 1)).toBe(true);
  });

  it("writes the same bytes with --jobs 1 (one worker) as with --jobs 2", async () => {
    const one = join(dir, "one");
    const r = await cliP(["run", join(dir, "sweep.yaml"), "--out", one, "--jobs", "1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(summaryWithoutSeconds(join(one, "summary.csv"))).toBe(summaryWithoutSeconds(join(out, "summary.csv")));
    for (const row of rows) {
      for (const file of ["trace.csv", "columns.csv", "config.json"]) {
        expect(readFileSync(join(one, "runs", row.run_id, file), "utf8"), `${row.run_id}/${file}`).toBe(readFileSync(join(out, "runs", row.run_id, file), "utf8"));
      }
    }
  });

  it("records the plug-in's hash in the config of the runs that use it, and the plug-in in every run's provenance", () => {
    const sha = (JSON.parse(readFileSync(join(out, "runs", rows[0].run_id, "result.json"), "utf8")) as { provenance: { plugins: Array<{ sha256: string }> } })
      .provenance.plugins[0].sha256;
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    for (const row of rows) {
      const record = JSON.parse(readFileSync(join(out, "runs", row.run_id, "result.json"), "utf8"));
      expect(record.provenance.plugins).toEqual([{ path: join(dir, "mcp.mjs"), sha256: sha }]);
      const config = JSON.parse(readFileSync(join(out, "runs", row.run_id, "config.json"), "utf8"));
      if (row.penalty === "group-mcp") {
        expect(config.plugin_hashes).toEqual({ "penalty:group-mcp": sha });
        expect(config.train.penalty).toEqual({ kind: "group-mcp", a: 2 });
      } else {
        expect(config.plugin_hashes).toBeUndefined();
        expect(config.train.penalty).toEqual({ kind: "smooth-group-lasso" });
      }
    }
  });

  it("re-runs a saved config.json with the same plug-in to the same run, and refuses it once the plug-in changed", () => {
    const id = rows[0].run_id;
    const saved = join(out, "runs", id, "config.json");
    const again = cli(["validate", saved, "--plugin", join(dir, "mcp.mjs")]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`# run_id: ${id}`);
    const other = join(dir, "edited.mjs");
    writeFileSync(other, `${readFileSync(join(dir, "mcp.mjs"), "utf8")}\n// edited\n`);
    const changed = cli(["validate", saved, "--plugin", other]);
    expect(changed.code).toBe(2);
    expect(lines(changed)).toEqual([
      expect.stringMatching(/^error: plugin_hashes\.penalty:group-mcp: the plug-in loaded for it has sha256 [0-9a-f]{12}…, this config was saved with [0-9a-f]{12}… \(the plug-in changed; remove plugin_hashes to run the new code\)$/),
    ]);
  });

  it("editing the plug-in changes the ids of the runs that use it (and only those), which then run again", async () => {
    appendFileSync(join(dir, "mcp.mjs"), "\n// an edit: a new version of the code\n");
    const second = await cliP(["run", join(dir, "sweep.yaml"), "--out", out, "--jobs", "2"]);
    expect(second.code, second.stderr).toBe(0);
    const after = readCsv(join(out, "summary.csv"));
    const ids = (rs: typeof rows, kind: string) => rs.filter((r) => r.penalty === kind).map((r) => r.run_id).sort();
    // the folder lists the old runs and the new ones; the built-in kind's runs are the same runs
    expect(ids(after, "smooth-group-lasso")).toEqual(ids(rows, "smooth-group-lasso"));
    const fresh = ids(after, "group-mcp").filter((id) => !ids(rows, "group-mcp").includes(id));
    expect(fresh).toHaveLength(2);
    expect(second.stderr).toContain("2 complete runs skipped");
    // the same numbers: the edit changed no code path
    const metric = (rs: typeof rows, id: string) => rs.find((r) => r.run_id === id)!.recovery_error;
    expect(fresh.map((id) => metric(after, id)).sort()).toEqual(ids(rows, "group-mcp").map((id) => metric(rows, id)).sort());
  });

  it("a plug-in's parameter is swept like any key, and a bad value is one line with its key path", () => {
    const swept = cli(["validate", join(dir, "sweep.yaml"), "--set", "train.penalty.a=1,3", "--set", "train.penalty.kind=group-mcp"]);
    expect(swept.code, swept.stderr).toBe(0);
    expect(swept.stdout).toMatch(/valid, 4 runs \(sweeping seed, train\.penalty\.a\)|valid, 4 runs \(sweeping train\.penalty\.a, seed\)/);
    const bad = cli(["validate", join(dir, "sweep.yaml"), "--set", "train.penalty.a=-1"]);
    expect(bad.code).toBe(2);
    expect(lines(bad)).toEqual(["error: train.penalty.a: must be > 0, got -1"]);
  });
});

describe("prune-sense plugin test", () => {
  it("passes on every example, kind by kind", async () => {
    const r = await cliP(["plugin", "test", ...["mcp", "adam", "taylor-prune", "matrix-completion"].map((f) => join(EXAMPLES, `${f}.mjs`))]);
    expect(r.code, r.stdout).toBe(0);
    for (const kind of ["penalty group-mcp", "optimizer adam", "prune rule taylor", "model matrix-completion"]) expect(r.stdout).toContain(`  ${kind}\n`);
    expect(r.stdout).not.toContain("FAIL");
    expect(r.stdout).toMatch(/PASS {2}has λ∇R|PASS {2}solves its subproblem/);
    expect(r.stdout).toContain("PASS  route plugin: has a gradient equal to finite differences (k = 3): max relative gradient error");
    expect(r.stderr).toMatch(/^(\d+) of \1 checks pass/);
  });

  it.each([
    // the worst numbers are those of the checks' seeded draws (data stream ziggurat-1)
    ["wrong-gradient", "FAIL  has λ∇R equal to finite differences (d=4, k=3, β=0.1): max relative error 0.402 (limit 1e-7)"],
    ["ascending-optimizer", "FAIL  decreases a convex quadratic by orders of magnitude: loss 7.5 →"],
    ["twice-rule", "FAIL  keeps a subset of the columns, each once, in ascending order (parameter 0.1): k = 1: column 0 is kept twice"],
    ["leaky-penalty", "FAIL  keeps no memory per call (heap after 80000 calls): heap change +"],
  ])("fails %s with the worst numbers, exit 1", (fixture, line) => {
    const r = cli(["plugin", "test", join(FIXTURES, `${fixture}.mjs`)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(line);
    expect(r.stderr).toMatch(/^\d+ of \d+ checks pass/);
  });

  it("exits 2 with one line for a plug-in that cannot be loaded", () => {
    const r = cli(["plugin", "test", "nope.mjs"]);
    expect(r.code).toBe(2);
    expect(lines(r)).toEqual(["error: plug-in nope.mjs: no such file"]);
  });
});

describe("a plug-in that cannot be loaded: one line naming it, exit 2, before any run", () => {
  const ok = (body: string) => `export default { apiVersion: 1, penalties: [{ kind: "boom", description: "x", ${body} }] };\n`;
  it.each([
    ["a syntax error", 'export default {\n  apiVersion: 1,\n  penalties: [ { kind: "boom" ]\n};\n', /^error: plug-in \S*p\.mjs: syntax error at line 3: Unexpected token '\]'$/],
    ["a wrong API version", "export default { apiVersion: 2, penalties: [] };\n", /^error: plug-in \S*p\.mjs: apiVersion 2: this prune-sense reads plug-ins of apiVersion 1$/],
    ["no API version", "export default { penalties: [] };\n", /^error: plug-in \S*p\.mjs: apiVersion missing: this prune-sense reads plug-ins of apiVersion 1$/],
    ["no default export", "export const x = 1;\n", /^error: plug-in \S*p\.mjs: no plug-in exported: `export default \{ apiVersion: 1, penalties: \[\.\.\.\], \.\.\. \}`$/],
    ["a missing function", ok(""), /^error: plug-in \S*p\.mjs: penalties\[0\]\.addGradient: must be a function$/],
    ["a kind that shadows a built-in", ok("addGradient: () => 0").replace('"boom"', '"group-lasso"'), /^error: plug-in \S*p\.mjs: penalties\[0\]\.kind: group-lasso is already a penalty kind \(a built-in or another plug-in's\); name it otherwise$/],
    ["a bad parameter declaration", ok('params: { a: { type: "number" } }, addGradient: () => 0'), /^error: plug-in \S*p\.mjs: penalties\[0\]\.params\.a\.default: required$/],
    ["an exception at import", 'throw new Error("no GPU");\n', /^error: plug-in \S*p\.mjs: failed to load: Error: no GPU$/],
    ["an unknown export key", 'export default { apiVersion: 1, penaltys: [] };\n', /^error: plug-in \S*p\.mjs: penaltys: unknown export key/],
  ])("%s", (_what, plugin, message) => {
    const dir = folderWith("plugin-bad", plugin, PENALTY_CONFIG);
    const r = cli(["run", join(dir, "cfg.yaml"), "--out", join(dir, "out"), "--jobs", "2"]);
    expect(r.code).toBe(2);
    expect(lines(r)).toEqual([expect.stringMatching(message)]);
    expect(r.stderr).not.toMatch(STACK);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("a missing file named by the config or by --plugin", () => {
    const dir = folderWith("plugin-missing", ok("addGradient: () => 0"), PENALTY_CONFIG.replace("./p.mjs", "./gone.mjs"));
    const r = cli(["run", join(dir, "cfg.yaml"), "--out", join(dir, "out")]);
    expect(r.code).toBe(2);
    expect(lines(r)).toEqual([expect.stringMatching(/^error: plug-in \S*gone\.mjs: no such file$/)]);
    const flag = cli(["validate", "configs/default.yaml", "--plugin", "no/such.mjs"]);
    expect(flag.code).toBe(2);
    expect(lines(flag)).toEqual(["error: plug-in no/such.mjs: no such file"]);
  });

  it("plugins: that is not a list of paths", () => {
    const dir = folderWith("plugin-list", ok("addGradient: () => 0"), PENALTY_CONFIG.replace("plugins: [./p.mjs]", "plugins: ./p.mjs"));
    const r = cli(["validate", join(dir, "cfg.yaml")]);
    expect(r.code).toBe(2);
    expect(lines(r)).toEqual(["error: plugins: expected a list of plug-in file paths (relative to the config file)"]);
  });
});

describe("a model plug-in's curvature, called while the config resolves", () => {
  it("that throws is one line naming the model, exit 2, before any run", () => {
    const plugin = `export default { apiVersion: 1, models: [{ kind: "flat", description: "x", curvature() { throw new Error("no idea"); }, createProblem() { return {}; } }] };\n`;
    const dir = folderWith("plugin-curvature", plugin, "plugins: [./p.mjs]\nproblem: { kind: flat }\n");
    const r = cli(["run", join(dir, "cfg.yaml"), "--out", join(dir, "out")]);
    expect(r.code).toBe(2);
    expect(lines(r)).toEqual(["error: model flat: curvature() threw Error: no idea"]);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe("an exception in a plug-in's code", () => {
  it("is that run's failed record with the plug-in's stack; the sweep goes on and exits 1, never 70", async () => {
    const plugin = `export default { apiVersion: 1, penalties: [{ kind: "boom", description: "throws past a step", addGradient(U, d, k) { return check(U, d * k); } }] };
let calls = 0;
function check(U, size) {
  if (++calls > 3) throw new RangeError("U left the box");
  return 0;
}
`;
    const dir = folderWith("plugin-throws", plugin, `${PENALTY_CONFIG}sweep:\n  train.penalty.kind: [boom, smooth-group-lasso]\n`);
    const r = await cliP(["run", join(dir, "cfg.yaml"), "--out", join(dir, "out"), "--jobs", "2"]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("internal error");
    const rows = readCsv(join(dir, "out", "summary.csv"));
    expect(rows.map((x) => [x.penalty, x.status])).toEqual([["boom", "failed"], ["smooth-group-lasso", "ok"]]);
    expect(rows[0].error).toMatch(/^in plug-in \S*p\.mjs: RangeError: U left the box$/);
    const record = JSON.parse(readFileSync(join(dir, "out", "runs", rows[0].run_id, "result.json"), "utf8"));
    expect(record.error_stack).toContain(`at check (file://${join(dir, "p.mjs")}:4:`);
    expect(record.error_stack).toContain("RangeError: U left the box");
    // the ok run has no stack; a record of prune-sense's own failure neither (tested in exit-codes.test.ts)
    const okRecord = JSON.parse(readFileSync(join(dir, "out", "runs", rows[1].run_id, "result.json"), "utf8"));
    expect(okRecord.error_stack).toBeUndefined();
  });
});

describe("prune-sense schema --plugin", () => {
  it("lists the plug-in's kinds and parameters in the config's JSON Schema", () => {
    const r = cli(["schema", "--plugin", join(EXAMPLES, "mcp.mjs"), "--plugin", join(EXAMPLES, "matrix-completion.mjs")]);
    expect(r.code, r.stderr).toBe(0);
    const schema = JSON.parse(r.stdout);
    const penalty = schema.properties.train.properties.penalty.properties;
    expect(penalty.kind.enum).toContain("group-mcp");
    expect(penalty.a).toMatchObject({ type: "number", exclusiveMinimum: 0 });
    expect(penalty.a.description).toContain("group-mcp (plug-in): a > 0, default 2");
    expect(schema.properties.problem.properties.kind.enum).toContain("matrix-completion");
    // without --plugin: the committed schema, no plug-in in it
    expect(readdirSync(EXAMPLES)).toContain("claims.yaml");
  });
});
