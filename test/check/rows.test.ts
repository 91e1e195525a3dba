/**
 * The runs `check` reads: a results folder, or a folder of them, each run with
 * its `folder`, its summary.csv columns and its resolved config's paths.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRunRows } from "../../src/check/rows.js";
import { writeSummary } from "../../src/output/results.js";
import { tempDir } from "../e2e/cli.js";
import { fakeRecord, writeFolder, writeFolders } from "./folders.js";

describe("readRunRows", () => {
  it("reads each sub-folder's runs with their folder, summary columns and config paths; a sub-folder without runs adds none", () => {
    const dir = tempDir("check-rows");
    const scaled = fakeRecord({ lambda: 1, formulas: { "train.lambda": "sigma_r^3" }, penalty: "group-lasso" }, { kept_columns: 3 });
    scaled.swept = { "train.lambda": "sigma_r^3" };
    writeFolders(dir, { b: [fakeRecord({ n: 500, status: "diverged" }, { kept_columns: NaN })], c: [] });
    writeFolder(join(dir, "a"), [scaled]);
    // the sweep's column: the written formula, as `run` records a swept formula
    writeSummary(join(dir, "a"), [scaled], ["train.lambda"]);
    const { rows, folders, unreadable } = readRunRows(dir);
    expect(folders).toEqual(["a", "b", "c"]);
    expect(unreadable).toEqual([]);
    expect(rows.map((r) => [r.id, r.fields.get("folder")])).toEqual([[scaled.run_id, "a"], [expect.any(String), "b"]]);
    const a = rows[0].fields;
    expect([a.get("kept_columns"), a.get("r"), a.get("problem"), a.get("status")]).toEqual([3, 3, "matrix-sensing", "ok"]);
    // a dotted name is the resolved config's value; the formula text stays under formulas.*
    expect([a.get("train.lambda"), a.get("formulas.train.lambda"), a.get("train.penalty.kind"), a.get("model.init_scale")]).toEqual([1, "sigma_r^3", "group-lasso", 1e-3]);
    expect(a.get("train.perturb")).toBeNull();
    const b = rows[1].fields;
    expect([b.get("status"), b.get("kept_columns"), b.get("n"), b.get("threshold"), b.get("relative_threshold")]).toEqual(["diverged", NaN, 500, 0.1, null]);
  });
});
