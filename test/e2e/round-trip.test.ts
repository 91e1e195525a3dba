/**
 * A saved config re-creates its run: what `validate` prints and each run's
 * config.json load again and give the same run id and byte-identical CSVs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliP, tempDir, type CliResult } from "./cli.js";

/** A small run whose config uses formulas, a perturb block left out and a relative rule. */
const CONFIG = `
name: round-trip
problem: { kind: matrix-sensing, d: 6, r: 2, kappa: 2, n: 300, n_test: 50 }
model: { k: 8 }
train: { lambda: "0.5 * sigma_r^3", steps: "10 * d", beta: 0.1 }
prune: { relative_threshold: "sigma_r / 10" }
finetune: { steps: 60 }
log: { every: 20 }
`;

/** The CSVs and config.json of every run of a folder, by relative path. */
function runFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of readdirSync(join(dir, "runs"))) {
    for (const f of ["config.json", "trace.csv", "columns.csv"]) out[`${id}/${f}`] = readFileSync(join(dir, "runs", id, f), "utf8");
  }
  return out;
}

describe("config round-trip", () => {
  const dir = tempDir("roundtrip");
  const file = join(dir, "c.yaml");
  writeFileSync(file, CONFIG);
  let first: CliResult;
  let id = "";
  beforeAll(async () => {
    first = await cliP(["run", file, "--out", join(dir, "a"), "--jobs", "1"]);
    id = first.code === 0 ? readdirSync(join(dir, "a", "runs"))[0] : "";
  });

  it("saves config.json with numbers, the formula texts under `formulas`, and no nulls", async () => {
    expect(first.code, first.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, "a", "runs", id, "config.json"), "utf8"));
    expect(saved.train.lambda).toBe(0.0625);
    expect(saved.train.steps).toBe(60);
    expect(saved.formulas).toEqual({ "train.lambda": "0.5 * sigma_r^3", "train.steps": "10 * d", "prune.relative_threshold": "sigma_r / 10" });
    expect(saved.prune).toEqual({ relative_threshold: 0.05 });
    expect("perturb" in saved.train).toBe(false);
    expect(JSON.stringify(saved)).not.toContain("null");
  });

  it("re-runs config.json into the same run id and byte-identical files", async () => {
    const again = await cliP(["run", join(dir, "a", "runs", id, "config.json"), "--out", join(dir, "b"), "--jobs", "1"]);
    expect(again.code, again.stderr).toBe(0);
    expect(runFiles(join(dir, "b"))).toEqual(runFiles(join(dir, "a")));
  });

  it("re-runs the config `validate` prints into the same run id and byte-identical files", async () => {
    const printed = await cliP(["validate", file]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(`# run_id: ${id}`);
    const copy = join(dir, "printed.yaml");
    writeFileSync(copy, printed.stdout);
    const valid = await cliP(["validate", copy]);
    expect(valid.code, valid.stderr).toBe(0);
    // the same config (comment lines aside: they name the file and the free memory of the moment)
    const body = (text: string) => text.split("\n").filter((l) => !l.startsWith("# ") || l.startsWith("# run_id"));
    expect(body(valid.stdout)).toEqual(body(printed.stdout));
    const again = await cliP(["run", copy, "--out", join(dir, "c"), "--jobs", "1"]);
    expect(again.code, again.stderr).toBe(0);
    expect(runFiles(join(dir, "c"))).toEqual(runFiles(join(dir, "a")));
  });

  it("round-trips every bundled config's `validate` output", async () => {
    for (const name of ["default", "sweep-k-lambda-eps"]) {
      const printed = await cliP(["validate", `configs/${name}.yaml`]);
      const copy = join(dir, `${name}.yaml`);
      writeFileSync(copy, printed.stdout);
      const again = await cliP(["validate", copy]);
      expect(again.stderr, name).toBe("");
      expect(again.stdout.split("\n")[1], name).toBe(printed.stdout.split("\n")[1]); // "# run_id: …"
    }
  });

  it("refuses a recorded formula that disagrees with the number beside it", async () => {
    const saved = JSON.parse(readFileSync(join(dir, "a", "runs", id, "config.json"), "utf8"));
    saved.train.lambda = 0.07;
    const edited = join(dir, "edited.json");
    writeFileSync(edited, JSON.stringify(saved));
    const r = await cliP(["validate", edited]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: train.lambda: 0.07 disagrees with its formula "0.5 * sigma_r^3" (= 0.0625); change or remove one');
  });
});
