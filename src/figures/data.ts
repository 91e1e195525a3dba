/**
 * Pure shaping of results into the small tables the charts plot: which runs
 * represent a folder, means over seeds, long-format traces. No I/O here, so
 * each step is testable on hand-made rows.
 */
import { median } from "../stats/stats.js";
import type { ColumnPoint, PruneRule, SummaryRow, SummaryNumber, TracePoint } from "./results.js";


/** Number of runs up to which every run gets its own trace figure. */
export const TRACE_EACH_RUN_MAX = 4;

/** Whether `x` is a finite number: the guard every plotted value passes. */
export function isFiniteNumber(x: number | null | undefined): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

/**
 * Compact number text for labels: 3 significant digits, no trailing zeros.
 * @example formatNumber(0.1) // "0.1"; formatNumber(2.5e-5) // "2.5e-5"
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e5) return String(Number(x.toPrecision(3)));
  const [mantissa, exponent] = x.toExponential(2).split("e");
  return `${Number(mantissa)}e${Number(exponent)}`;
}

/**
 * A contraction rate with enough digits to tell it from 1: 3 decimals, more
 * while the text would read "1.000" (0.99996 → "0.99996"); ≥ 1 plainly.
 * @example formatRate(0.858) // "0.858"; formatRate(0.99996) // "0.99996"
 */
export function formatRate(rate: number): string {
  if (!Number.isFinite(rate)) return String(rate);
  if (rate >= 1 || rate <= 0) return rate.toFixed(3);
  for (let digits = 3; digits < 15; digits++) {
    const text = rate.toFixed(digits);
    if (Number(text) < 1) return text;
  }
  return rate.toPrecision(15);
}

/** The distinct problem kinds of a folder, in order of first appearance. */
export function kindsOf(rows: SummaryRow[]): string[] {
  return [...new Set(rows.map((row) => row.kind).filter((kind) => kind !== ""))];
}

/** The distinct finite values of one summary column, ascending. */
export function distinctValues(rows: SummaryRow[], key: SummaryNumber): number[] {
  return [...new Set(rows.map((row) => row[key]).filter(isFiniteNumber))].sort((a, b) => a - b);
}

/** The legend name of a run's training group: the paper contrasts λ > 0 with λ = 0. */
export function groupLabel(lambda: number): string {
  return lambda > 0 ? `regularized (λ=${formatNumber(lambda)})` : "unregularized (λ=0)";
}

/** Settings two representatives should share so their norms are comparable. */
const MATCHED = ["k", "n", "noise", "threshold", "relative_threshold"] as const;

/**
 * One run per training group (λ > 0, then λ = 0) so a big sweep stays
 * readable. Among finished runs ("ok", if any): the smallest seed, then the
 * widest k (the paper's picture is k ≫ r), then the first listed. The λ = 0
 * run is taken with the same k, n, σ and ε as the regularized one when there
 * is such a run, so the two curves differ only in λ. Rows with unknown λ are left out.
 */
export function representatives(rows: SummaryRow[]): SummaryRow[] {
  const pool = (regularized: boolean) => {
    const group = rows.filter((row) => isFiniteNumber(row.lambda) && row.lambda > 0 === regularized);
    return group.some((row) => row.status === "ok") ? group.filter((row) => row.status === "ok") : group;
  };
  // Array.prototype.sort is stable, so ties keep the summary's order.
  const best = (candidates: SummaryRow[]): SummaryRow | undefined =>
    [...candidates].sort((a, b) => (a.seed ?? Infinity) - (b.seed ?? Infinity) || (b.k ?? -Infinity) - (a.k ?? -Infinity))[0];
  const regularized = best(pool(true));
  const plain = pool(false);
  const matched = regularized ? plain.filter((row) => MATCHED.every((key) => row[key] === regularized[key])) : [];
  const unregularized = best(matched.length ? matched : plain);
  return [regularized, unregularized].filter((row): row is SummaryRow => row !== undefined);
}

