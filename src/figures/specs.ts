/**
 * Vega-Lite specs, one pure function per chart: shaped data in (see data.ts),
 * a complete spec with the data inlined out. No I/O, so a spec can be tested
 * as a value and saved as `NAME.vl.json` for a user to restyle.
 */
import type { TopLevelSpec } from "vega-lite";
import type { Config } from "vega-lite/types_unstable/config.js";
import type { Encoding } from "vega-lite/types_unstable/encoding.js";
import type { MarkDef } from "vega-lite/types_unstable/mark.js";
import {
  formatNumber, formatRate, PRUNED_SERIES, TRACE_METRICS, UNPRUNED_SERIES,
  OBJECTIVE_METRIC, type ErrorPoint, type KeptCell, type KeptPoint, type NormPoint, type PhaseCell, type PhaseSpans, type TraceValue,
} from "./data.js";

/** The font of every chart; DejaVu Sans ships with most Linux systems and resvg finds it there. */
export const FONT = "DejaVu Sans";
export const WIDTH = 480;
export const HEIGHT = 300;
/** Width of each of the two side-by-side panels of error-vs-n. */
const PANEL_WIDTH = 320;
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Shared look: one font, readable sizes, titles flush left with room below for phase labels. */
export const CHART_CONFIG: Config = {
  font: FONT,
  background: "white",
  title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: "#555", anchor: "start", offset: 12 },
  // labelSeparation: without it Vega lets a flush end label touch its neighbour ("280300").
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", gridColor: "#e6e6e6", labelSeparation: 6 },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", labelLimit: 260 },
  view: { stroke: "#ccc" },
};

/** Grey for reference marks (thresholds, rates), so they read as guides, not data. */
const GUIDE = "#666";

/**
 * Log-axis labels: plain numbers from 0.001 to 9999, "1e-5" style outside.
 * An empty default label means Vega thinned that tick out; keep it empty.
 * The tick values themselves come from logTicks.
 */
export const LOG_AXIS = {
  labelExpr: "datum.label === '' ? '' : datum.value >= 1e-3 && datum.value < 1e4 ? format(datum.value, '~g') : format(datum.value, '.0e')",
};

/** An axis label of a number with the digits it needs: 3 significant, trailing zeros dropped (0.0333, 0.1, 1e-5). */
const SHORT_NUMBER = "+datum.value === 0 ? '0' : abs(datum.value) >= 1e-3 && abs(datum.value) < 1e5 ? format(datum.value, '.3~g') : format(datum.value, '.2~e')";

/** Spec fields every chart shares; a subtitle of several lines is a list (empty lines dropped). */
function frame(title: string, subtitle: string | string[]) {
  const lines = (Array.isArray(subtitle) ? subtitle : [subtitle]).filter((l) => l !== "");
  return { $schema: SCHEMA, title: { text: title, subtitle: lines.length === 1 ? lines[0] : lines }, config: CHART_CONFIG } as const;
}

/**
 * A guide label (ε, r, a reference rate) as two text layers: a thick white
 * stroke under the grey text, so the label stays readable where a data line
 * runs through it. `name` names the layers (Vega mark class `<name>_marks`).
 */
function guideText(name: string, values: object[], encoding: Encoding<string>, mark: Omit<MarkDef<"text">, "type">) {
  const text: MarkDef<"text"> = { type: "text", color: GUIDE, fontSize: 12, ...mark };
  return [
    { name: `${name}_halo`, data: { values }, mark: { ...text, stroke: "white", strokeWidth: 4, strokeJoin: "round" as const }, encoding },
    { name, data: { values }, mark: text, encoding },
  ];
}

/** Input of {@link columnNormsSpec}. */
export interface ColumnNormsInput {
  kind: string;
  points: NormPoint[];
  /** The prune threshold of each series' run (absolute ε). */
  thresholds: { value: number; series: string }[];
  /** The one caption of the threshold rules, shown in the subtitle (see data.thresholdCaption). */
  caption: string;
  /** Where exact zeros are drawn (see data.normFloor); null when no norm is zero. */
  floor?: number | null;
  /** Which runs the curves are and how they were picked, a subtitle line ("" for none). */
  selection?: string;
  /** The true rank, marked between rank r and r + 1; null or absent when unknown. */
  r?: number | null;
}

/** Rank ticks: 1, then round steps (at most ~16 labels), never the 0 the axis padding would show. */
export function rankTicks(maxRank: number): number[] {
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500].find((s) => maxRank / s <= 16) ?? 1000;
  const out = [1];
  for (let v = step; v <= maxRank; v += step) if (v > 1) out.push(v);
  return out;
}

/** Decades of the log axis kept under the smallest ε: the region around ε gets the height, not 1e-30. */
export const DECADES_UNDER_EPSILON = 3;

