/**
 * One data stream per results folder, through the binary: `run` will not resume into,
 * and `merge` will not merge, a folder whose runs were drawn with another sampler
 * (one line, exit 2, nothing written); a folder of prune-sense 0.1 names no stream and
 * counts as box-muller-1.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { recordChecksum, type RunRecord } from "../../src/output/results.js";
import { DATA_STREAM } from "../../src/random/streams.js";
import { cliP, tempDir, type CliResult } from "./cli.js";

const ONE = ["--set", "problem.d=6", "--set", "problem.r=2", "--set", "model.k=8", "--set", "problem.n=300", "--set", "train.steps=40", "--set", "finetune.steps=20", "--set", "seed=1,2", "--jobs", "1"];

/** Rewrite every result.json of `dir` with `stream` as its provenance's data stream (undefined: none, as 0.1 wrote), checksum recomputed. */
function restream(dir: string, stream: string | undefined): void {
  for (const id of readdirSync(join(dir, "runs"))) {
    const path = join(dir, "runs", id, "result.json");
    const { sha256: _own, ...rec } = JSON.parse(readFileSync(path, "utf8")) as RunRecord;
    const provenance = { ...rec.provenance!, data_stream: stream };
    if (stream === undefined) delete provenance.data_stream;
    const body = { ...rec, provenance };
    writeFileSync(path, `${JSON.stringify({ ...body, sha256: recordChecksum(body) }, null, 2)}\n`);
  }
}

/** All files of a folder's runs, by path: what must not change when a command refuses it. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of readdirSync(join(dir, "runs"))) {
    for (const f of readdirSync(join(dir, "runs", id))) out[`${id}/${f}`] = readFileSync(join(dir, "runs", id, f), "utf8");
  }
  return out;
}

const refusal = (r: CliResult, dir: string, stream: string): void => {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(dir);
  expect(lines[0]).toContain(`data stream ${stream}`);
  expect(lines[0]).toContain(DATA_STREAM);
  expect(lines[0]).not.toMatch(/\bat .*\.js:\d+/); // no stack
};

describe("a results folder holds one data stream", () => {
  const home = tempDir("stream");
  const current = join(home, "current");
  const old = join(home, "old");
  const other = join(home, "other");
  let made: CliResult;
  beforeAll(async () => {
    made = await cliP(["run", "configs/default.yaml", "--out", current, ...ONE]);
    if (made.code !== 0) return;
    cpSync(current, old, { recursive: true });
    restream(old, undefined);
    cpSync(current, other, { recursive: true });
    restream(other, "future-7");
  });

  it("records the stream in every result.json", () => {
    expect(made.code, made.stderr).toBe(0);
    for (const id of readdirSync(join(current, "runs"))) {
      expect(JSON.parse(readFileSync(join(current, "runs", id, "result.json"), "utf8")).provenance.data_stream).toBe(DATA_STREAM);
    }
  });

  it("run refuses to resume into a folder of 0.1 (no stream: box-muller-1) or of another stream, and writes nothing", async () => {
    const before = snapshot(old);
    refusal(await cliP(["run", "configs/default.yaml", "--out", old, ...ONE]), old, "box-muller-1");
    refusal(await cliP(["run", "configs/default.yaml", "--out", other, ...ONE, "--force"]), other, "future-7");
    expect(snapshot(old)).toEqual(before);
  });

  it("merge refuses a source or a target of another stream, and merges folders of this one", async () => {
    refusal(await cliP(["merge", current, old]), old, "box-muller-1");
    refusal(await cliP(["merge", other, "--out", join(home, "fresh")]), other, "future-7");
    refusal(await cliP(["merge", current, "--out", old]), old, "box-muller-1");
    const fine = await cliP(["merge", current, "--out", join(home, "merged")]);
    expect(fine.code, fine.stderr).toBe(0);
    expect(readdirSync(join(home, "merged", "runs")).sort()).toEqual(readdirSync(join(current, "runs")).sort());
    // the same config resumes into its own folder: nothing to run
    const again = await cliP(["run", "configs/default.yaml", "--out", current, ...ONE]);
    expect(again.code, again.stderr).toBe(0);
  });
});
