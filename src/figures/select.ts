/**
 * Which runs the single-run figures (column norms, traces) show: `--run ID`,
 * `--where KEY=VALUE` (repeatable; a summary.csv column such as `lambda` or a
 * config path such as `train.lambda`), else the default pick of
 * data.representatives (among finished runs: the smallest seed, then the
 * widest k, then the first listed). Every figure states in its subtitle which
 * run it shows and how it was picked.
 */
import { suggest } from "../config/issues.js";
import { UsageError } from "../errors.js";
import { runIdForms } from "../output/run-id.js";
import type { SummaryRow } from "./results.js";

/** One `--where KEY=VALUE`. */
export interface WhereCondition {
  key: string;
  value: string;
}

/** What the user asked the single-run figures to show. */
export interface Selection {
  where: WhereCondition[];
  run: string | null;
}

/** The default pick, as each figure's subtitle states it. */
export const DEFAULT_PICK = "smallest seed, then widest k";

/**
 * Parse `--where` arguments.
 * @throws {UsageError} `--where lambda: expected KEY=VALUE, e.g. --where train.lambda=0.1`
 * @example parseWhere(["train.lambda=0.1"]) // [{ key: "train.lambda", value: "0.1" }]
 */
export function parseWhere(args: readonly string[]): WhereCondition[] {
  const errors: string[] = [];
  const out: WhereCondition[] = [];
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0 || eq === arg.length - 1) errors.push(`--where ${arg}: expected KEY=VALUE, e.g. --where train.lambda=0.1`);
    else out.push({ key: arg.slice(0, eq).trim(), value: arg.slice(eq + 1).trim() });
  }
  if (errors.length) throw new UsageError(errors);
  return out;
}

/** Whether a stored value equals the wanted text: as numbers when both are numbers ("0.10" = 0.1), else as text. */
export function valueMatches(stored: string, wanted: string): boolean {
  const a = Number(stored);
  const b = Number(wanted);
  if (stored.trim() !== "" && wanted.trim() !== "" && Number.isFinite(a) && Number.isFinite(b)) return a === b;
  return stored === wanted;
}

/** Reads one key of a run: its summary column, else its config path; undefined when the run has neither. */
export type RunLookup = (row: SummaryRow, key: string) => string | undefined;

/** The rows a selection keeps, and how to describe the choice ("" when nothing was asked). */
export interface SelectedRows {
  rows: SummaryRow[];
  /** "--run r3f…", "where train.lambda=0.1", or "" for the default pick. */
  asked: string;
}

/**
 * Apply --run and --where to the rows of a folder (`where` names it in messages).
 * @throws {UsageError} for an unknown run, an unknown key, or conditions no run meets.
 */
export function selectRows(rows: SummaryRow[], selection: Selection, lookup: RunLookup, where: string): SelectedRows {
  let kept = rows;
  const asked: string[] = [];
  if (selection.run !== null) {
    const forms = runIdForms(selection.run);
    kept = kept.filter((row) => forms.includes(row.run_id) || row.run_id === selection.run);
    if (kept.length === 0) throw new UsageError(`--run ${selection.run}: no such run in ${where}`);
    asked.push(`--run ${selection.run}`);
  }
  for (const cond of selection.where) {
    const values = rows.map((row) => lookup(row, cond.key));
    if (values.every((v) => v === undefined)) {
      const hint = suggest(cond.key, [...new Set(rows.flatMap((row) => Object.keys(row.fields ?? row)))]);
      throw new UsageError(`--where ${cond.key}=${cond.value}: no summary column or config key ${cond.key} in ${where}${hint ? ` (did you mean ${hint}?)` : ""}`);
    }
    const before = kept;
    kept = kept.filter((row) => {
      const v = lookup(row, cond.key);
      return v !== undefined && valueMatches(v, cond.value);
    });
    if (kept.length === 0) {
      const seen = [...new Set(before.map((row) => lookup(row, cond.key)).filter((v): v is string => v !== undefined))].slice(0, 8);
      throw new UsageError(`--where ${cond.key}=${cond.value}: no run matches (${cond.key} is ${seen.join(", ")}${seen.length === 8 ? ", …" : ""})`);
    }
    asked.push(`${cond.key}=${cond.value}`);
  }
  return { rows: kept, asked: asked.join(", ") };
}

/**
 * The subtitle line saying how a figure's runs were picked.
 * @example pickNote(["r3f0160742b"], 9, "") // "run r3f0160742b of 9: smallest seed, then widest k (choose with --where or --run)"
 */
export function pickNote(shown: string[], pool: number, asked: string): string {
  const which = `${shown.length === 1 ? "run" : "runs"} ${shown.join(", ")}`;
  if (asked.startsWith("--run")) return `${which}, chosen with ${asked}`;
  if (pool === shown.length) return asked ? `${which}: every run where ${asked}` : "";
  return asked ? `${which} of ${pool} where ${asked}: ${DEFAULT_PICK}` : `${which} of ${pool}: ${DEFAULT_PICK} (choose with --where or --run)`;
}