/**
 * Where the column-norm axis stops: DECADES_UNDER_EPSILON decades under the
 * smallest ε (a power of ten), or at the smallest norm when none is lower;
 * null without ε (the whole range is drawn).
 * @example normAxisFloor([1, 0.5, 1e-30], [0.1]) // 1e-4
 */
export function normAxisFloor(norms: readonly number[], thresholds: readonly number[]): number | null {
  const positive = norms.filter((n) => n > 0);
  if (thresholds.length === 0 || positive.length === 0) return null;
  const clip = Number(`1e${Math.floor(Math.log10(Math.min(...thresholds))) - DECADES_UNDER_EPSILON}`);
  return Math.min(...positive) >= clip ? null : clip;
}

/** The bottom end of a column-norm log axis and the subtitle line counting the columns drawn on it. */
export interface NormAxisBottom {
  /** Where the axis is clipped (normAxisFloor), null when it is not. */
  clip: number | null;
  /** The axis' bottom end: the clip, else the smallest positive norm or ε. */
  bottom: number;
  /** Columns drawn at an exact 0's floor (data.normFloor). */
  zeros: number;
  /** "▼ on the bottom edge: 37 columns below 1e-4 (down to 1.35e-35), 18 exactly 0", or "" when none are. */
  note: string;
}

/**
 * The clipped bottom of a column-norm axis, shared by the per-folder figure and
 * reproduce's by-penalty panels: DECADES_UNDER_EPSILON decades under the smallest
 * ε, the columns under it counted in a subtitle line (in the subtitle, not on the
 * plot: the bottom edge is where those columns are drawn).
 */
export function normAxisBottom(points: readonly NormPoint[], thresholds: readonly number[]): NormAxisBottom {
  const norms = points.map((p) => p.norm);
  const clip = normAxisFloor(norms, thresholds);
  const bottom = clip ?? Math.min(...norms.filter((n) => n > 0), ...thresholds);
  const below = clip === null ? [] : points.filter((p) => p.norm < clip || p.clamped);
  const zeros = points.filter((p) => p.clamped).length;
  const smallest = below.filter((p) => !p.clamped).map((p) => p.norm);
  const note = below.length === 0 ? "" : `▼ on the bottom edge: ${below.length} column${below.length === 1 ? "" : "s"} below ${formatNumber(bottom)}` +
    (smallest.length ? ` (down to ${formatNumber(Math.min(...smallest))})` : "") + (zeros ? `, ${zeros} exactly 0` : "");
  return { clip, bottom, zeros, note };
}

/**
 * Sorted trained column norms per training group on a log axis that stops
 * three decades under the prune threshold ε: the region where kept and pruned
 * columns part is most of the plot, and the columns the penalty drove far
 * below (to 1e-30, or exactly 0) sit on the bottom edge as ▼, counted in a
 * label. Kept columns (norm ≥ ε) are filled, pruned ones hollow; ε is a dashed
 * rule labelled at the right, the true rank r a dotted rule between ranks r
 * and r + 1. Several ε: each rule takes its group's colour, named in the subtitle.
 * @example columnNormsSpec({ kind: "population", points: sortedNorms(cols, "unregularized (λ=0)"), thresholds: [], caption: "" })
 */
