/**
 * Comparing a reproduction with a committed reference: each claim's status and
 * the numbers in its `measured` text, and the data behind each figure (the
 * `data.values` arrays of its Vega-Lite spec, sampled to at most
 * SAMPLED_ROWS rows each). Pure functions over digests, so the comparison is
 * generic over whatever claims and figures exist: one missing from the
 * reference is reported, never a crash.
 *
 * Tolerances: two numbers agree when |a − b| ≤ RELATIVE_TOLERANCE·max(|a|, |b|),
 * or both are within ROUND_OFF of zero (round-off level: losses of 1e-30 differ
 * between kernels), or — for decimals printed in a claim's text — they differ by
 * at most one unit in the last printed digit (the text is rounded). Integers
 * (counts of runs and columns) get no such slack.
 */

/** Relative tolerance of every compared number. */
export const RELATIVE_TOLERANCE = 0.01;
/** Magnitudes at or below this are round-off: any two such values agree. */
export const ROUND_OFF = 1e-9;
/** Rows kept per data array of a figure (evenly spaced, first and last included). */
export const SAMPLED_ROWS = 40;
/** Significant digits of the numbers stored in a reference. */
const STORED_DIGITS = 6;

type Cell = number | string | boolean | null;
export type Row = Record<string, Cell>;

/** One `data.values` array of a figure's spec: where it sits, its length, and sampled rows by index. */
export interface DataArrayDigest {
  at: string;
  length: number;
  rows: Array<[index: number, row: Row]>;
}

export interface ClaimDigest {
  config: string;
  holds: boolean;
  measured: string;
}

/** What a reference holds for one size (quick or full) of `reproduce`. */
export interface ReferenceEntry {
  /** Claim id → its outcome. */
  claims: Record<string, ClaimDigest>;
  /** "config/figure-name" → the data behind it. */
  figures: Record<string, DataArrayDigest[]>;
}

export interface Drift {
  what: "claim" | "figure";
  /** Claim id, or "config/figure-name". */
  key: string;
  detail: string;
}

export interface Comparison {
  drifts: Drift[];
  /** Claims and figures this run has that the reference lacks (e.g. a claim added since it was written). */
  missing: string[];
  /** Claims and figures the reference has that this run did not produce. */
  dropped: string[];
  /** How many claims and figures were compared. */
  compared: { claims: number; figures: number };
}

const round = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(STORED_DIGITS)) : x);

function roundRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = typeof v === "number" ? round(v) : typeof v === "string" || typeof v === "boolean" || v === null ? v : JSON.stringify(v);
  }
  return out;
}

/** Evenly spaced indices 0 … length−1, at most `max` of them. */
export function sampleIndices(length: number, max = SAMPLED_ROWS): number[] {
  if (length <= max) return Array.from({ length }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (length - 1)) / (max - 1)));
}

/** Every `data.values` array of a Vega-Lite spec (in document order), sampled. */
export function figureDigest(spec: unknown): DataArrayDigest[] {
  const arrays: DataArrayDigest[] = [];
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => walk(child, `${at}[${i}]`));
    } else if (node && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        const values = (child as { values?: unknown })?.values;
        if (key === "data" && Array.isArray(values)) {
          const rows = values as Array<Record<string, unknown>>;
          arrays.push({ at: at || ".", length: rows.length, rows: sampleIndices(rows.length).map((i) => [i, roundRow(rows[i])]) });
        } else {
          walk(child, `${at}.${key}`);
        }
      }
    }
  };
  walk(spec, "");
  return arrays;
}

