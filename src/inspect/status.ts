/**
 * How far the sweeps of a results folder have got: per sweep (and per shard
 * when the folder holds shard summaries) how many runs are ok, diverged,
 * failed or still missing. A run counts as done once it is complete (its
 * result.json and files all matching their checksums, under its id or an older
 * bare id); a damaged one is missing, with the reason.
 */
import { readdirSync } from "node:fs";
import { inspectRunAnyForm } from "../output/run-id.js";
import { readSweeps, type PlannedRunEntry } from "./sweeps.js";

export interface Counts {
  runs: number;
  ok: number;
  diverged: number;
  failed: number;
  missing: number;
}

export interface ShardStatus extends Counts {
  /** 1-based, as in --shard I/N. */
  index: number;
  count: number;
}

export interface SweepStatus extends Counts {
  name: string;
  /** The plan's content hash (its file name in sweeps/): tells apart sweeps of one name. */
  plan: string;
  /** When the plan reached the folder (ISO 8601, UTC). */
  added: string;
  /** Ids of the runs not done yet, in sweep order. */
  missing_ids: string[];
  /** Missing runs whose files are there but damaged (a checksum mismatch, a hand-edited result.json…), and why. */
  damaged: Array<{ id: string; reason: string }>;
  shards: ShardStatus[];
}

export interface FolderStatus {
  dir: string;
  sweeps: SweepStatus[];
  /** True when every planned run of every sweep is done (ok, diverged or failed). */
  complete: boolean;
}

/** The shard counts N of the `summary-shard-I-of-N.csv` files in a folder, ascending. */
function shardCounts(dir: string): number[] {
  const counts = new Set<number>();
  for (const name of readdirSync(dir)) {
    const m = /^summary-shard-\d+-of-(\d+)\.csv$/.exec(name);
    if (m) counts.add(Number(m[1]));
  }
  return [...counts].sort((a, b) => a - b);
}

function emptyCounts(): Counts {
  return { runs: 0, ok: 0, diverged: 0, failed: 0, missing: 0 };
}

/**
 * The status of every sweep in `dir`.
 * @throws {UserError} when dir is not a results folder.
 * @example folderStatus("results/sweep").sweeps[0].missing // runs not done yet
 */
export function folderStatus(dir: string): FolderStatus {
  // the plans first: they say "no such folder" (exit 2) before the folder is listed
  const plans = readSweeps(dir);
  const nShards = shardCounts(dir);
  const sweeps = plans.map((sweep): SweepStatus => {
    const state = new Map<PlannedRunEntry, keyof Counts>();
    const damaged: SweepStatus["damaged"] = [];
    for (const run of sweep.runs) {
      // the lookup resume and merge make, so status agrees with them
      const found = inspectRunAnyForm(dir, run.id);
      state.set(run, found.state === "complete" ? found.record.status : "missing");
      if (found.state === "damaged") damaged.push({ id: run.id, reason: found.reason });
    }
    const tally = (runs: PlannedRunEntry[]): Counts => {
      const c = emptyCounts();
      for (const run of runs) {
        c.runs++;
        c[state.get(run)!]++;
      }
      return c;
    };
    const shards = nShards.flatMap((count) =>
      Array.from({ length: count }, (_, i) => ({ index: i + 1, count, ...tally(sweep.runs.filter((r) => r.index % count === i)) })),
    );
    return {
      name: sweep.name,
      plan: sweep.hash,
      added: sweep.added.toISOString(),
      ...tally(sweep.runs),
      missing_ids: sweep.runs.filter((r) => state.get(r) === "missing").map((r) => r.id),
      damaged,
      shards,
    };
  });
  return { dir, sweeps, complete: sweeps.every((s) => s.missing === 0) };
}

/** "2026-12-06 20:15" (UTC, to the minute): when a sweep reached the folder, short enough for the table. */
function minute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** The status as text lines: one row per sweep (its plan hash and time tell apart sweeps of one name) and per shard, then what is missing. */
export function statusLines(status: FolderStatus): string[] {
  const head = ["sweep", "plan", "added (UTC)", "runs", "ok", "diverged", "failed", "missing"];
  const rows: string[][] = [];
  for (const s of status.sweeps) {
    rows.push([s.name, s.plan, minute(s.added), ...[s.runs, s.ok, s.diverged, s.failed, s.missing].map(String)]);
    for (const sh of s.shards) rows.push([`  shard ${sh.index}/${sh.count}`, "", "", ...[sh.runs, sh.ok, sh.diverged, sh.failed, sh.missing].map(String)]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  const lines = [line(head), ...rows.map(line)];
  // a damaged run is counted missing; say why, as `run` and `merge` do
  for (const d of status.sweeps.flatMap((s) => s.damaged)) lines.push(`run ${d.id}: ${d.reason}; \`run\` runs it again`);
  const missing = status.sweeps.reduce((n, s) => n + s.missing, 0);
  lines.push(missing === 0 ? `complete: every planned run is done (${status.dir})` : `${missing} run${missing === 1 ? "" : "s"} missing`);
  return lines;
}
