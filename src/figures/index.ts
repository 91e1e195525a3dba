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
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { writeFileAtomic } from "../output/atomic.js";
import { entryKind, readRegularText, refuseSpecialTarget } from "../files/special-files.js";
import {
  distinctValues, errorByN, groupLabel, isFiniteNumber, keptByK, keptGrid, kindsOf, normFloor,
  noisyRuns, phaseCells, phaseSpans, referenceLine, representatives, runCaption, sortedNorms, thresholdKey,
  thresholdCaption, thresholdValue, TRACE_EACH_RUN_MAX, traceRuns, traceValues, type GroupThreshold, type NormPoint, type PhaseCell,
} from "./data.js";
import { writeFigure, type FigureFile } from "./render.js";
import { captionFromSpec, columnNormsCaption, errorVsNCaption, keptHeatmapCaption, keptVsKCaption, phaseCaption, traceCaption } from "./captions.js";
import { loadColumns, loadPruneRule, loadRunConfig, loadSummary, loadTrace, type SummaryRow } from "./results.js";
import { pickNote, selectRows, type RunLookup, type Selection } from "./select.js";
import { columnNormsSpec, errorVsNSpec, keptHeatmapSpec, keptVsKSpec, phaseErrorSpec, phaseKeptSpec, traceSpec } from "./specs.js";

export type { FigureFile } from "./render.js";
export { parseWhere, type Selection, type WhereCondition } from "./select.js";

/** Options of {@link plotResults}. */
export interface PlotOptions {
  /** Folder for the figures; default `<resultsDir>/figures`. */
  outDir?: string;
  /** Also write PNGs (default true). */
  png?: boolean;
  /** Which runs the single-run figures show (default: see select.ts). */
  selection?: Selection;
}

/** A figure before rendering, with its caption (from its data, or else its title and subtitle). */
interface Figure {
  name: string;
  spec: TopLevelSpec;
  caption?: string;
}

/** A spec and the caption of its values. */
interface Drawn {
  spec: TopLevelSpec;
  caption: string;
}

/**
 * The list of files `plot` wrote into a figures folder. The next `plot` into
 * the same folder removes the ones it does not write again (no stale figure
 * beside the new ones), and never touches a file it did not write.
 */
export const PLOT_MANIFEST = "plot-files.json";

/** Files the previous plot into `outDir` wrote (names inside outDir), [] without a manifest. */
function previousFiles(outDir: string): string[] {
  const path = join(outDir, PLOT_MANIFEST);
  try {
    const files = (JSON.parse(readRegularText(path)) as { files?: unknown }).files;
    // only plain names: a damaged or hand-edited manifest must not reach outside the folder
    return Array.isArray(files) ? files.filter((f): f is string => typeof f === "string" && /^[A-Za-z0-9._-]+$/.test(f) && f !== PLOT_MANIFEST) : [];
  } catch {
    return [];
  }
}

/** The file names of a written figure, inside its folder. */
function namesOf(file: FigureFile): string[] {
  return [file.svg, file.png, file.spec].filter((f) => f !== "").map((f) => f.split(/[\\/]/).pop()!);
}

/**
 * Read a results folder and write every figure its data supports, replacing
 * the figures an earlier `plot` wrote into the same folder.
 * @returns the files written, in order (per kind: column norms, traces, kept, error).
 * @throws {UserError} when the folder does not exist or holds no runs (no summary.csv, or an empty one),
 *   or --run / --where match no run.
 * @example
 * const files = await plotResults("results/sweep", { outDir: "figs" });
 * files.map((f) => f.name); // ["column-norms-matrix-sensing", "trace-matrix-sensing", ...]
 */
export async function plotResults(resultsDir: string, options: PlotOptions = {}): Promise<FigureFile[]> {
  const rows = loadSummary(resultsDir);
  const outDir = options.outDir ?? join(resultsDir, "figures");
  const selection = options.selection ?? { where: [], run: null };
  // a FIFO, a device or a link as the manifest: refused before anything is drawn, not after
  refuseSpecialTarget(join(outDir, PLOT_MANIFEST));
  const figures = collectFigures(resultsDir, rows, selection);
  const before = previousFiles(outDir);
  const written: FigureFile[] = [];
  for (const figure of figures) {
    const file = await writeFigure(outDir, figure.name, figure.spec, options.png ?? true);
    written.push({ ...file, caption: figure.caption ?? captionFromSpec(figure.spec) });
  }
  const now = written.flatMap(namesOf);
  // only a regular file is ours to remove: a folder or a FIFO made there since is left alone
  for (const stale of before.filter((f) => !now.includes(f))) if (entryKind(join(outDir, stale))?.regular) rmSync(join(outDir, stale), { force: true });
  if (written.length || before.length) writeFileAtomic(join(outDir, PLOT_MANIFEST), `${JSON.stringify({ files: now }, null, 2)}\n`);
  return written;
}