/** The runs whose traces are drawn: every run of a small folder, else the first representative (regularized if any). */
export function traceRuns(kindRows: SummaryRow[], folderRuns: number): SummaryRow[] {
  return folderRuns <= TRACE_EACH_RUN_MAX ? kindRows : representatives(kindRows).slice(0, 1);
}

/** A point of the sorted-norms chart. */
export interface NormPoint {
  series: string;
  rank: number;
  norm: number;
  /** True when the norm is exactly 0 and is drawn at the floor (a log axis has no zero). */
  clamped: boolean;
}

/**
 * Where exact zeros are drawn on a log axis of these norms: one decade under
 * the smallest positive norm, so every nonzero norm keeps its true place
 * (1e-35 stays 1e-35). Null when no norm is zero.
 * @example normFloor([1, 3e-35, 0]) // 1e-36
 */
export function normFloor(norms: number[]): number | null {
  if (!norms.some((x) => x === 0)) return null;
  const positive = norms.filter((x) => isFiniteNumber(x) && x > 0);
  const smallest = positive.length ? Math.min(...positive) : 1;
  return Number(`1e${Math.floor(Math.log10(smallest)) - 1}`);
}

/** Trained-stage norms of one run, largest first, ranked 1..k; exact zeros drawn at `floor`. */
export function sortedNorms(columns: ColumnPoint[], series: string, floor: number | null = null): NormPoint[] {
  return columns
    .filter((c) => c.stage === "trained" && isFiniteNumber(c.norm))
    .map((c) => c.norm)
    .sort((a, b) => b - a)
    .map((norm, i) => ({ series, rank: i + 1, norm: norm === 0 && floor !== null ? floor : norm, clamped: norm === 0 && floor !== null }))
    .filter((p) => p.norm > 0);
}

/**
 * The absolute threshold ε a prune rule applied to norms whose largest is
 * `maxNorm` (a relative rule cuts at relative × max). Null when neither is set.
 */
export function thresholdValue(rule: PruneRule, maxNorm: number): number | null {
  if (isFiniteNumber(rule.threshold)) return rule.threshold;
  if (isFiniteNumber(rule.relative_threshold)) return rule.relative_threshold * maxNorm;
  return null;
}

/** The prune threshold one training group's representative run applied. */
export interface GroupThreshold {
  rule: PruneRule;
  /** The absolute ε it cut at (see thresholdValue). */
  value: number;
  /** Legend name of the group (see groupLabel). */
  series: string;
}

/**
 * One caption for the threshold rules: "ε = 0.1"; "ε = 0.05 × max = 0.031" for a
 * relative rule; when the groups cut at different ε (a relative rule on
 * different norms), every value with its group, since stacked labels of close
 * rules would overprint each other.
 * @example thresholdCaption([{ rule: { threshold: 0.1, relative_threshold: null }, value: 0.1, series: "…" }]) // "ε = 0.1"
 */
export function thresholdCaption(groups: GroupThreshold[]): string {
  const distinct = [...new Map(groups.map((g) => [g.value, g])).values()];
  if (distinct.length === 0) return "";
  const relatives = new Set(groups.map((g) => g.rule.relative_threshold));
  const [first] = distinct;
  const relative = !isFiniteNumber(first.rule.threshold) && isFiniteNumber(first.rule.relative_threshold) && relatives.size === 1;
  const prefix = relative ? `ε = ${formatNumber(first.rule.relative_threshold as number)} × max` : "ε";
  if (distinct.length === 1) return relative ? `${prefix} = ${formatNumber(first.value)}` : `ε = ${formatNumber(first.value)}`;
  return `${prefix}: ` + distinct.map((g) => `${formatNumber(g.value)} (${g.series.split(" ")[0]})`).join(", ");
}

/** A series of a trace chart, in legend order. */
export const TRACE_METRICS = [
  ["train_loss", "train loss"],
  ["test_loss", "test loss"],
  ["recovery_error", "recovery error"],
] as const;

/** Legend name of the objective (loss + λ·penalty), drawn only for a diverged run, where it may be all that is finite. */
export const OBJECTIVE_METRIC = "objective (loss + λR)";