export function columnNormsSpec(input: ColumnNormsInput): TopLevelSpec {
  const maxRank = Math.max(...input.points.map((p) => p.rank));
  const values = [...new Set(input.thresholds.map((t) => t.value))];
  const norms = input.points.map((p) => p.norm);
  const { clip, bottom, zeros, note: belowNote } = normAxisBottom(input.points, values);
  // headroom over the largest norm, so its points are not cut by the frame
  const top = 2 * Math.max(...norms, ...values);
  // Kept short: a vertical title longer than the plot stretches the whole chart.
  const clampedOnly = clip === null && zeros > 0;
  const yTitle = clampedOnly ? `column norm ‖u_i‖₂ (log scale; 0 drawn at ${formatNumber(bottom)})` : "column norm ‖u_i‖₂ (log scale)";
  const color = { field: "series", type: "nominal" as const, title: "training" };
  const several = values.length > 1;
  const epsilon = Math.min(...values);
  const subtitle = values.length === 0
    ? "sorted, largest first"
    : `sorted, largest first; filled: kept (‖u_i‖ ≥ ε), hollow: pruned${several ? `; dashed: ${input.caption}` : ""}`;
  const keptTest = several
    ? input.thresholds.map((t) => `(datum.series === ${JSON.stringify(t.series)} && datum.norm >= ${t.value})`).join(" || ")
    : values.length ? `datum.norm >= ${epsilon}` : "true";
  const y = { field: "norm", type: "quantitative" as const, scale: { type: "log" as const, domain: [bottom, top], nice: false, clamp: true } };
  const x = { field: "rank", type: "quantitative" as const, scale: { domain: [1, maxRank], nice: false, padding: 8 } };
  const rank = input.r ?? null;
  const rankGuide = rank !== null && rank < maxRank ? [{ rank: rank + 0.5, norm: bottom, label: `r = ${rank}` }] : [];
  return {
    ...frame(`Column norms after training (${input.kind})`, [subtitle, belowNote, input.selection ?? ""]),
    width: WIDTH,
    height: HEIGHT,
    // the legend below the plot (the right margin holds the ε label); line swatches, since hollow means pruned
    config: { ...CHART_CONFIG, legend: { ...CHART_CONFIG.legend, orient: "bottom", direction: "horizontal", symbolType: "stroke", symbolStrokeWidth: 3, symbolSize: 300 } },
    // the points' fill shares the lines' field but has no legend of its own: kept apart, or
    // vega-lite 6.4.3 merges the two legends and the fill's `legend: null` removes both
    resolve: { legend: { fill: "independent" } },
    layer: [
      {
        name: "true_rank",
        data: { values: rankGuide },
        mark: { type: "rule", strokeDash: [2, 3], color: GUIDE },
        encoding: { x: { field: "rank", type: "quantitative" } },
      },
      {
        name: "norms",
        data: { values: input.points },
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x: { ...x, title: "column rank (1 = largest norm)", axis: { values: rankTicks(maxRank) } },
          y: { ...y, title: yTitle, axis: { ...LOG_AXIS, values: logTicks(bottom, top) } },
          color,
        },
      },
      {
        name: "norm_points",
        data: { values: input.points },
        mark: { type: "point", size: 36, strokeWidth: 1.5, opacity: 1 },
        encoding: {
          x, y, color,
          // kept: filled in the series colour; pruned: hollow; below the axis: ▼ on its edge
          fill: { condition: { test: keptTest, field: "series", type: "nominal", legend: null }, value: "white" },
          shape: clip === null ? { value: "circle" } : { condition: { test: `datum.norm < ${clip}`, value: "triangle-down" }, value: "circle" },
        },
      },
      {
        name: "threshold",
        data: { values: several ? input.thresholds : values.map((value) => ({ value })) },
        mark: { type: "rule", strokeDash: [6, 4], strokeWidth: 1.5, ...(several ? {} : { color: GUIDE }) },
        encoding: { y: { field: "value", type: "quantitative" }, ...(several ? { color } : {}) },
      },
      // ε named at the right end of its rule, outside the plot, where no data can be
      ...(several || values.length === 0 ? [] : guideText(
        "threshold_label", [{ value: epsilon, label: `ε = ${formatNumber(epsilon)}` }],
        { x: { value: WIDTH }, y: { field: "value", type: "quantitative" }, text: { field: "label" } },
        { align: "left", baseline: "middle", dx: 6 },
      )),
      // r at the bottom left of its rule: ranks up to r are the large columns, so the bottom there is empty
      ...guideText("true_rank_label", rankGuide, { x: { field: "rank", type: "quantitative" }, y: { value: HEIGHT }, text: { field: "label" } },
        { align: "right", baseline: "bottom", dx: -4, dy: -4 }),
    ],
  };
}

/** Input of {@link traceSpec}. */
export interface TraceInput {
  kind: string;
  /** Settings of the run, shown in the subtitle. */
  caption: string;
  values: TraceValue[];
  spans: PhaseSpans;
  /** Fitted per-step contraction of fine-tuning (summary.csv finetune_rate), null when unknown. */
  rate: number | null;
  /** Where the run diverged, if it did: its trace is what was logged up to there. */
  diverged?: { step: number | null; phase: string } | null;
  /** How the run was picked, a subtitle line ("" for none). */
  selection?: string;
}

/** A phase name above the plot: `row` 0 is just above it, 1 the line above that. */
interface PhaseLabel {
  step: number;
  label: string;
  align: "left" | "right" | "center";
  row: 0 | 1;
}

/**
 * Phase names above the plot, anchored to the prune step so they never collide
 * however short a phase is: "prune" over the rule, and below it
 * "◀ train" ending left of the rule and "fine-tune ▶" starting right of it.
 */
export function phaseLabels(spans: PhaseSpans): PhaseLabel[] {
  const boundary = spans.prune ?? spans.train?.[1] ?? null;
  if (boundary === null) return [];
  const labels: PhaseLabel[] = [];
  if (spans.prune !== null) labels.push({ step: boundary, label: "prune", align: "center", row: 1 });
  if (spans.train) labels.push({ step: boundary, label: "◀ train", align: "right", row: 0 });
  if (spans.finetune) labels.push({ step: boundary, label: "fine-tune ▶", align: "left", row: 0 });
  return labels;
}