/** Whether two numbers agree within the tolerances; `unit` is the slack of a rounded printed decimal. */
export function numbersAgree(a: number, b: number, unit = 0): boolean {
  if (Object.is(a, b) || a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  if (scale <= ROUND_OFF) return true;
  return Math.abs(a - b) <= Math.max(RELATIVE_TOLERANCE * scale, unit * (1 + 1e-9));
}

const NUMBER = /-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi;

/** The numbers printed in a claim's text, each with one unit of its last printed digit (0 for integers). */
export function printedNumbers(text: string): Array<{ value: number; unit: number }> {
  return [...text.matchAll(NUMBER)].map(([s]) => {
    const [mantissa, exponent = "0"] = s.toLowerCase().split("e");
    const decimals = mantissa.includes(".") ? mantissa.split(".")[1].length : 0;
    const unit = decimals > 0 || exponent !== "0" ? 10 ** (Number(exponent) - decimals) : 0;
    return { value: Number(s), unit };
  });
}

function compareClaim(ref: ClaimDigest, now: ClaimDigest): string | null {
  const status = (h: boolean) => (h ? "holds" : "fails");
  if (ref.holds !== now.holds) return `${status(now.holds)}, the reference ${status(ref.holds)}: now "${now.measured}", reference "${ref.measured}"`;
  const a = printedNumbers(ref.measured);
  const b = printedNumbers(now.measured);
  if (a.length !== b.length) return `measured text changed shape: now "${now.measured}", reference "${ref.measured}"`;
  const off = a.findIndex((x, i) => !numbersAgree(x.value, b[i].value, Math.max(x.unit, b[i].unit)));
  if (off < 0) return null;
  return `${b[off].value} where the reference has ${a[off].value} (number ${off + 1} of "${now.measured}"; reference "${ref.measured}")`;
}

function compareRows(at: string, index: number, ref: Row, now: Row | undefined): string | null {
  if (!now) return `${at} row ${index}: missing`;
  for (const [field, r] of Object.entries(ref)) {
    const n = now[field];
    const same = typeof r === "number" && typeof n === "number" ? numbersAgree(r, n) : r === n;
    if (!same) return `${at} row ${index} ${field}: ${String(n)} where the reference has ${String(r)}`;
  }
  const extra = Object.keys(now).find((f) => !(f in ref));
  return extra ? `${at} row ${index}: new field ${extra}` : null;
}

/** The differences between a figure's data and its reference (at most `limit` lines, then a count). */
function compareFigure(ref: DataArrayDigest[], now: DataArrayDigest[], limit = 3): string | null {
  const problems: string[] = [];
  if (ref.length !== now.length) problems.push(`${now.length} data arrays where the reference has ${ref.length}`);
  ref.forEach((array, i) => {
    const other = now[i];
    if (!other) return;
    if (other.length !== array.length) {
      problems.push(`${array.at}: ${other.length} rows where the reference has ${array.length}`);
      return;
    }
    const rows = new Map(other.rows);
    for (const [index, row] of array.rows) {
      const problem = compareRows(array.at, index, row, rows.get(index));
      if (problem) problems.push(problem);
    }
  });
  if (problems.length === 0) return null;
  const more = problems.length > limit ? `; and ${problems.length - limit} more` : "";
  return problems.slice(0, limit).join("; ") + more;
}

/** Compare this run's digest with the reference's (same size). */
export function compareToReference(ref: ReferenceEntry, now: ReferenceEntry): Comparison {
  const result: Comparison = { drifts: [], missing: [], dropped: [], compared: { claims: 0, figures: 0 } };
  for (const [id, claim] of Object.entries(now.claims)) {
    const r = ref.claims[id];
    if (!r) {
      result.missing.push(`claim ${id}`);
      continue;
    }
    result.compared.claims++;
    const detail = compareClaim(r, claim);
    if (detail) {
      const figures = Object.keys(now.figures).filter((k) => k.startsWith(`${claim.config}/`));
      const shown = figures.length ? ` (its figures: ${figures.join(", ")})` : "";
      result.drifts.push({ what: "claim", key: id, detail: `${detail}${shown}` });
    }
  }
  for (const [key, figure] of Object.entries(now.figures)) {
    const r = ref.figures[key];
    if (!r) {
      result.missing.push(`figure ${key}`);
      continue;
    }
    result.compared.figures++;
    const detail = compareFigure(r, figure);
    if (detail) result.drifts.push({ what: "figure", key, detail });
  }
  for (const id of Object.keys(ref.claims)) if (!(id in now.claims)) result.dropped.push(`claim ${id}`);
  for (const key of Object.keys(ref.figures)) if (!(key in now.figures)) result.dropped.push(`figure ${key}`);
  return result;
}

/**
 * What `reproduce --compare DIR` prints: one `DRIFT` line per drift, a summary
 * line with the tolerances, and warnings for claims or figures on one side only.
 */
export function comparisonReport(cmp: Comparison, dir: string): { out: string[]; warnings: string[]; drifted: boolean } {
  const tolerance = `${RELATIVE_TOLERANCE * 100}% (values under ${ROUND_OFF} agree)`;
  const out = cmp.drifts.map((d) => `DRIFT ${d.what} ${d.key}: ${d.detail}`);
  out.push(
    `compare: ${cmp.compared.claims} claims and ${cmp.compared.figures} figures against ${dir}, ` +
      (cmp.drifts.length ? `${cmp.drifts.length} drifted beyond ${tolerance}` : `all within ${tolerance}`),
  );
  const warnings = [
    ...cmp.missing.map((m) => `${m}: not in the reference ${dir} (write it with --update-reference; in the prune-sense repository: npm run reference)`),
    ...cmp.dropped.map((m) => `${m}: in the reference ${dir} but not produced by this run`),
  ];
  return { out, warnings, drifted: cmp.drifts.length > 0 };
}