/** A point of the trace chart (long format: one row per step and metric). */
export interface TraceValue {
  step: number;
  metric: string;
  value: number;
}

/**
 * The trace in long format; non-finite and non-positive values are dropped (a
 * log axis cannot show them). `withObjective` adds the objective, for a
 * diverged run whose last losses are NaN while its objective still is finite.
 */
export function traceValues(trace: TracePoint[], withObjective = false): TraceValue[] {
  const out: TraceValue[] = [];
  const metrics: Array<readonly [keyof TracePoint, string]> = [...TRACE_METRICS, ...(withObjective ? [["objective", OBJECTIVE_METRIC] as const] : [])];
  for (const point of trace) {
    if (!isFiniteNumber(point.step)) continue;
    for (const [key, metric] of metrics) {
      const value = point[key];
      if (typeof value === "number" && isFiniteNumber(value) && value > 0) out.push({ step: point.step, metric, value });
    }
  }
  return out;
}

/** Where the phases of a trace lie on the step axis. */
export interface PhaseSpans {
  /** Step of the prune row (end of training, start of fine-tuning), null without one. */
  prune: number | null;
  train: [number, number] | null;
  finetune: [number, number] | null;
}

/** The step range of each phase and the prune boundary. */
export function phaseSpans(trace: TracePoint[]): PhaseSpans {
  const span = (phase: string): [number, number] | null => {
    const steps = trace.filter((p) => p.phase === phase && isFiniteNumber(p.step)).map((p) => p.step);
    return steps.length ? [Math.min(...steps), Math.max(...steps)] : null;
  };
  const prune = trace.find((p) => p.phase === "prune" && isFiniteNumber(p.step));
  return { prune: prune ? prune.step : null, train: span("train"), finetune: span("finetune") };
}

/** Group rows by a key: mean, min and max of one value over each group (non-finite values skipped). */
function meanBy<K>(rows: SummaryRow[], key: (row: SummaryRow) => K | null, value: (row: SummaryRow) => number | null) {
  const groups = new Map<string, { key: K; sum: number; count: number; min: number; max: number }>();
  for (const row of rows) {
    const k = key(row);
    const v = value(row);
    if (k === null || !isFiniteNumber(v)) continue;
    const id = JSON.stringify(k);
    const g = groups.get(id) ?? { key: k, sum: 0, count: 0, min: Infinity, max: -Infinity };
    g.sum += v;
    g.count += 1;
    g.min = Math.min(g.min, v);
    g.max = Math.max(g.max, v);
    groups.set(id, g);
  }
  return [...groups.values()].map((g) => ({ key: g.key, mean: g.sum / g.count, count: g.count, min: g.min, max: g.max }));
}

/** Which threshold column a sweep varies: the absolute one when it has ≥ 2 values, else the relative one. */
export function thresholdKey(rows: SummaryRow[]): "threshold" | "relative_threshold" | null {
  if (distinctValues(rows, "threshold").length >= 2) return "threshold";
  if (distinctValues(rows, "relative_threshold").length >= 2) return "relative_threshold";
  return null;
}

/** A cell of the kept-columns heatmap. */
export interface KeptCell {
  lambda: number;
  threshold: number;
  /** Mean of kept_columns over the runs in the cell (seeds and anything else not on the axes). */
  kept: number;
  runs: number;
  /** Smallest and largest kept count in the cell: the spread over seeds. */
  min: number;
  max: number;
  /** The mean, and on a second line the range when the runs disagree ("15.7", "15–16"). */
  label: string[];
}

/** Mean kept columns per (λ, ε) cell; ε from `key` (see thresholdKey). */
export function keptGrid(rows: SummaryRow[], key: "threshold" | "relative_threshold"): KeptCell[] {
  return meanBy<[number, number]>(
    rows,
    (row) => (isFiniteNumber(row.lambda) && isFiniteNumber(row[key]) ? [row.lambda, row[key] as number] : null),
    (row) => row.kept_columns,
  )
    .map(({ key: [lambda, threshold], mean, count, min, max }) => ({
      lambda, threshold, kept: mean, runs: count, min, max,
      label: min === max ? [formatNumber(mean)] : [formatNumber(mean), `${formatNumber(min)}–${formatNumber(max)}`],
    }))
    .sort((a, b) => a.lambda - b.lambda || a.threshold - b.threshold);
}