/**
 * Train loss, test loss and recovery error against the global step through
 * train → prune → fine-tune, log y, with the prune step as a rule; the title
 * gives the fitted fine-tuning contraction per step.
 */
export function traceSpec(input: TraceInput): TopLevelSpec {
  const diverged = input.diverged ?? null;
  const rate = diverged
    ? `diverged${diverged.step === null ? "" : ` at step ${diverged.step}`}${diverged.phase ? ` (${diverged.phase})` : ""}`
    : input.rate === null ? "fine-tune rate not fitted" : `fine-tune contracts ×${formatRate(input.rate)}/step`;
  const divergedAt = diverged && diverged.step !== null ? [{ step: diverged.step, label: "diverged" }] : [];
  // a short or cut-off trace (a diverged run) shows its logged points, not only the lines between them
  const steps = new Set(input.values.map((v) => v.step)).size;
  const labels = phaseLabels(input.spans);
  const text = (align: PhaseLabel["align"], row: PhaseLabel["row"]) => ({
    name: `phase_${align}`,
    data: { values: labels.filter((l) => l.align === align && l.row === row) },
    mark: {
      type: "text" as const, align, baseline: "bottom" as const, color: GUIDE, fontSize: 12,
      y: -4 - 16 * row, dx: align === "right" ? -6 : align === "left" ? 6 : 0,
    },
    encoding: { x: { field: "step", type: "quantitative" as const }, text: { field: "label" } },
  });
  return {
    ...frame(`Train → prune → fine-tune (${input.kind}): ${rate}`, [
      input.caption + (diverged ? "; the values logged before it diverged (non-finite ones cannot be drawn)" : ""),
      input.selection ?? "",
    ]),
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        name: "trace",
        data: { values: input.values },
        mark: { type: "line", strokeWidth: 2, point: Boolean(diverged) || steps <= 12 },
        encoding: {
          x: { field: "step", type: "quantitative", title: "step (training, then fine-tuning)" },
          y: {
            field: "value", type: "quantitative", title: "loss / relative error (log scale)", scale: { type: "log" },
            axis: { ...LOG_AXIS, values: decadeTicks(input.values.map((v) => v.value)) },
          },
          color: { field: "metric", type: "nominal", title: "metric", scale: { domain: traceMetricNames(input.values) } },
          // the test loss dashed: without noise it lies exactly on the train loss (one legend: same field, title, domain)
          strokeDash: {
            field: "metric", type: "nominal", title: "metric",
            scale: {
              domain: traceMetricNames(input.values),
              range: traceMetricNames(input.values).map((name) => (name === "test loss" ? [6, 4] : [1, 0])),
            },
          },
        },
      },
      {
        name: "prune_rule",
        data: { values: input.spans.prune === null ? [] : [{ step: input.spans.prune }] },
        mark: { type: "rule", strokeDash: [6, 4], color: GUIDE },
        encoding: { x: { field: "step", type: "quantitative" } },
      },
      text("center", 1),
      text("right", 0),
      text("left", 0),
      {
        name: "diverged_rule",
        data: { values: divergedAt },
        mark: { type: "rule", color: "#c0392b", strokeWidth: 1.5 },
        encoding: { x: { field: "step", type: "quantitative" } },
      },
      ...guideText(
        "diverged_label", divergedAt,
        { x: { field: "step", type: "quantitative" }, y: { value: 0 }, text: { field: "label" } },
        { align: "right", baseline: "top", dx: -4, dy: 4, color: "#c0392b" },
      ),
    ],
  };
}

/** The trace's metrics in legend order: the three of every run, then the objective a diverged run adds. */
function traceMetricNames(values: TraceValue[]): string[] {
  const names: string[] = TRACE_METRICS.map(([, name]) => name);
  return values.some((v) => v.metric === OBJECTIVE_METRIC) ? [...names, OBJECTIVE_METRIC] : names;
}

/** Input of {@link keptHeatmapSpec}. */
export interface KeptHeatmapInput {
  kind: string;
  cells: KeptCell[];
  /** Whether ε is absolute or relative to the largest norm. */
  relative: boolean;
  /** The true rank, for the subtitle; null when unknown. */
  r: number | null;
}

/**
 * Mean number of kept columns (over seeds) on the λ × ε grid, the value
 * printed in each cell; text turns white on dark cells.
 */
