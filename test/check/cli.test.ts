/**
 * `prune-sense check DIR CLAIMS.yaml` through the real binary, on results
 * folders written by hand: PASS → exit 0, a FAIL → exit 1 (naming the runs
 * that broke it), a bad claims file or a missing folder → one line and exit 2,
 * --json, and configs/claims/paper.yaml failing every claim on runs that break
 * them (the PASS side runs over `reproduce --quick`, in test/e2e/reproduce.test.ts).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT, tempDir } from "../e2e/cli.js";
import { brokenPaperFolders, fakeRecord, writeFolder } from "./folders.js";

const PAPER = "configs/claims/paper.yaml";

/** One folder: λ ∈ {0, 0.1} × seeds 1–3; the penalty keeps r = 3, λ = 0 keeps 30 + seed. */
function sweepFolder(dir: string): string[] {
  const records = [1, 2, 3].flatMap((seed) => [
    fakeRecord({ seed }, { kept_columns: 3, recovery_error: 1e-15 * seed }),
    fakeRecord({ seed, lambda: 0 }, { kept_columns: 30 + seed, recovery_error: 1e-4 * seed }),
  ]);
  writeFolder(dir, records);
  return records.map((r) => r.run_id);
}

const CLAIMS = `# my claims
claims:
  - id: exact-r
    statement: With the penalty, pruning keeps exactly r.
    cites: S2
    where: { train.lambda: { gt: 0 } }
    every:
      status: ok
      kept_columns - r: { eq: 0, why: "exact" }
  - id: dense-without
    statement: Without it, at least 10r columns survive (on average).
    where: { lambda: 0 }
    value: kept_columns / r
    aggregate: mean
    expect: { ge: 10, why: "31-33 kept of k = 40" }
`;

const FAILING = `claims:
  - id: exact-r-everywhere
    statement: Every run keeps exactly r (false without the penalty).
    every:
      kept_columns - r: { eq: 0, why: "exact" }
  - id: ratio
    statement: The pruned model's error is under a thousandth of the dense one's.
    value: recovery_error
    ratio: { of: { where: { lambda: { gt: 0 } } }, to: { where: { lambda: 0 } } }
    expect: { lt: 1e-12, why: "a made-up bound the runs miss (1e-11)" }
`;