/** A point of the kept-vs-k chart. */
export interface KeptPoint {
  k: number;
  series: string;
  kept: number;
  runs: number;
  min: number;
  max: number;
}

/** Mean (and min, max) kept columns per (k, training group). */
export function keptByK(rows: SummaryRow[]): KeptPoint[] {
  return meanBy<[number, boolean]>(
    rows,
    (row) => (isFiniteNumber(row.k) && isFiniteNumber(row.lambda) ? [row.k, row.lambda > 0] : null),
    (row) => row.kept_columns,
  )
    .map(({ key: [k, regularized], mean, count, min, max }) => ({
      k, series: regularized ? "regularized (λ>0)" : "unregularized (λ=0)", kept: mean, runs: count, min, max,
    }))
    .sort((a, b) => a.series.localeCompare(b.series) || a.k - b.k);
}

/** Legend names of the two models of the generalization chart. */
export const PRUNED_SERIES = "pruned + fine-tuned";
export const UNPRUNED_SERIES = "unpruned (after training)";

/** A point of the error-vs-n chart. */
export interface ErrorPoint {
  n: number;
  series: string;
  metric: "recovery error" | "test loss";
  value: number;
  runs: number;
  /** Spread over the runs (seeds) at this n. */
  min: number;
  max: number;
}

/** The noisy runs of one setting (σ, d, r) the error-vs-n chart compares, or [] when n does not vary. */
export function noisyRuns(rows: SummaryRow[]): SummaryRow[] {
  const noisy = rows.filter((row) => isFiniteNumber(row.noise) && row.noise > 0);
  if (noisy.length === 0) return [];
  // The reference rate depends on σ, d and r: keep the setting of the first noisy run.
  const { noise, d, r } = noisy[0];
  const same = noisy.filter((row) => row.noise === noise && row.d === d && row.r === r);
  return distinctValues(same, "n").length >= 2 ? same : [];
}

/**
 * Mean recovery error and test loss per n of the pruned + fine-tuned model
 * (the regularized runs, or all runs if none) and of the unpruned trained model
 * (the λ = 0 runs, or all runs if none).
 */
export function errorByN(rows: SummaryRow[]): ErrorPoint[] {
  // the oracle baseline (model.init: oracle) is no unpruned model; of several k, the largest is "all k columns"
  const random = rows.filter((row) => row.fields?.init !== "oracle");
  const regularized = random.filter((row) => isFiniteNumber(row.lambda) && row.lambda > 0);
  const zeroLambda = random.filter((row) => row.lambda === 0);
  const kMax = Math.max(...zeroLambda.map((row) => (isFiniteNumber(row.k) ? row.k : -Infinity)));
  const baseline = zeroLambda.filter((row) => !isFiniteNumber(row.k) || row.k === kMax);
  const pruned = regularized.length ? regularized : rows;
  const unpruned = baseline.length ? baseline : rows;
  const series = (
    group: SummaryRow[], name: string, metric: ErrorPoint["metric"], value: (row: SummaryRow) => number | null,
  ): ErrorPoint[] =>
    meanBy(group, (row) => (isFiniteNumber(row.n) ? row.n : null), value)
      .filter(({ mean }) => mean > 0)
      .map(({ key, mean, count, min, max }) => ({ n: key, series: name, metric, value: mean, runs: count, min, max }))
      .sort((a, b) => a.n - b.n);
  return [
    ...series(pruned, PRUNED_SERIES, "recovery error", (row) => row.recovery_error),
    ...series(unpruned, UNPRUNED_SERIES, "recovery error", (row) => row.recovery_error_trained),
    ...series(pruned, PRUNED_SERIES, "test loss", (row) => row.test_loss),
    ...series(unpruned, UNPRUNED_SERIES, "test loss", (row) => row.test_loss_trained),
  ];
}

