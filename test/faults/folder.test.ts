/**
 * A folder never forgets a run: sweeps accumulate in one folder (summary.csv
 * lists every complete run, each sweep's plan is kept), merge into another
 * sweep's folder keeps that folder's rows, and damaged run files are detected
 * (one line each) and repaired by resume and merge.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, readCsv, ROOT, withoutDiagnostics } from "../e2e/cli.js";
import { completeIds, FAULT_SWEEP, leftovers, scratch, snapshot, summaryIds } from "./harness.js";

const B = ["--set", "train.lambda=0.05", "--set", "seed=1,2"];

describe("one folder, several sweeps", () => {
  const x = scratch("accumulate");
  const codes: Array<number | null> = [];
  let second = "";
  beforeAll(() => {
    codes.push(cli(["run", FAULT_SWEEP, "--out", x, "--jobs", "1"]).code);
    const r = cli(["run", FAULT_SWEEP, "--out", x, "--jobs", "1", ...B]);
    codes.push(r.code);
    second = r.stderr;
  });

  it("`run A --out X; run B --out X` keeps A's rows: summary.csv lists both, A's first", () => {
    expect(codes).toEqual([0, 0]);
    const rows = readCsv(join(x, "summary.csv"));
    expect(rows).toHaveLength(10);
    expect(rows.map((r) => r.lambda)).toEqual(["0", "0", "0", "0", "0.1", "0.1", "0.1", "0.1", "0.05", "0.05"]);
    expect(rows.map((r) => r.run_id).sort()).toEqual(completeIds(x));
    expect(readdirSync(join(x, "sweeps"))).toHaveLength(2);
    expect(second).toContain(`${x}/summary.csv also lists 8 runs of other sweeps in this folder`);
  });

  it("`merge X` knows both sweeps", () => {
    const r = cli(["merge", x]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`10 runs → ${x}/summary.csv`);
  });

  it("`merge … --out <another sweep's folder>` keeps that folder's rows and plan", () => {
    const other = scratch("other-sweep");
    expect(cli(["run", FAULT_SWEEP, "--out", other, "--jobs", "1", "--set", "train.lambda=0.2", "--set", "seed=7"]).code).toBe(0);
    const before = summaryIds(join(other, "summary.csv"));
    const r = cli(["merge", x, "--out", other]);
    expect(r.code).toBe(0);
    const after = summaryIds(join(other, "summary.csv"));
    expect(after).toEqual([...before, ...completeIds(x)].sort());
    expect(readdirSync(join(other, "sweeps"))).toHaveLength(3);
    expect(leftovers(other)).toEqual([]);
  });

  it("plot keeps another command's files in the figures folder", () => {
    const figs = join(x, "figures");
    const r0 = cli(["plot", x, "--no-png"]);
    expect(r0.code).toBe(0);
    writeFileSync(join(figs, "mine.svg"), "<svg/>");
    expect(cli(["plot", x, "--no-png"]).code).toBe(0);
    expect(readFileSync(join(figs, "mine.svg"), "utf8")).toBe("<svg/>");
  });
});

describe("damaged run files", () => {
  const clean = scratch("damage-clean");
  let cleanCode: number | null = null;
  beforeAll(() => {
    cleanCode = cli(["run", FAULT_SWEEP, "--out", clean, "--jobs", "1"]).code;
  });

  /** Copy the clean folder and damage six runs, one way each. */
  function damaged(): { dir: string; ids: string[] } {
    const dir = scratch("damaged");
    cpSync(clean, dir, { recursive: true });
    const ids = completeIds(dir).slice(0, 6);
    const run = (i: number, f: string) => join(dir, "runs", ids[i], f);
    writeFileSync(run(0, "trace.csv"), readFileSync(run(0, "trace.csv"), "utf8").slice(0, 100));
    rmSync(run(1, "columns.csv"));
    const rec = JSON.parse(readFileSync(run(2, "result.json"), "utf8"));
    delete rec.config;
    writeFileSync(run(2, "result.json"), JSON.stringify(rec));
    writeFileSync(run(3, "result.json"), "{ not json");
    appendFileSync(run(4, "config.json"), " ");
    // a hand edit of a result, laid out as the program lays it out: result.json's own checksum no longer matches
    const edited = JSON.parse(readFileSync(run(5, "result.json"), "utf8"));
    edited.metrics.kept_columns = 2;
    edited.status = "ok";
    writeFileSync(run(5, "result.json"), `${JSON.stringify(edited, null, 2)}\n`);
    return { dir, ids };
  }

  it("resume re-runs each damaged run, saying why in one line, and restores the clean files", () => {
    expect(cleanCode).toBe(0);
    const { dir, ids } = damaged();
    const r = cli(["run", FAULT_SWEEP, "--out", dir, "--jobs", "1"]);
    expect(r.code).toBe(0);
    const warnings = withoutDiagnostics(r.stderr.split("\n").filter((l) => l.startsWith("warning:")));
    expect(warnings.sort()).toEqual(
      [
        `run ${ids[0]}: trace.csv is damaged (checksum mismatch); running it again`,
        `run ${ids[1]}: columns.csv is missing; running it again`,
        `run ${ids[2]}: result.json lacks config; running it again`,
        `run ${ids[3]}: result.json does not parse; running it again`,
        `run ${ids[4]}: config.json is damaged (checksum mismatch); running it again`,
        `run ${ids[5]}: result.json is damaged (checksum mismatch); running it again`,
      ].map((l) => `warning: ${l}`).sort(),
    );
    expect(r.stderr).toContain("2 complete runs skipped");
    expect(snapshot(dir)).toEqual(snapshot(clean));
  });

  it("status counts each damaged run missing and says why, one line each", () => {
    const { dir, ids } = damaged();
    const r = cli(["status", dir]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("run "));
    expect(lines).toHaveLength(6);
    expect(lines).toContain(`run ${ids[5]}: result.json is damaged (checksum mismatch); \`run\` runs it again`);
    expect(lines).toContain(`run ${ids[2]}: result.json lacks config; \`run\` runs it again`);
    expect(r.stdout).toContain("6 runs missing");
  });

  it("merge copies a damaged run again from a folder that holds it complete", () => {
    const { dir, ids } = damaged();
    const r = cli(["merge", clean, "--out", dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: run ${ids[0]}: trace.csv is damaged (checksum mismatch) in ${dir}; copied again from ${clean}`);
    expect(r.stderr).toContain(`warning: run ${ids[2]}: result.json lacks config in ${dir}; copied again from ${clean}`);
    expect(r.stderr).toContain(`warning: run ${ids[5]}: result.json is damaged (checksum mismatch) in ${dir}; copied again from ${clean}`);
    expect(snapshot(dir)).toEqual(snapshot(clean));
  });

  it("merge of a folder with a damaged run and no other copy reports it missing (exit 1), without crashing", () => {
    const { dir, ids } = damaged();
    const r = cli(["merge", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`warning: run ${ids[3]}: result.json does not parse; run its sweep again to redo it`);
    expect(r.stderr).toContain("6 runs are not complete yet");
    // the hand-edited result is not in summary.csv
    expect(summaryIds(join(dir, "summary.csv"))).toHaveLength(2);
    expect(summaryIds(join(dir, "summary.csv"))).not.toContain(ids[5]);
  });
});

describe("a name that is not a folder under results/", () => {
  it.each(["..", "."])("name %j without --out is refused before anything is written", (name) => {
    const cfgDir = scratch("badname");
    const cfg = join(cfgDir, "c.yaml");
    writeFileSync(cfg, `name: "${name}"\ntrain: { steps: 5 }\nfinetune: { steps: 5 }\n`);
    const r = cli(["run", cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: name: /);
    expect(existsSync(join(ROOT, "summary.csv"))).toBe(false);
    expect(existsSync(join(ROOT, "results", "summary.csv"))).toBe(false);
  });
});
