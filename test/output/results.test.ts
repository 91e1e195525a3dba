/**
 * The results folder in-process: run files and result.json round trips (NaN and
 * ±∞ included), what counts as a complete run, summary rows and columns, atomic
 * writes, temp files of dead writers, the writable-folder check, and merge.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planRuns } from "../../src/sweep/plan.js";
import { emptyMetrics } from "../../src/pipeline/run.js";
import { commitRunDraft, draftRunFiles, inspectRun, readRunRecord, runDir, summaryCsv, summaryRow, writeRunFiles, writeSummary, type RunRecord } from "../../src/output/results.js";
import { ensureWritableDir, limitConcurrency, removeStaleTemps, writeFileAtomic } from "../../src/output/atomic.js";
import { HOST } from "../../src/files/owner.js";
import { mergeResults } from "../../src/output/merge.js";
import { runId } from "../../src/output/run-id.js";
import { writePlanFile } from "../../src/sweep/run-sweep.js";
import { parseCsv } from "../../src/figures/csv.js";
import { UserError } from "../../src/errors.js";
import { writtenForm } from "../../src/config/written-form.js";
import { readPlans } from "../../src/output/folder.js";
import { currentProvenance } from "../../src/package/provenance.js";

const temp = (tag: string) => mkdtempSync(join(tmpdir(), `prune-sense-${tag}-`));
const plan = planRuns({ train: { steps: 5 }, finetune: { steps: 5 }, sweep: { "train.lambda": [0, 0.1], seed: [1, 2] } });

function record(i: number, over: Partial<RunRecord> = {}): RunRecord {
  const run = plan.runs[i];
  return {
    run_id: run.id, index: run.index, swept: run.swept, status: "ok", error: "", diverged_phase: "", diverged_step: null,
    metrics: { ...emptyMetrics(), kept_columns: 3, train_loss: 1e-30, finetune_rate: 0.86 }, seconds: 0.5, config: run.config,
    // as this version writes it: with its data stream (a record without one is of 0.1, which merge refuses)
    provenance: currentProvenance(new Date(0)), ...over,
  };
}

const TRACE = [{ phase: "train", step: 0, train_loss: 1, test_loss: 2, objective: 3, recovery_error: 4, grad_norm: NaN, columns: 40 }];
const COLUMNS = [{ stage: "init", column: 0, norm: 0.5, kept: true }];

/** The pid of a process that has exited (so no writer owns a temp file named after it). */
const deadPid = (): number => spawnSync(process.execPath, ["-e", ""], { timeout: 30_000 }).pid!;