/**
 * The reference rate through the first pruned point. The rate is on the squared
 * error, ‖UUᵀ − M*‖_F² ∝ σ²dr/n, and recovery_error is the relative Frobenius
 * error (not squared), so with σ, d, r fixed the line is ∝ n^(-1/2).
 */
export function referenceLine(points: ErrorPoint[]): { n: number; value: number }[] {
  const pruned = points.filter((p) => p.series === PRUNED_SERIES && p.metric === "recovery error");
  if (pruned.length < 2) return [];
  const first = pruned[0];
  const ns = [first.n, pruned[pruned.length - 1].n];
  return ns.map((n) => ({ n, value: first.value * Math.sqrt(first.n / n) }));
}

/**
 * The settings that identify a run in a title ("λ=0.1, ε=0.05, k=8, seed 1").
 * n only when it varies among `peers`: the population problem has no samples,
 * yet its config still carries a default n.
 */
export function runCaption(row: SummaryRow, peers: SummaryRow[] = [row]): string {
  const parts: string[] = [];
  if (isFiniteNumber(row.lambda)) parts.push(`λ=${formatNumber(row.lambda)}`);
  if (isFiniteNumber(row.threshold)) parts.push(`ε=${formatNumber(row.threshold)}`);
  else if (isFiniteNumber(row.relative_threshold)) parts.push(`ε=${formatNumber(row.relative_threshold)}×max`);
  if (isFiniteNumber(row.k)) parts.push(`k=${row.k}`);
  if (isFiniteNumber(row.n) && distinctValues(peers, "n").length > 1) parts.push(`n=${row.n}`);
  if (isFiniteNumber(row.seed)) parts.push(`seed ${row.seed}`);
  return parts.join(", ");
}

/** A cell of a phase diagram: one (κ, k, λ, ε) and its runs (seeds). */
export interface PhaseCell {
  kappa: number;
  k: number;
  lambda: number;
  threshold: number;
  runs: number;
  /** Mean kept columns of the runs that pruned; null when none did (every run diverged or failed in training). */
  kept: number | null;
  /** Fraction of the cell's runs that kept exactly r columns (a run that never pruned did not). */
  exact: number;
  /** Median relative recovery error of the cell's finished runs; null when none finished. */
  error: number | null;
}

/**
 * The cells of a phase diagram over (λ, ε) per (κ, k): mean kept columns, the
 * share keeping exactly r, the median recovery error. κ comes from `kappaOf`
 * (summary.csv has no κ column: a swept `problem.kappa` column or the run's config).
 */
export function phaseCells(rows: SummaryRow[], key: "threshold" | "relative_threshold", kappaOf: (row: SummaryRow) => number | null, r: number): PhaseCell[] {
  const groups = new Map<string, { cell: PhaseCell; kept: number[]; errors: number[] }>();
  for (const row of rows) {
    const kappa = kappaOf(row);
    const [lambda, threshold, k] = [row.lambda, row[key], row.k];
    if (kappa === null || !isFiniteNumber(lambda) || !isFiniteNumber(threshold) || !isFiniteNumber(k)) continue;
    const id = `${kappa}|${k}|${lambda}|${threshold}`;
    const g = groups.get(id) ?? { cell: { kappa, k, lambda, threshold, runs: 0, kept: NaN, exact: NaN, error: null }, kept: [], errors: [] };
    g.cell.runs += 1;
    if (isFiniteNumber(row.kept_columns)) g.kept.push(row.kept_columns);
    if (row.status === "ok" && isFiniteNumber(row.recovery_error)) g.errors.push(row.recovery_error);
    groups.set(id, g);
  }
  return [...groups.values()].map(({ cell, kept, errors }) => ({
    ...cell,
    kept: kept.length ? kept.reduce((a, b) => a + b, 0) / kept.length : null,
    exact: kept.filter((v) => v === r).length / cell.runs,
    error: errors.length ? median(errors) : null,
  })).sort((a, b) => a.kappa - b.kappa || a.k - b.k || a.lambda - b.lambda || a.threshold - b.threshold);
}
