/** Provenance through the real binary: in result.json and --version --verbose, never in a CSV. */
import { afterAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { kernelBackend } from "../../src/package/provenance.js";
import { DATA_STREAM } from "../../src/random/streams.js";
import { cli, tempDir } from "./cli.js";

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

describe("provenance", () => {
  const dirs = [tempDir("prov-a"), tempDir("prov-b")];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("--version --verbose prints the version, the data stream, Node.js, the kernels, the platform and the time", () => {
    const r = cli(["--version", "--verbose"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.slice(0, 5)).toEqual([
      `prune-sense ${version}`, `data stream ${DATA_STREAM}`, `node ${process.version}`, `kernels ${kernelBackend()}`, `platform ${process.platform}-${process.arch}`,
    ]);
    expect(lines[5]).toMatch(/^time \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(cli(["--version"]).stdout).toBe(`${version}\n`);
  });

  it("each run's result.json records it, and the CSVs of two runs at different times are byte-identical", () => {
    const args = ["--set", "train.steps=200", "--set", "finetune.steps=100", "--set", "seed=1,2", "--jobs", "2"];
    for (const dir of dirs) expect(cli(["run", "configs/default.yaml", "--out", dir, ...args]).code).toBe(0);
    const ids = readdirSync(join(dirs[0], "runs")).sort();
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      const record = JSON.parse(readFileSync(join(dirs[0], "runs", id, "result.json"), "utf8"));
      expect(record.provenance).toMatchObject({ prune_sense: version, data_stream: DATA_STREAM, node: process.version, kernels: kernelBackend() });
      expect(Date.parse(record.provenance.time)).toBeGreaterThan(Date.parse("2020-01-01"));
      for (const file of ["trace.csv", "columns.csv", "config.json"]) {
        expect(readFileSync(join(dirs[1], "runs", id, file), "utf8"), file).toBe(readFileSync(join(dirs[0], "runs", id, file), "utf8"));
      }
      expect(readFileSync(join(dirs[0], "runs", id, "trace.csv"), "utf8")).not.toContain(process.version);
    }
  });
});