/** A summary column of the row, else a dotted path of the run's config.json (read once per run). */
function runLookup(dir: string): RunLookup {
  const configs = new Map<string, Record<string, unknown> | null>();
  return (row, key) => {
    const field = row.fields?.[key];
    if (field !== undefined && field !== "") return field;
    if (!key.includes(".") && key !== "seed") return undefined;
    if (!configs.has(row.run_id)) configs.set(row.run_id, loadRunConfig(dir, row.run_id));
    let node: unknown = configs.get(row.run_id);
    for (const part of key.split(".")) node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
    return node === undefined || node === null || typeof node === "object" ? undefined : String(node);
  };
}

/** Every figure of the folder, per problem kind. */
function collectFigures(dir: string, rows: SummaryRow[], selection: Selection): Figure[] {
  const figures: Figure[] = [];
  const lookup = runLookup(dir);
  const chosen = selectRows(rows, selection, lookup, join(dir, "summary.csv"));
  for (const kind of kindsOf(rows)) {
    const kindRows = rows.filter((row) => row.kind === kind);
    const single = chosen.rows.filter((row) => row.kind === kind);
    const suffix = safeName(kind);
    const norms = single.length ? columnNormsFigure(dir, kind, single, chosen.asked) : null;
    if (norms) figures.push({ name: `column-norms-${suffix}`, ...norms });
    if (single.length) figures.push(...traceFigures(dir, kind, single, chosen.rows.length, chosen.asked));
    const phase = phaseFigures(kind, kindRows, lookup);
    // across κ, σ_r-scaled λ and ε share no grid: the phase diagram's rows replace the one heatmap
    const heatmap = phase.some((p) => p.acrossKappa) ? null : keptHeatmapFigure(kind, kindRows);
    if (heatmap) figures.push({ name: `kept-heatmap-${suffix}`, ...heatmap });
    figures.push(...phase.map(({ name, spec, caption }) => ({ name: `${name}-${suffix}`, spec, caption })));
    const byK = keptVsKFigure(kind, kindRows);
    if (byK) figures.push({ name: `kept-vs-k-${suffix}`, ...byK });
    const byN = errorVsNFigure(kind, kindRows);
    if (byN) figures.push({ name: `error-vs-n-${suffix}`, ...byN });
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
function columnNormsFigure(dir: string, kind: string, kindRows: SummaryRow[], asked: string): Drawn | null {
  const runs = representatives(kindRows)
    .map((row) => ({ row, columns: loadColumns(dir, row.run_id) }))
    .filter((r): r is { row: SummaryRow; columns: NonNullable<typeof r.columns> } => r.columns !== null && isFiniteNumber(r.row.lambda));
  const trained = runs.flatMap((r) => r.columns.filter((c) => c.stage === "trained").map((c) => c.norm));
  const floor = normFloor(trained);
  const points: NormPoint[] = [];
  const thresholds: GroupThreshold[] = [];
  const shown: string[] = [];
  for (const { row, columns } of runs) {
    const series = groupLabel(row.lambda as number);
    const sorted = sortedNorms(columns, series, floor);
    if (sorted.length === 0) continue;
    points.push(...sorted);
    shown.push(row.run_id);
    // the largest norm is never the floor, so a relative rule cuts at its true value
    const rule = loadPruneRule(dir, row);
    const value = thresholdValue(rule, sorted[0].norm);
    if (value !== null && value > 0) thresholds.push({ rule, value, series });
  }
  if (points.length === 0) return null;
  const rules = thresholds.map(({ value, series }) => ({ value, series }));
  const spec = columnNormsSpec({
    kind, points, floor, thresholds: rules, caption: thresholdCaption(thresholds), r: isFiniteNumber(runs[0]?.row.r) ? runs[0].row.r : null,
    selection: pickNote(shown, kindRows.length, asked) || `${shown.length === 1 ? "run" : "runs"} ${shown.join(", ")}`,
  });
  return { spec, caption: `Run${shown.length === 1 ? "" : "s"} ${shown.join(", ")}. ${columnNormsCaption(points, rules)}` };
}

/** One trace per run of a small selection, else one for the kind's representative regularized run. */
function traceFigures(dir: string, kind: string, kindRows: SummaryRow[], selected: number, asked: string): Figure[] {
  const figures: Figure[] = [];
  for (const row of traceRuns(kindRows, selected)) {
    const trace = loadTrace(dir, row.run_id);
    if (!trace) continue;
    const diverged = row.status === "diverged";
    const values = traceValues(trace, diverged);
    if (values.length === 0) continue;
    const status = row.status === "ok" || diverged ? "" : ` (${row.status})`;
    const each = selected <= TRACE_EACH_RUN_MAX;
    const name = each ? `trace-${safeName(kind)}-${safeName(row.run_id)}` : `trace-${safeName(kind)}`;
    const spans = phaseSpans(trace);
    const rate = isFiniteNumber(row.finetune_rate) ? row.finetune_rate : null;
    const where = diverged ? { step: row.diverged_step, phase: row.fields?.diverged_phase ?? "" } : null;
    const settings = `run ${row.run_id}: ${runCaption(row, kindRows)}${status}`;
    figures.push({
      name,
      spec: traceSpec({
        kind, caption: settings, values, spans, rate, diverged: where,
        selection: each ? (asked ? `picked with ${asked}` : "") : pickNote([row.run_id], kindRows.length, asked),
      }),
      caption: `${settings[0].toUpperCase()}${settings.slice(1)}. ${traceCaption(values, spans, rate, where)}`,
    });
  }
  return figures;
}

/** Needs ≥ 2 values of λ and of ε (absolute, else relative). */
function keptHeatmapFigure(kind: string, kindRows: SummaryRow[]): Drawn | null {
  const key = thresholdKey(kindRows);
  if (key === null || distinctValues(kindRows, "lambda").length < 2) return null;
  const cells = keptGrid(kindRows, key);
  if (cells.length === 0) return null;
  const r = trueRank(kindRows);
  return { spec: keptHeatmapSpec({ kind, cells, relative: key === "relative_threshold", r }), caption: keptHeatmapCaption(cells, r) };
}

/**
 * Needs ≥ 2 panels (values of κ or of k) and a panel with ≥ 2 values of λ and
 * of ε: the kept-columns and recovery-error phase diagrams, one panel per (κ, k).
 */
function phaseFigures(kind: string, kindRows: SummaryRow[], lookup: RunLookup): Array<{ name: string; acrossKappa: boolean } & Drawn> {
  const key = thresholdKey(kindRows);
  const r = trueRank(kindRows);
  if (key === null || r === null || distinctValues(kindRows, "lambda").length < 2) return [];
  const kappaOf = (row: SummaryRow): number | null => {
    const v = Number(lookup(row, "problem.kappa"));
    return Number.isFinite(v) ? v : null;
  };
  const kappas = new Set(kindRows.map(kappaOf));
  if (kappas.size < 2 && distinctValues(kindRows, "k").length < 2) return [];
  const cells = phaseCells(kindRows, key, kappaOf, r);
  const panel = (c: PhaseCell) => `${c.kappa}|${c.k}`;
  const grid = [...new Set(cells.map(panel))].some((p) => {
    const mine = cells.filter((c) => panel(c) === p);
    return new Set(mine.map((c) => c.lambda)).size >= 2 && new Set(mine.map((c) => c.threshold)).size >= 2;
  });
  // nothing to colour when no run got to pruning (every run failed or diverged in training)
  if (!grid || cells.every((c) => c.kept === null)) return [];
  const input = { kind, cells, r, relative: key === "relative_threshold" };
  const acrossKappa = kappas.size > 1;
  return [
    { name: "phase-kept", spec: phaseKeptSpec(input), caption: phaseCaption(cells, r), acrossKappa },
    ...(cells.some((c) => c.error !== null) ? [{ name: "phase-error", spec: phaseErrorSpec(input), caption: phaseCaption(cells, r), acrossKappa }] : []),
  ];
}

/** Needs ≥ 2 values of k. */
function keptVsKFigure(kind: string, kindRows: SummaryRow[]): Drawn | null {
  if (distinctValues(kindRows, "k").length < 2) return null;
  const points = keptByK(kindRows);
  if (points.length < 2) return null;
  const r = trueRank(kindRows);
  return { spec: keptVsKSpec({ kind, points, r }), caption: keptVsKCaption(points, r) };
}

/** Needs noisy runs (σ > 0) at ≥ 2 values of n. */
function errorVsNFigure(kind: string, kindRows: SummaryRow[]): Drawn | null {
  const noisy = noisyRuns(kindRows);
  if (noisy.length === 0) return null;
  const points = errorByN(noisy);
  if (points.length === 0) return null;
  const { noise, d, r } = noisy[0];
  return {
    spec: errorVsNSpec({ kind, points, reference: referenceLine(points), noise: noise as number, d, r }),
    caption: errorVsNCaption(points, noise as number),
  };
}