describe("run files", () => {
  it("round-trip a record through result.json, NaN and ±∞ included", () => {
    const out = temp("rec");
    const rec = record(0, { metrics: { ...emptyMetrics(), kept_columns: NaN, train_loss: Infinity, test_loss: -Infinity, recovery_error: 1e-300 } });
    writeRunFiles(out, rec, { trace: TRACE as never, columns: COLUMNS as never });
    expect(readdirSync(runDir(out, rec.run_id)).sort()).toEqual(["columns.csv", "config.json", "result.json", "trace.csv"]);
    const back = readRunRecord(out, rec.run_id)!;
    // result.json adds the checksums of the other files, and its own
    expect(back).toEqual({
      ...rec, files: expect.objectContaining({ "trace.csv": expect.stringMatching(/^[0-9a-f]{64}$/) }), sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(back.metrics.train_loss).toBe(Infinity);
    expect(back.metrics.test_loss).toBe(-Infinity);
    expect(readFileSync(join(runDir(out, rec.run_id), "result.json"), "utf8")).toContain('"kept_columns": "NaN"');
    // config.json is the written form a config file may hold (nulls and empty formulas omitted)
    expect(JSON.parse(readFileSync(join(runDir(out, rec.run_id), "config.json"), "utf8"))).toEqual(writtenForm(rec.config));
    expect(readFileSync(join(runDir(out, rec.run_id), "trace.csv"), "utf8")).toBe(
      "phase,step,train_loss,test_loss,objective,recovery_error,grad_norm,columns\ntrain,0,1,2,3,4,NaN,40\n",
    );
    expect(readFileSync(join(runDir(out, rec.run_id), "columns.csv"), "utf8")).toBe("stage,column,norm,kept\ninit,0,0.5,1\n");
  });

  it("count as complete only with a readable result.json of the same run id", () => {
    const out = temp("complete");
    const rec = record(0);
    expect(readRunRecord(out, rec.run_id)).toBeNull();
    writeRunFiles(out, rec, { trace: [], columns: [] });
    expect(readRunRecord(out, rec.run_id)?.run_id).toBe(rec.run_id);
    writeFileSync(join(runDir(out, rec.run_id), "result.json"), "{ half-writ");
    expect(readRunRecord(out, rec.run_id)).toBeNull();
    // a result.json copied into the wrong folder is not this run's
    const other = record(1);
    mkdirSync(runDir(out, "0123456789"), { recursive: true });
    writeFileSync(join(runDir(out, "0123456789"), "result.json"), JSON.stringify(other));
    expect(readRunRecord(out, "0123456789")).toBeNull();
  });

  it("count a hand-edited result.json (status, metrics, config) as damaged, and an older version's (no checksum of its own) as complete", () => {
    const out = temp("edited");
    const rec = record(0);
    writeRunFiles(out, rec, { trace: [], columns: [] });
    const path = join(runDir(out, rec.run_id), "result.json");
    const text = readFileSync(path, "utf8");
    // whitespace is not content: the same record laid out otherwise is still complete
    writeFileSync(path, JSON.stringify(JSON.parse(text)));
    expect(inspectRun(out, rec.run_id).state).toBe("complete");
    const edits: Array<(r: Record<string, any>) => void> = [
      (r) => (r.status = "failed"),
      (r) => (r.metrics.kept_columns = 99),
      (r) => (r.config.train.lambda = 0.5),
    ];
    for (const edit of edits) {
      const r = JSON.parse(text);
      edit(r);
      writeFileSync(path, JSON.stringify(r, null, 2));
      expect(inspectRun(out, rec.run_id)).toEqual({ state: "damaged", reason: "result.json is damaged (checksum mismatch)" });
    }
    const { sha256: _dropped, ...old } = JSON.parse(text);
    writeFileSync(path, JSON.stringify(old, null, 2));
    expect(inspectRun(out, rec.run_id).state).toBe("complete");
    writeFileSync(path, JSON.stringify({ ...old, sha256: null }, null, 2)); // present, so it must match
    expect(inspectRun(out, rec.run_id)).toEqual({ state: "damaged", reason: "result.json is damaged (checksum mismatch)" });
  });
});

describe("summary.csv", () => {
  it("has one row per run in sweep order, and one column per swept key not already a column", () => {
    const rows = parseCsv(summaryCsv([record(3), record(1), record(0)], plan.sweptKeys));
    expect(rows.map((r) => r.run_id)).toEqual([plan.runs[0].id, plan.runs[1].id, plan.runs[3].id]);
    const header = Object.keys(rows[0]);
    expect(header[0]).toBe("run_id");
    expect(header[header.length - 1]).toBe("train.lambda"); // swept keys come last; seed has its own column already
    expect(header).toContain("seconds");
    expect(header.filter((h) => h === "seed")).toHaveLength(1);
    expect(rows[2]["train.lambda"]).toBe("0.1");
    expect(rows[2].seed).toBe("2");
    expect(rows[0].relative_threshold).toBe("");
    expect(rows[0].kept_columns).toBe("3");
    expect(rows[0].train_loss).toBe("1e-30");
    expect(rows[0].finetune_rate).toBe("0.86");
  });

  it("maps every record field to its column", () => {
    const rec = record(1, { status: "diverged", error: "train diverged at step 7: objective Infinity", diverged_phase: "train", diverged_step: 7, seconds: 1.25 });
    const row = summaryRow(rec);
    expect(row).toMatchObject({
      run_id: rec.run_id, status: "diverged", problem: "matrix-sensing", d: 20, r: 3, k: 40, n: 2000, noise: 0,
      lambda: 0, beta: 0.1, threshold: 0.1, relative_threshold: null, seed: 2, diverged_phase: "train", diverged_step: 7,
      error: "train diverged at step 7: objective Infinity", seconds: 1.25, "train.lambda": 0,
    });
  });

  it("is written to the file asked for", () => {
    const out = temp("summary");
    writeSummary(out, [record(0)], plan.sweptKeys, "summary-shard-1-of-2.csv");
    expect(readdirSync(out)).toEqual(["summary-shard-1-of-2.csv"]);
    writeSummary(out, [record(0)], plan.sweptKeys);
    expect(existsSync(join(out, "summary.csv"))).toBe(true);
  });
});

describe("atomic writes and temp files", () => {
  it("write through a temp file that is gone afterwards, creating parent folders", () => {
    const out = temp("atomic");
    const path = join(out, "a", "b", "file.txt");
    writeFileAtomic(path, "one");
    writeFileAtomic(path, "two");
    expect(readFileSync(path, "utf8")).toBe("two");
    expect(readdirSync(join(out, "a", "b"))).toEqual(["file.txt"]);
  });

  it("remove temp files left by a dead writer, and nothing else", () => {
    const out = temp("stale");
    const dead = deadPid();
    // temp names carry their owner: `<target>.tmp-<host>-<pid>-<n>`
    writeFileSync(join(out, `trace.csv.tmp-${HOST}-${dead}-0`), "x");
    writeFileSync(join(out, `result.json.tmp-${HOST}-${dead}-3`), "x");
    writeFileSync(join(out, "trace.csv"), "keep");
    writeFileSync(join(out, "notes-tmp.txt"), "keep");
    removeStaleTemps(out);
    expect(readdirSync(out).sort()).toEqual(["notes-tmp.txt", "trace.csv"]);
    removeStaleTemps(join(out, "no-such-folder")); // nothing to clean: no error
  });

  it("check that results can be written, creating the folder, or say why not in one line", () => {
    const out = temp("writable");
    ensureWritableDir(join(out, "x", "y"));
    expect(readdirSync(join(out, "x", "y"))).toEqual([]);
    writeFileSync(join(out, "file"), "");
    expect(() => ensureWritableDir(join(out, "file"))).toThrow(new UserError(`${join(out, "file")}: cannot write results here (EEXIST: file already exists)`));
    expect(() => ensureWritableDir(join(out, "file"), "figures")).toThrow(/cannot write figures here \(EEXIST: file already exists\)$/);
  });
});

describe("run ids", () => {
  it("are r and 10 hex digits of the settings, not of the name or formula texts", () => {
    const cfg = plan.runs[0].config;
    expect(runId(cfg)).toMatch(/^r[0-9a-f]{10}$/);
    expect(runId({ ...cfg, name: "other", formulas: { "train.lambda": "0" } })).toBe(runId(cfg));
    expect(runId({ ...cfg, seed: 9 })).not.toBe(runId(cfg));
  });
});

describe("mergeResults", () => {
  /** Two folders holding the plan's runs 0, 2 and 1, 3 (as shards 1/2 and 2/2 would). */
  function shards(): [string, string] {
    const a = temp("merge-a");
    const b = temp("merge-b");
    for (const dir of [a, b]) writePlanFile(dir, plan);
    for (const i of [0, 2]) writeRunFiles(a, record(i), { trace: TRACE as never, columns: [] });
    for (const i of [1, 3]) writeRunFiles(b, record(i), { trace: TRACE as never, columns: [] });
    return [a, b];
  }

  it("copies the runs of every folder into --out and summarizes all of them", () => {
    const [a, b] = shards();
    const out = join(temp("merge-out"), "all");
    const outcome = mergeResults([a, b], out);
    expect(outcome.missing).toEqual([]);
    expect(outcome.records.map((r) => r.run_id)).toEqual(plan.runs.map((r) => r.id));
    expect(readdirSync(join(out, "runs")).sort()).toEqual(plan.runs.map((r) => r.id).sort());
    for (const run of plan.runs) expect(readRunRecord(out, run.id)?.run_id).toBe(run.id);
    expect(readFileSync(join(out, "runs", plan.runs[1].id, "trace.csv"), "utf8")).toContain("train,0,1,2,3,4,NaN,40");
    expect(parseCsv(readFileSync(join(out, "summary.csv"), "utf8")).map((r) => r.run_id)).toEqual(plan.runs.map((r) => r.id));
    // the plan is kept (one file per sweep in sweeps/)
    expect(readPlans(out).map((p) => p.runs.length)).toEqual([4]);
  });

  it("merges into the first folder by default, and lists the runs no folder has", () => {
    const [a] = shards();
    const outcome = mergeResults([a]);
    expect(outcome.missing).toEqual([plan.runs[1].id, plan.runs[3].id]);
    expect(outcome.sweptKeys).toEqual(plan.sweptKeys);
    expect(parseCsv(readFileSync(join(a, "summary.csv"), "utf8"))).toHaveLength(2);
  });

  it("refuses a missing folder and a folder without plans or runs; merges another sweep beside, dropping nothing", () => {
    const [a] = shards();
    expect(() => mergeResults([a, join(a, "nope")])).toThrow(new UserError(`${join(a, "nope")}: no such folder`));
    const empty = temp("merge-empty");
    expect(() => mergeResults([a, empty])).toThrow(new UserError(`${empty}: not a results folder (no sweep plan and no runs)`));
    const other = temp("merge-other");
    writePlanFile(other, planRuns({ sweep: { seed: [5, 6] } }));
    const outcome = mergeResults([a, other]);
    expect(readPlans(a)).toHaveLength(2);
    expect(outcome.missing).toHaveLength(2 + 2); // runs 1, 3 of the first plan, both of the other
  });
});

describe("a run's files drafted in one thread and committed in another (sweep workers)", () => {
  const result = { trace: TRACE as never, columns: COLUMNS as never };
  const filesOf = (out: string, id: string): Record<string, string> =>
    Object.fromEntries(readdirSync(runDir(out, id)).sort().map((n) => [n, readFileSync(join(runDir(out, id), n), "utf8")]));

  it("a draft holds only temp files; committed, the files are writeRunFiles' byte for byte", async () => {
    const [a, b] = [temp("draft-a"), temp("draft-b")];
    const rec = record(1);
    const written = writeRunFiles(a, rec, result);
    const draft = draftRunFiles(b, rec, result);
    expect(draft.files.map((f) => f.path.slice(f.path.lastIndexOf("/") + 1))).toEqual(["config.json", "trace.csv", "columns.csv", "result.json"]);
    // nothing in place yet: a reader (resume, another process) sees no run, not half of one
    expect(readdirSync(runDir(b, rec.run_id)).every((n) => n.includes(".tmp-"))).toBe(true);
    expect(inspectRun(b, rec.run_id).state).toBe("absent");
    expect(await commitRunDraft(draft)).toEqual(written);
    expect(filesOf(b, rec.run_id)).toEqual(filesOf(a, rec.run_id));
  });

  it("places a draft only after the run drafted before it has landed", async () => {
    const out = temp("draft-order");
    const [first, second] = [draftRunFiles(out, record(0), result), draftRunFiles(out, record(2), result)];
    let land!: () => void;
    const before = new Promise<void>((resolve) => (land = resolve));
    const committing = commitRunDraft(second, before);
    await new Promise((resolve) => setTimeout(resolve, 50)); // its flushes are done by now
    expect(inspectRun(out, record(2).run_id).state).toBe("absent");
    await commitRunDraft(first);
    land();
    await committing;
    expect(inspectRun(out, record(2).run_id).state).toBe("complete");
  });

  it("a temp file replaced before its flush (a folder, a link) leaves nothing placed and reports the run unsaved, naming the file", async () => {
    for (const plant of ["folder", "link"] as const) {
      const out = temp(`draft-${plant}`);
      const rec = record(3);
      const draft = draftRunFiles(out, rec, result);
      const trace = draft.files[1].temp;
      const victim = join(out, "victim.txt");
      writeFileSync(victim, "untouched\n");
      unlinkSync(trace);
      if (plant === "folder") mkdirSync(trace);
      else symlinkSync(victim, trace);
      const back = await commitRunDraft(draft);
      expect(back).toEqual({ ...rec, status: "failed", error: expect.stringMatching(/\/trace\.csv: its temp file \S+ was replaced by another program before it was in place; the run is not saved$/), unsaved: back.error });
      // nothing of the draft placed (a link never becomes trace.csv), the link's target untouched
      expect(readdirSync(runDir(out, rec.run_id)).filter((n) => !n.includes(".tmp-"))).toEqual([]);
      expect(readFileSync(victim, "utf8")).toBe("untouched\n");
    }
  });

  it("a temp file removed before its flush reports the run unsaved (not a bug), and the next draft still lands", async () => {
    const out = temp("draft-removed");
    const rec = record(3);
    const draft = draftRunFiles(out, rec, result);
    unlinkSync(draft.files[2].temp);
    const lost = commitRunDraft(draft);
    const next = await commitRunDraft(draftRunFiles(out, record(0), result), lost);
    expect((await lost).unsaved).toMatch(/\/columns\.csv: its temp file \S+ was removed by another program/);
    expect(readdirSync(runDir(out, rec.run_id))).toEqual([]);
    expect(next.status).toBe("ok");
    expect(inspectRun(out, record(0).run_id).state).toBe("complete");
  });

  it("an unsaved fallback record (outputs that could not be produced) keeps both reasons", async () => {
    const out = temp("draft-fallback");
    const failed = record(3, { status: "failed", error: "outputs could not be produced: trace.csv: RangeError: x" });
    const draft = { ...draftRunFiles(out, failed, { trace: [], columns: [] }), fallback: true };
    unlinkSync(draft.files[0].temp);
    expect((await commitRunDraft(draft)).error).toMatch(/^outputs could not be produced: trace\.csv: RangeError: x; \S+\/config\.json: its temp file/);
  });
});

describe("limitConcurrency", () => {
  it("runs at most n tasks at once, starting them in the order queued, and passes results and errors through", async () => {
    const queue = limitConcurrency(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5 + (i % 3)));
      running--;
      if (i === 4) throw new Error("four");
      return i * i;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) => queue(task(i))));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([0, 1, 4, 9, "four", 25]);
  });
});

