/**
 * CSV text through csv-stringify, with numbers written so that pandas and R read
 * them back exactly: shortest round-trip decimal, NaN as "NaN", ±∞ as "Inf"/"-Inf",
 * null as an empty cell, booleans as 1/0.
 */
import { stringify } from "csv-stringify/sync";

export type Cell = number | string | boolean | null | undefined;

export function formatCell(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "NaN";
    if (v === Infinity) return "Inf";
    if (v === -Infinity) return "-Inf";
    return String(v);
  }
  return v;
}

/** CSV text of `rows` with the given column order; missing cells are empty. */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  return stringify(
    rows.map((row) => columns.map((c) => formatCell(row[c]))),
    { header: true, columns: columns as string[], record_delimiter: "unix" },
  );
}