describe("prune-sense check, through the binary", () => {
  let root: string;
  let dir: string;
  let ids: string[];
  const file = (name: string, text: string) => {
    const path = join(root, name);
    writeFileSync(path, text);
    return path;
  };
  beforeAll(() => {
    root = tempDir("check");
    dir = join(root, "sweep");
    ids = sweepFolder(dir);
  });

  it("prints PASS per claim and exits 0 when every claim holds", () => {
    const r = cli(["check", dir, file("ok.yaml", CLAIMS)]);
    expect(r.stdout).toBe(
      "PASS  exact-r        3 runs, no exception\n" +
      "PASS  dense-without  mean kept_columns / r 10.7 over 3 runs\n",
    );
    expect(r.stderr).toContain("2 of 2 claims hold");
    expect(r.code).toBe(0);
  });

  it("prints FAIL with the runs that broke the claim and the values, and exits 1", () => {
    const r = cli(["check", dir, file("fail.yaml", FAILING)]);
    const [first, second] = r.stdout.trimEnd().split("\n");
    expect(first).toBe(`FAIL  exact-r-everywhere  3 of 6 runs break it: ${ids[1]} (kept_columns - r = 28), ${ids[3]} (kept_columns - r = 29), ${ids[5]} (kept_columns - r = 30)`);
    expect(second).toBe("FAIL  ratio               mean recovery_error 2e-15 / mean recovery_error 2e-4 = 1e-11 (3 and 3 runs)");
    expect(r.stderr).toContain("0 of 2 claims hold");
    expect(r.code).toBe(1);
  });

  it("reads FAIL for a claim known to fail (finding:) and says so, but exits 0 when no other claim fails", () => {
    const known = FAILING.replace(
      "    statement: Every run keeps exactly r (false without the penalty).\n",
      "    statement: Every run keeps exactly r (false without the penalty).\n    finding: the λ = 0 runs keep 31-33\n",
    );
    const r = cli(["check", dir, file("known.yaml", known.replace(/\n  - id: ratio[\s\S]*$/, "\n"))]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^FAIL  exact-r-everywhere  3 of 6 runs break it/);
    expect(lines[1]).toBe(`${" ".repeat(6 + "exact-r-everywhere".length + 2)}known finding: the λ = 0 runs keep 31-33`);
    expect(r.stderr).toContain("0 of 1 claims hold (1 failing as a known finding)");
    expect(r.code).toBe(0);
    // the same finding beside a claim that fails unexpectedly: exit 1
    const both = cli(["check", dir, file("known-and-not.yaml", known)]);
    expect(both.code).toBe(1);
    expect(JSON.parse(cli(["check", dir, file("known-json.yaml", known), "--json"]).stdout).claims[0].finding).toBe("the λ = 0 runs keep 31-33");
  });

  it("--json gives each claim's status, numbers and exceptions", () => {
    const r = cli(["check", dir, file("fail2.yaml", FAILING), "--json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ dir, passed: 0, failed: 2, folders: ["."], unreadable: [] });
    expect(json.claims[0]).toMatchObject({ id: "exact-r-everywhere", status: "FAIL", test: "every", runs: 6, cites: [] });
    expect(json.claims[0].groups[0].exceptions).toEqual([1, 3, 5].map((i, j) => ({ id: ids[i], folder: ".", values: { "kept_columns - r": 28 + j } })));
    expect(json.claims[1].groups[0]).toMatchObject({ status: "FAIL", key: {}, runs: 6 });
    expect(json.claims[1].groups[0].value).toBeCloseTo(1e-11, 20);
  });

  it.each([
    ["a claims file with a bound but no why", "claims:\n  - id: a\n    statement: s\n    every: { kept_columns: { eq: 3 } }\n", "error: claim a: every.kept_columns.why: required (one line: why the bound is this number)"],
    ["a YAML syntax error", "claims: [\n", /^error: \S+bad-\d\.yaml:2:1: /],
    ["a field no run has", "claims:\n  - id: a\n    statement: s\n    every: { kept_colums: { eq: 3, why: w } }\n", "error: claim a: every.kept_colums: no run has a field kept_colums (did you mean kept_columns?)"],
  ])("%s: one line, exit 2", (_name, text, line) => {
    const r = cli(["check", dir, file(`bad-${_name.length % 10}.yaml`, text)]);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    if (typeof line === "string") expect(lines[0]).toBe(line);
    else expect(lines[0]).toMatch(line);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(2);
  });

  it("a missing folder, a folder without results or without runs, a missing claims file: one line, exit 2", () => {
    const claims = file("ok2.yaml", CLAIMS);
    const empty = join(root, "empty");
    mkdirSync(empty);
    const emptySummary = join(root, "no-runs");
    writeFolder(emptySummary, []);
    for (const [args, line] of [
      [[join(root, "nope"), claims], `error: ${join(root, "nope")}: no such folder`],
      [[empty, claims], `error: ${empty}: no summary.csv here or in a sub-folder (expected a results folder, or a folder of them such as reproduce's --out)`],
      [[dir, join(root, "nope.yaml")], `error: ${join(root, "nope.yaml")}: no such file`],
      [[emptySummary, claims], `error: ${emptySummary}: no complete runs (summary.csv lists none)`],
    ] as Array<[string[], string]>) {
      const r = cli(["check", ...args]);
      expect(r.stderr.trimEnd()).toBe(line);
      expect(r.code).toBe(2);
    }
  });

  it("a run whose result.json is gone still counts by its summary.csv columns, with a warning", () => {
    const copy = join(root, "damaged");
    const damagedIds = sweepFolder(copy);
    rmSync(join(copy, "runs", damagedIds[0], "result.json"));
    const r = cli(["check", copy, file("ok3.yaml", CLAIMS.replace("train.lambda", "lambda"))]);
    expect(r.stderr).toContain(`warning: 1 run without a readable result.json (only their summary.csv columns are known): ${damagedIds[0]}`);
    expect(r.code).toBe(0);
  });

  it("the complete example of docs/check.md runs over a folder of results folders: every claim finds its runs", () => {
    const broken = join(root, "broken-for-docs");
    brokenPaperFolders(broken);
    const doc = readFileSync(join(ROOT, "docs", "check.md"), "utf8");
    const example = /## A complete example\n\n```yaml\n([\s\S]*?)```/.exec(doc)![1];
    const r = cli(["check", broken, file("docs-example.yaml", example)]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual(["exact-r", "kept-grows-with-k", "error-rate", "pruned-beats-dense"]);
    for (const line of lines) expect(line).toMatch(/^(PASS|FAIL) {2}(?!.*no runs)/);
    expect(r.code).toBe(1);
  });

  it("configs/claims/paper.yaml fails every claim on a folder of runs that break each of them", () => {
    const broken = join(root, "broken-paper");
    brokenPaperFolders(broken);
    const r = cli(["check", broken, PAPER]);
    // a known finding's FAIL carries a second line saying so
    const lines = r.stdout.trimEnd().split("\n").filter((l) => !/^\s+known finding: /.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(15);
    // each fails on its runs' numbers, not for want of runs (every folder and filter matches)
    for (const line of lines) expect(line).toMatch(/^FAIL {2}(?!.*no runs)/);
    expect(r.stderr).toMatch(new RegExp(`^0 of ${lines.length} claims hold`, "m"));
    expect(r.code).toBe(1);
  });
});