export function keptHeatmapSpec(input: KeptHeatmapInput): TopLevelSpec {
  const kept = input.cells.map((c) => c.kept);
  const middle = (Math.min(...kept) + Math.max(...kept)) / 2;
  const seeds = Math.max(...input.cells.map((c) => c.runs));
  const yTitle = input.relative ? "ε (prune threshold, × largest norm)" : "ε (prune threshold)";
  const spread = input.cells.some((c) => c.min !== c.max);
  // a grid with holes (λ and ε set together, as formulas of the problem do): say what a blank cell is
  const grid = new Set(input.cells.map((c) => c.lambda)).size * new Set(input.cells.map((c) => c.threshold)).size;
  const subtitle = [
    `mean over ${seeds === 1 ? "1 run" : `up to ${seeds} runs`} per cell` +
      (spread ? " (below it, min–max where runs differ)" : seeds > 1 ? " (all runs of a cell agree)" : "") +
      (input.r === null ? "" : `; true rank r = ${input.r}`),
    grid > input.cells.length ? "blank: no run has that λ and ε" : "",
  ];
  return {
    ...frame(`Columns kept by pruning (${input.kind})`, subtitle),
    width: WIDTH,
    height: HEIGHT,
    data: { values: input.cells },
    encoding: {
      // formula results (0.0333333333333326) print with 3 significant digits
      x: { field: "lambda", type: "ordinal", title: "λ (group-Lasso strength)", axis: { labelAngle: 0, labelExpr: SHORT_NUMBER } },
      y: { field: "threshold", type: "ordinal", title: yTitle, sort: "descending", axis: { labelExpr: SHORT_NUMBER } },
    },
    layer: [
      {
        name: "cells",
        mark: { type: "rect", stroke: "white", strokeWidth: 1 },
        encoding: { color: { field: "kept", type: "quantitative", title: "columns kept", scale: { scheme: "blues", zero: true } } },
      },
      {
        name: "cell_labels",
        mark: { type: "text", fontSize: 13, lineHeight: 16 },
        encoding: {
          text: { field: "label" },
          color: { condition: { test: `datum.kept > ${middle}`, value: "white" }, value: "black" },
        },
      },
    ],
  };
}

/** Input of {@link keptVsKSpec}. */
export interface KeptVsKInput {
  kind: string;
  points: KeptPoint[];
  r: number | null;
}

/**
 * Mean kept columns against the width k per training group, with the true
 * rank r as a rule and "kept = k" (nothing pruned) as a dotted diagonal.
 */
export function keptVsKSpec(input: KeptVsKInput): TopLevelSpec {
  const ks = input.points.map((p) => p.k);
  const kMin = Math.min(...ks);
  const kMax = Math.max(...ks);
  const guides = input.r === null ? [] : [{ k: kMax, y: input.r, label: `true rank r = ${input.r}` }];
  return {
    ...frame(`Columns kept vs width k (${input.kind})`, `mean over up to ${Math.max(...input.points.map((p) => p.runs))} runs per point, bars: their min–max; dotted: kept = k (nothing pruned)`),
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        name: "nothing_pruned",
        data: { values: [{ k: kMin, y: kMin }, { k: kMax, y: kMax }] },
        mark: { type: "line", strokeDash: [2, 3], color: GUIDE },
        encoding: { x: { field: "k", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
      },
      {
        name: "kept",
        data: { values: input.points },
        mark: { type: "line", point: true, strokeWidth: 2 },
        encoding: {
          x: { field: "k", type: "quantitative", title: "k (columns before pruning)" },
          y: { field: "kept", type: "quantitative", title: "columns kept after pruning" },
          color: { field: "series", type: "nominal", title: "training" },
        },
      },
      {
        name: "kept_spread",
        data: { values: input.points },
        mark: { type: "errorbar", ticks: true, thickness: 1.5 },
        encoding: {
          x: { field: "k", type: "quantitative" },
          y: { field: "min", type: "quantitative", title: "columns kept after pruning" },
          y2: { field: "max" },
          color: { field: "series", type: "nominal", title: "training" },
        },
      },
      {
        name: "true_rank",
        data: { values: guides },
        mark: { type: "rule", strokeDash: [6, 4], color: GUIDE },
        encoding: { y: { field: "y", type: "quantitative" } },
      },
      ...guideText(
        "true_rank_label",
        guides,
        { x: { field: "k", type: "quantitative" }, y: { field: "y", type: "quantitative" }, text: { field: "label" } },
        { align: "right", baseline: "bottom", dy: -4 },
      ),
    ],
  };
}

/** Input of {@link errorVsNSpec}. */
export interface ErrorVsNInput {
  kind: string;
  points: ErrorPoint[];
  /** Two points of the reference rate (see data.referenceLine); [] to omit it. */
  reference: { n: number; value: number }[];
  noise: number;
  d: number | null;
  r: number | null;
}

