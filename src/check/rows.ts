/**
 * The runs a claims file reads: every row of summary.csv in a results folder,
 * or in each results folder directly inside it (reproduce's output: pruning/,
 * generalization/, …), each with its fields: `folder` (the sub-folder's name,
 * "." for the folder itself), the summary.csv columns (numbers parsed), and
 * every path of the run's resolved config (result.json, checksums verified):
 * it adds the paths summary.csv lacks, and gives the resolved number where a
 * swept key's column holds the written value (`train.lambda: sigma_r^3`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { parseCsv, parseNumber } from "../figures/csv.js";
import { readRunRecord } from "../output/results.js";
import type { Value } from "./expr.js";

/** One run as claims see it. */
export interface Row {
  id: string;
  fields: ReadonlyMap<string, Value>;
}

/** The runs of a folder, and the runs whose config could not be read (damaged or missing result.json). */
export interface RunRows {
  rows: Row[];
  folders: string[];
  unreadable: string[];
}

/** A summary.csv cell as a value: empty → null, a number → number, else the text. */
function cell(text: string | undefined): Value {
  if (text === undefined || text === "") return null;
  const n = parseNumber(text);
  return n === null || Number.isNaN(n) ? (/^nan$/i.test(text.trim()) ? NaN : text) : n;
}

/** Every leaf of a config object by dotted path (lists kept whole as their JSON text). */
function flatten(value: unknown, prefix: string, out: Map<string, Value>): void {
  if (value === null || value === undefined) {
    if (prefix && !out.has(prefix)) out.set(prefix, null);
    return;
  }
  if (typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (out.has(prefix)) return;
  out.set(prefix, typeof value === "number" || typeof value === "string" || typeof value === "boolean" ? value : JSON.stringify(value));
}

/** The rows of DIR/summary.csv (none when it lists no run: a sweep whose runs are all still missing). */
function rowsOf(dir: string, folder: string, unreadable: string[]): Row[] {
  const records = parseCsv(readFileSync(join(dir, "summary.csv"), "utf8"));
  return records.filter((rec) => (rec.run_id ?? "") !== "").map((rec) => {
    const fields = new Map<string, Value>([["folder", folder]]);
    for (const [k, v] of Object.entries(rec)) fields.set(k, k === "run_id" || k === "error" ? v : cell(v));
    const record = readRunRecord(dir, rec.run_id);
    if (record) {
      const config = new Map<string, Value>();
      flatten(record.config, "", config);
      // a swept key's column holds the written value (a formula's text); its config path, the resolved number
      for (const [k, v] of config) if (!fields.has(k) || k.includes(".")) fields.set(k, v);
    } else unreadable.push(folder === "." ? rec.run_id : `${folder}/${rec.run_id}`);
    return { id: rec.run_id, fields };
  });
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/**
 * The runs of DIR: its own summary.csv, or else each sub-folder's (in name order).
 * @throws {UserError} `DIR: no such folder`, `DIR: no summary.csv here or in a sub-folder (…)`, `DIR: no complete runs (…)`.
 * @example readRunRows("results/paper").rows.filter((r) => r.fields.get("folder") === "pruning")
 */
export function readRunRows(dir: string): RunRows {
  if (!isDir(dir)) throw new UserError(`${dir}: no such folder`);
  const unreadable: string[] = [];
  const own = existsSync(join(dir, "summary.csv"));
  const folders = own ? ["."] : readdirSync(dir).filter((name) => isDir(join(dir, name)) && existsSync(join(dir, name, "summary.csv"))).sort();
  if (folders.length === 0) {
    throw new UserError(`${dir}: no summary.csv here or in a sub-folder (expected a results folder, or a folder of them such as reproduce's --out)`);
  }
  const rows = folders.flatMap((f) => rowsOf(own ? dir : join(dir, f), f, unreadable));
  // a sub-folder without runs adds none (its claims fail for want of runs); a folder without any run is an error
  if (rows.length === 0) throw new UserError(`${dir}: no complete runs (summary.csv lists none${own ? "" : ` in ${folders.join(", ")}`})`);
  return { rows, folders, unreadable };
}
