/**
 * `prune-sense plot`: turn a results folder into figures. For each problem kind
 * in the folder (name suffix `-<kind>`), whichever of these the data supports:
 *
 * - `column-norms-<kind>`: sorted trained column norms, regularized vs not, with ε;
 * - `trace-<kind>` (or `trace-<kind>-<run_id>` for each run of a folder of ≤ 4
 *   runs): losses and recovery error through train → prune → fine-tune;
 * - `kept-heatmap-<kind>`: mean kept columns over the λ × ε grid;
 * - `kept-vs-k-<kind>`: mean kept columns against k, with the true r;
 * - `error-vs-n-<kind>`: pruned vs unpruned error and test loss against n (noisy runs).
 *
 * Each figure is written as NAME.svg, NAME.png and NAME.vl.json (the Vega-Lite
 * spec with its data inlined).
 */
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import {
  distinctValues, errorByN, groupLabel, isFiniteNumber, keptByK, keptGrid, kindsOf,
  noisyRuns, phaseSpans, referenceLine, representatives, runCaption, sortedNorms, thresholdKey,
  thresholdCaption, thresholdValue, TRACE_EACH_RUN_MAX, traceRuns, traceValues, type GroupThreshold, type NormPoint,
} from "./data.js";
import { writeFigure, type FigureFile } from "./render.js";
import { loadColumns, loadPruneRule, loadSummary, loadTrace, type SummaryRow } from "./results.js";
import { columnNormsSpec, errorVsNSpec, keptHeatmapSpec, keptVsKSpec, traceSpec } from "./specs.js";

export type { FigureFile } from "./render.js";

/** Options of {@link plotResults}. */
export interface PlotOptions {
  /** Folder for the figures; default `<resultsDir>/figures`. */
  outDir?: string;
  /** Also write PNGs (default true). */
  png?: boolean;
}

/** A figure before rendering. */
interface Figure {
  name: string;
  spec: TopLevelSpec;
}

/**
 * Read a results folder and write every figure its data supports.
 * @returns the files written, in order (per kind: column norms, traces, kept, error).
 * @throws {UserError} when the folder does not exist or holds no runs (no summary.csv, or an empty one).
 * @example
 * const files = await plotResults("results/sweep", { outDir: "figs" });
 * files.map((f) => f.name); // ["column-norms-matrix-sensing", "trace-matrix-sensing", ...]
 */
export async function plotResults(resultsDir: string, options: PlotOptions = {}): Promise<FigureFile[]> {
  const rows = loadSummary(resultsDir);
  const outDir = options.outDir ?? join(resultsDir, "figures");
  const written: FigureFile[] = [];
  for (const figure of collectFigures(resultsDir, rows)) {
    written.push(await writeFigure(outDir, figure.name, figure.spec, options.png ?? true));
  }
  return written;
}

/** Every figure of the folder, per problem kind. */
function collectFigures(dir: string, rows: SummaryRow[]): Figure[] {
  const figures: Figure[] = [];
  for (const kind of kindsOf(rows)) {
    const kindRows = rows.filter((row) => row.kind === kind);
    const suffix = safeName(kind);
    const norms = columnNormsFigure(dir, kind, kindRows);
    if (norms) figures.push({ name: `column-norms-${suffix}`, spec: norms });
    figures.push(...traceFigures(dir, kind, kindRows, rows.length));
    const heatmap = keptHeatmapFigure(kind, kindRows);
    if (heatmap) figures.push({ name: `kept-heatmap-${suffix}`, spec: heatmap });
    const byK = keptVsKFigure(kind, kindRows);
    if (byK) figures.push({ name: `kept-vs-k-${suffix}`, spec: byK });
    const byN = errorVsNFigure(kind, kindRows);
    if (byN) figures.push({ name: `error-vs-n-${suffix}`, spec: byN });
  }
  return figures;
}

/** File-name-safe text (run ids and kinds are already safe; this guards odd input). */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "_");
}

/** The single true rank of a set of runs, or null when it is unknown or varies. */
function trueRank(rows: SummaryRow[]): number | null {
  const rs = distinctValues(rows, "r");
  return rs.length === 1 ? rs[0] : null;
}

/** Trained norms of one representative run per training group, with each run's ε; null without columns.csv files. */
function columnNormsFigure(dir: string, kind: string, kindRows: SummaryRow[]): TopLevelSpec | null {
  const points: NormPoint[] = [];
  const thresholds: GroupThreshold[] = [];
  for (const row of representatives(kindRows)) {
    const columns = loadColumns(dir, row.run_id);
    if (!columns || !isFiniteNumber(row.lambda)) continue;
    const series = groupLabel(row.lambda);
    const sorted = sortedNorms(columns, series);
    if (sorted.length === 0) continue;
    points.push(...sorted);
    // sortedNorms floors at NORM_FLOOR, which cannot change the largest norm.
    const rule = loadPruneRule(dir, row);
    const value = thresholdValue(rule, sorted[0].norm);
    if (value !== null && value > 0) thresholds.push({ rule, value, series });
  }
  if (points.length === 0) return null;
  return columnNormsSpec({
    kind, points, thresholds: thresholds.map(({ value, series }) => ({ value, series })), caption: thresholdCaption(thresholds),
  });
}

/** One trace per run of a small folder, else one for the kind's representative regularized run. */
function traceFigures(dir: string, kind: string, kindRows: SummaryRow[], folderRuns: number): Figure[] {
  const figures: Figure[] = [];
  for (const row of traceRuns(kindRows, folderRuns)) {
    const trace = loadTrace(dir, row.run_id);
    if (!trace) continue;
    const values = traceValues(trace);
    if (values.length === 0) continue;
    const status = row.status === "ok" ? "" : ` (${row.status})`;
    const name = folderRuns <= TRACE_EACH_RUN_MAX ? `trace-${safeName(kind)}-${safeName(row.run_id)}` : `trace-${safeName(kind)}`;
    figures.push({
      name,
      spec: traceSpec({
        kind,
        caption: `run ${row.run_id}: ${runCaption(row, kindRows)}${status}`,
        values,
        spans: phaseSpans(trace),
        rate: isFiniteNumber(row.finetune_rate) ? row.finetune_rate : null,
      }),
    });
  }
  return figures;
}

/** Needs ≥ 2 values of λ and of ε (absolute, else relative). */
function keptHeatmapFigure(kind: string, kindRows: SummaryRow[]): TopLevelSpec | null {
  const key = thresholdKey(kindRows);
  if (key === null || distinctValues(kindRows, "lambda").length < 2) return null;
  const cells = keptGrid(kindRows, key);
  if (cells.length === 0) return null;
  return keptHeatmapSpec({ kind, cells, relative: key === "relative_threshold", r: trueRank(kindRows) });
}

/** Needs ≥ 2 values of k. */
function keptVsKFigure(kind: string, kindRows: SummaryRow[]): TopLevelSpec | null {
  if (distinctValues(kindRows, "k").length < 2) return null;
  const points = keptByK(kindRows);
  if (points.length < 2) return null;
  return keptVsKSpec({ kind, points, r: trueRank(kindRows) });
}

/** Needs noisy runs (σ > 0) at ≥ 2 values of n. */
function errorVsNFigure(kind: string, kindRows: SummaryRow[]): TopLevelSpec | null {
  const noisy = noisyRuns(kindRows);
  if (noisy.length === 0) return null;
  const points = errorByN(noisy);
  if (points.length === 0) return null;
  const { noise, d, r } = noisy[0];
  return errorVsNSpec({ kind, points, reference: referenceLine(points), noise: noise as number, d, r });
}