/**
 * A log axis fitted to the data: Vega's default rounds a log domain out to
 * whole decades, which leaves most of a 200…800 sweep blank.
 */
const FITTED_LOG = { type: "log" as const, nice: false, padding: 16 };

/** Legend name of the reference rate (on the error panel). */
export const REFERENCE_SERIES = "∝ √(σ²dr/n) (r-column rate)";

/**
 * Tick values for a log axis over [min, max]: powers of ten (every 2nd, 3rd…
 * decade so at most 8 gaps) when it spans two decades or more; else 1, 2, 5 × 10^e
 * (all nine mantissas when that gives fewer than three, round linear steps when
 * even that does, as for a test loss hugging σ²). Vega's own log ticks
 * put a grid line at every mantissa and then hide crowded labels — often the
 * round ones.
 * @example logTicks(1e-12, 1) // [1, 0.01, 1e-4, …, 1e-12]; logTicks(0.035, 0.2) // [0.05, 0.1, 0.2]
 */
export function logTicks(min: number, max: number): number[] {
  // no positive, finite range (no data): no ticks, never a loop to infinity
  if (!(min > 0) || !(max >= min) || !Number.isFinite(max)) return [];
  // A relative tolerance so σ² = 0.1 ** 2 = 0.010000000000000002 still gets its 0.01 tick.
  const inside = (v: number) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const top = Math.floor(Math.log10(max) + 1e-9);
  const bottom = Math.ceil(Math.log10(min) - 1e-9);
  if (top - bottom >= 2) {
    // the fewest decades per label that keeps at most 8 gaps, so no stretch of the axis goes unlabelled for longer
    const step = Math.ceil((top - bottom) / 8);
    const out: number[] = [];
    // Multiples of the step (1, 1e-5, 1e-10 …) read better than offsets from the top.
    for (let e = Math.floor(top / step) * step; e >= bottom; e -= step) out.push(Number(`1e${e}`));
    return out;
  }
  const pick = (mantissas: number[]) => {
    const out: number[] = [];
    for (let e = bottom - 1; e <= top; e++) for (const m of mantissas) if (inside(Number(`${m}e${e}`))) out.push(Number(`${m}e${e}`));
    return out;
  };
  const coarse = pick([1, 2, 5]);
  if (coarse.length >= 3) return coarse;
  const fine = pick([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  return fine.length >= 3 ? fine : linearTicks(min, max);
}

/** Three to five round, evenly spaced values in [min, max], for a range narrower than one mantissa step. */
function linearTicks(min: number, max: number): number[] {
  const raw = (max - min) / 4;
  const unit = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * unit >= raw) ?? 10) * unit;
  const out: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max * (1 + 1e-9); v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * A log domain from the round value (1, 2 or 5 × 10^e) at or under `min` to the
 * one at or over `max`, when the data span at least half a decade; null for a
 * narrower range, which keeps the fitted axis (its labels come from logTicks).
 * @example roundLogDomain(0.025, 0.19) // [0.02, 0.2]
 */
export function roundLogDomain(min: number, max: number): [number, number] | null {
  if (!(min > 0) || max / min < 3) return null;
  const round = (e: number) => [1, 2, 5].map((m) => Number(`${m}e${e}`));
  const candidates = [];
  for (let e = Math.floor(Math.log10(min)) - 1; e <= Math.ceil(Math.log10(max)) + 1; e++) candidates.push(...round(e));
  const lo = Math.max(...candidates.filter((v) => v <= min * (1 + 1e-9)));
  const hi = Math.min(...candidates.filter((v) => v >= max * (1 - 1e-9)));
  return [lo, hi];
}

/** Axis values for a log scale Vega rounds out to whole decades (the default `nice`). */
function decadeTicks(values: number[]): number[] {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return [];
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.ceil(Math.log10(Math.max(...positive)));
  return logTicks(Number(`1e${lo}`), Number(`1e${Math.max(hi, lo + 1)}`));
}

/**
 * One log-log panel of the generalization chart. The reference rate is a
 * dashed series in the shared legend (a label on the line would sit on the
 * data, which by design runs along it); a level (σ²) is a labelled rule.
 */
function errorPanel(
  name: string, points: ErrorPoint[], reference: { n: number; value: number }[], yTitle: string,
  level: { value: number; label: string } | null, series: { domain: string[]; color: string[]; dash: number[][] },
) {
  const ys = [...points, ...reference, ...(level ? [level] : [])].map((p) => p.value)
    .concat(points.flatMap((p) => [p.min, p.max]).filter((v) => v > 0));
  // over half a decade or more: the axis ends on round values, so the top and bottom carry labels
  const domain = roundLogDomain(Math.min(...ys), Math.max(...ys));
  const yScale = domain ? { type: "log" as const, domain, nice: false } : FITTED_LOG;
  const ticks = domain ? logTicks(domain[0], domain[1]) : logTicks(Math.min(...ys), Math.max(...ys));
  const ns = [...new Set(points.map((p) => p.n))].sort((a, b) => a - b);
  const x = { field: "n", type: "quantitative" as const, title: "n (samples, log scale)", scale: FITTED_LOG, axis: { values: ns } };
  const y = { field: "value", type: "quantitative" as const };
  const seriesEncoding = {
    color: { field: "series", type: "nominal" as const, title: "model", scale: { domain: series.domain, range: series.color } },
    strokeDash: { field: "series", type: "nominal" as const, title: "model", scale: { domain: series.domain, range: series.dash } },
  };
  // the spread over seeds: a band from the smallest to the largest run at each n (a log axis needs min > 0)
  const band = points.filter((p) => p.min > 0 && p.max > p.min);
  return {
    width: PANEL_WIDTH,
    height: HEIGHT,
    layer: [
      {
        name: `${name}_spread`,
        data: { values: band },
        mark: { type: "area" as const, opacity: 0.18 },
        encoding: {
          x,
          y: { field: "min", type: "quantitative" as const, scale: yScale },
          y2: { field: "max" },
          color: seriesEncoding.color,
        },
      },
      {
        name: `${name}_data`,
        data: { values: points },
        mark: { type: "line" as const, point: true, strokeWidth: 2 },
        encoding: {
          x,
          y: { ...y, title: yTitle, scale: yScale, axis: { ...LOG_AXIS, values: ticks } },
          ...seriesEncoding,
        },
      },
      {
        name: `${name}_reference`,
        data: { values: reference.map((p) => ({ ...p, series: REFERENCE_SERIES })) },
        mark: { type: "line" as const, strokeWidth: 1.5 },
        encoding: { x, y, ...seriesEncoding },
      },
      ...(level === null ? [] : [
        { name: `${name}_level`, data: { values: [level] }, mark: { type: "rule" as const, strokeDash: [6, 4], color: GUIDE }, encoding: { y } },
        // at the left end: a loss falls towards its floor as n grows, so the data meet the floor on the right
        ...guideText(`${name}_level_label`, [level], { x: { value: 0 }, y, text: { field: "label" } }, { align: "left", baseline: "bottom", dx: 4, dy: -4 }),
      ]),
    ],
  };
}

/**
 * Generalization with noise: recovery error and test loss against n (log-log)
 * of the pruned + fine-tuned model and of the unpruned trained model, with the
 * r-column rate as a reference on the error and the noise floor σ² on the test loss.
 */
export function errorVsNSpec(input: ErrorVsNInput): TopLevelSpec {
  const setting = [`σ = ${formatNumber(input.noise)}`, input.d === null ? "" : `d = ${input.d}`, input.r === null ? "" : `r = ${input.r}`]
    .filter((s) => s !== "")
    .join(", ");
  const of = (metric: ErrorPoint["metric"]) => input.points.filter((p) => p.metric === metric);
  const hasReference = input.reference.length > 0;
  // Fixed colours and dashes per series so both panels and the one legend agree.
  const series = {
    domain: [PRUNED_SERIES, UNPRUNED_SERIES, ...(hasReference ? [REFERENCE_SERIES] : [])],
    color: ["#4c78a8", "#f58518", GUIDE],
    dash: [[1, 0], [1, 0], [6, 4]],
  };
  return {
    ...frame(`Generalization vs sample size (${input.kind})`, `mean over seeds, band: min–max over seeds; ${setting}`),
    resolve: { scale: { color: "shared", strokeDash: "shared" } },
    config: { ...CHART_CONFIG, legend: { ...CHART_CONFIG.legend, symbolType: "stroke", symbolStrokeWidth: 3, symbolSize: 400, symbolOpacity: 1 } },
    hconcat: [
      errorPanel("error", of("recovery error"), input.reference, "relative recovery error (log scale)", null, series),
      errorPanel("test", of("test loss"), [], "test loss (log scale)", { value: input.noise ** 2, label: "noise floor σ²" }, series),
    ],
  };
}

/** Input of {@link phaseKeptSpec} and {@link phaseErrorSpec}. */
export interface PhaseInput {
  kind: string;
  cells: PhaseCell[];
  r: number;
  relative: boolean;
}

/** At most this many labels on a phase panel's axis: every other value past it. */
const PHASE_AXIS_LABELS = 6;

/** Every n-th of the sorted distinct values, so a small panel's axis stays readable. */
function thinned(values: number[]): number[] {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const stride = Math.ceil(sorted.length / PHASE_AXIS_LABELS);
  return sorted.filter((_, i) => i % stride === 0);
}

/**
 * Small multiples over (λ, ε): one row of panels per κ, one panel per width k,
 * the cells coloured by `color`; cells where every run kept exactly r are
 * outlined. Each row is its own chart with its own λ and ε labels (σ_r-scaled
 * formulas give each κ its own values); the colour scale is shared.
 */
function phaseSpec(input: PhaseInput, title: string, subtitle: string[], field: "kept" | "error", color: object): TopLevelSpec {
  const kappas = [...new Set(input.cells.map((c) => c.kappa))].sort((a, b) => a - b);
  const ks = new Set(input.cells.map((c) => c.k)).size;
  const side = Math.max(110, Math.min(170, Math.floor(900 / ks)));
  const yTitle = input.relative ? "ε (× largest norm)" : "ε (prune threshold)";
  const row = (kappa: number, i: number) => {
    const cells = input.cells.filter((c) => c.kappa === kappa);
    return {
      data: { values: cells.map((c) => ({ ...c, all_exact: c.exact === 1 })) },
      ...(kappas.length > 1 ? { title: { text: `κ = ${formatNumber(kappa)}`, fontSize: 13, anchor: "start" as const } } : {}),
      facet: { column: { field: "k", type: "ordinal" as const, title: null, header: { labelExpr: "'k = ' + datum.value", labelFontSize: 12 } } },
      spec: {
        width: side,
        height: side,
        encoding: {
          x: { field: "lambda", type: "ordinal", title: "λ (penalty weight)", axis: { labelAngle: -90, labelExpr: SHORT_NUMBER, values: thinned(cells.map((c) => c.lambda)) } },
          y: { field: "threshold", type: "ordinal", title: yTitle, sort: "descending", axis: { labelExpr: SHORT_NUMBER, values: thinned(cells.map((c) => c.threshold)) } },
        },
        layer: [
          // mark names are global in Vega: one pair per row
          { name: `cells_${i}`, transform: [{ filter: `datum.${field} !== null` }], mark: { type: "rect" }, encoding: { color: { field, ...color } } },
          // a cell without the value (no run got that far) is grey, never the colour of 0
          { name: `missing_${i}`, transform: [{ filter: `datum.${field} === null` }], mark: { type: "rect", color: "#bbbbbb" } },
          {
            name: `exact_r_${i}`,
            transform: [{ filter: "datum.all_exact" }],
            mark: { type: "rect", fillOpacity: 0, stroke: "#d62728", strokeWidth: 1.5 },
          },
        ],
      },
    };
  };
  return { ...frame(title, subtitle), vconcat: kappas.map(row), resolve: { scale: { color: "shared" } } } as TopLevelSpec;
}

/** Mean kept columns over (λ, ε), faceted by κ and k; outlined: every run kept exactly r. */
export function phaseKeptSpec(input: PhaseInput): TopLevelSpec {
  const runs = Math.max(...input.cells.map((c) => c.runs));
  const missing = input.cells.some((c) => c.kept === null);
  return phaseSpec(input, `Phase diagram: columns kept (${input.kind})`,
    [`mean over up to ${runs} run${runs === 1 ? "" : "s"} per cell; outlined in red: every run kept exactly r = ${input.r}`,
      missing ? "grey: no run of the cell got to pruning (each diverged or failed in training)" : ""],
    "kept", { type: "quantitative", title: "columns kept", scale: { type: "symlog", scheme: "viridis" } });
}

/** Median relative recovery error over (λ, ε), faceted by κ and k, log colour; outlined: every run kept exactly r. */
export function phaseErrorSpec(input: PhaseInput): TopLevelSpec {
  const runs = Math.max(...input.cells.map((c) => c.runs));
  const errors = input.cells.map((c) => c.error).filter((e): e is number => e !== null && e > 0);
  // the colour scale from the smallest error (clamped at 1e-16, the float floor) to the largest
  const lo = Math.max(1e-16, Math.min(...errors));
  const hi = Math.max(lo * 10, ...errors);
  const missing = input.cells.some((c) => c.error === null);
  return phaseSpec(input, `Phase diagram: recovery error ‖UUᵀ − M*‖_F/‖M*‖_F (${input.kind})`,
    [`median over up to ${runs} run${runs === 1 ? "" : "s"} per cell after fine-tuning; outlined in red: every run kept exactly r = ${input.r}`,
      missing ? "grey: no run of the cell finished" : ""],
    "error", {
      type: "quantitative", title: "recovery error",
      scale: { type: "log", domain: [lo, hi], clamp: true, scheme: "viridis", reverse: true },
      legend: { values: logTicks(lo, hi), ...LOG_AXIS },
    });
}
