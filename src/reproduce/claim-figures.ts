/**
 * Figures of the claims that the per-folder figures (src/figures) do not draw:
 * columns kept against κ, recovery error through the top-r cut, and squared error
 * against the noise level, error over the oracle baseline's against n. Each is a Vega-Lite line chart, written like the others.
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG, HEIGHT, logTicks, WIDTH } from "../figures/specs.js";
import { writeFigure, type FigureFile } from "../figures/render.js";
import type { RunRecord } from "../output/results.js";
import { isScaled } from "./claims.js";

interface Point {
  x: number | string;
  y: number;
  series: string;
}

interface Axis {
  title: string;
  log?: boolean;
  /** Category order for a nominal axis (default: quantitative). */
  order?: string[];
  /** Tick values (default: Vega's). */
  ticks?: number[];
  /** Domain (default: fitted). */
  domain?: [number, number];
}

/** Mean y per (series, x), in first-seen order. */
function means(records: RunRecord[], x: (r: RunRecord) => number | string, y: (r: RunRecord) => number, series: (r: RunRecord) => string): Point[] {
  const groups = new Map<string, { x: number | string; series: string; ys: number[] }>();
  for (const r of records) {
    if (r.status !== "ok") continue;
    const key = `${series(r)}\u0000${x(r)}`;
    const g = groups.get(key) ?? { x: x(r), series: series(r), ys: [] };
    g.ys.push(y(r));
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ x: g.x, series: g.series, y: g.ys.reduce((a, b) => a + b, 0) / g.ys.length }));
}

/** One line per series, points marked; optional dashed guide lines (their own series, grey). */
function lineSpec(title: string, subtitle: string, x: Axis, y: Axis, points: Point[], guides: Point[] = []): TopLevelSpec {
  const xEnc = x.order
    ? { field: "x", type: "ordinal" as const, title: x.title, sort: x.order, axis: { labelAngle: 0 } }
    : x.log && x.ticks?.length === 1
      // one value on a log axis (a single σ, n or λ): half a decade either side, round ticks
      ? { field: "x", type: "quantitative" as const, title: x.title, axis: { values: logTicks(x.ticks[0] / Math.sqrt(10), x.ticks[0] * Math.sqrt(10)) },
        scale: { type: "log" as const, nice: false, domain: [x.ticks[0] / Math.sqrt(10), x.ticks[0] * Math.sqrt(10)] } }
      : {
        field: "x", type: "quantitative" as const, title: x.title, axis: x.ticks ? { values: x.ticks } : {},
        scale: x.log ? { type: "log" as const, nice: false, padding: 16 } : { zero: false },
      };
  const yEnc = {
    field: "y", type: "quantitative" as const, title: y.title, axis: y.ticks ? { values: y.ticks } : {},
    scale: { ...(y.log ? { type: "log" as const } : { zero: true }), ...(y.domain ? { domain: y.domain } : {}) },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, subtitle },
    config: CHART_CONFIG,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        name: "guides",
        data: { values: guides },
        mark: { type: "line", strokeDash: [6, 4], color: "#666" },
        encoding: { x: xEnc, y: yEnc, detail: { field: "series" } },
      },
      {
        name: "data",
        data: { values: points },
        mark: { type: "line", point: true, strokeWidth: 2 },
        encoding: { x: xEnc, y: yEnc, color: { field: "series", type: "nominal", title: null } },
      },
    ],
  };
}

/** Columns kept against κ for one kind, scaled (ill-conditioned.yaml) and fixed λ = β = 0.1; dashed: r. */
export function keptVsKappaSpec(records: RunRecord[], kind: string): TopLevelSpec {
  const mine = records.filter((r) => r.config.problem.kind === kind);
  const points = means(
    mine, (r) => r.config.problem.kappa, (r) => r.metrics.kept_columns,
    (r) => (isScaled(r) ? "λ = σ_r³, β = σ_r² (scaled)" : "λ = β = 0.1 (fixed)"),
  );
  const kappas = [...new Set(points.map((p) => p.x as number))].sort((a, b) => a - b);
  const r = mine[0]?.config.problem.r ?? 0;
  const guides = [{ x: kappas[0], y: r, series: "r" }, { x: kappas[kappas.length - 1], y: r, series: "r" }];
  return lineSpec(
    `Columns kept vs condition number κ (${kind})`, `mean over seeds; dashed: the true rank r = ${r}`,
    { title: "κ = σ_1/σ_r", log: true, ticks: kappas }, { title: "columns kept after pruning", domain: [0, r + 1], ticks: Array.from({ length: r + 2 }, (_, i) => i) },
    points, guides,
  );
}

const STAGES = ["trained", "right after the cut", "fine-tuned"];

/** Relative recovery error through the top-r cut, λ = 0 vs λ > 0, per kind. */
export function topRCutSpec(records: RunRecord[]): TopLevelSpec {
  const points: Point[] = [];
  const stages: Array<(r: RunRecord) => number> = [(r) => r.metrics.recovery_error_trained, (r) => r.metrics.recovery_error_pruned, (r) => r.metrics.recovery_error];
  stages.forEach((metric, i) =>
    points.push(...means(records, () => STAGES[i], metric, (r) => `${r.config.problem.kind}, ${r.config.train.lambda === 0 ? "λ = 0" : `λ = ${r.config.train.lambda}`}`)),
  );
  return lineSpec("Cutting to the r largest columns", "relative recovery error ‖UUᵀ − M*‖_F/‖M*‖_F, mean over seeds", { title: "stage", order: STAGES }, { title: "relative recovery error", log: true }, points);
}

/** Squared recovery error against σ (log–log), per kind; dashed: ∝ σ² through the smallest σ. */
export function errorVsNoiseSpec(records: RunRecord[]): TopLevelSpec {
  // σ = 0 has no place on a log axis (its error is the noiseless floor, another claim's business)
  const noisy = records.filter((r) => r.config.problem.noise > 0);
  const left = records.length - noisy.length;
  const points = means(noisy, (r) => r.config.problem.noise, (r) => r.metrics.recovery_error ** 2, (r) => r.config.problem.kind);
  const guides: Point[] = [];
  for (const series of new Set(points.map((p) => p.series))) {
    const mine = points.filter((p) => p.series === series).sort((a, b) => (a.x as number) - (b.x as number));
    const [first, last] = [mine[0], mine[mine.length - 1]];
    const ref = `∝ σ² (${series})`;
    guides.push({ x: first.x, y: first.y, series: ref }, { x: last.x, y: first.y * ((last.x as number) / (first.x as number)) ** 2, series: ref });
  }
  const subtitle = `pruned + fine-tuned, mean over seeds; dashed: slope 2 (∝ σ²)${left ? `; ${left} run${left === 1 ? "" : "s"} at σ = 0 not drawn` : ""}`;
  return lineSpec("Squared recovery error vs noise level σ", subtitle, { title: "σ (noise level)", log: true, ticks: [...new Set(points.map((p) => p.x as number))] }, { title: "squared relative recovery error", log: true }, points, guides);
}

/**
 * Recovery error over the oracle's (model.init: oracle, same n and seed) against n, log–log:
 * the pruned + fine-tuned model and the unpruned λ = 0 model at each k, per kind; dashed: 1.
 */
export function oracleRatioSpec(records: RunRecord[]): TopLevelSpec {
  const oracle = new Map(records.filter((r) => r.config.model.init === "oracle")
    .map((r) => [`${r.config.problem.kind}:${r.config.problem.n}:${r.config.seed}`, r.metrics.recovery_error]));
  const base = (r: RunRecord) => oracle.get(`${r.config.problem.kind}:${r.config.problem.n}:${r.config.seed}`) ?? NaN;
  const mine = records.filter((r) => r.config.model.init !== "oracle" && Number.isFinite(base(r)));
  const points = means(
    mine, (r) => r.config.problem.n,
    (r) => (r.config.train.lambda > 0 ? r.metrics.recovery_error : r.metrics.recovery_error_trained) / base(r),
    (r) => `${r.config.problem.kind}, ${r.config.train.lambda > 0 ? "pruned + fine-tuned" : `λ = 0, k = ${r.config.model.k}`}`,
  ).filter((p) => Number.isFinite(p.y));
  const ns = [...new Set(points.map((p) => p.x as number))].sort((a, b) => a - b);
  const guides = ns.length ? [{ x: ns[0], y: 1, series: "oracle" }, { x: ns[ns.length - 1], y: 1, series: "oracle" }] : [];
  return lineSpec(
    "Recovery error over the oracle's vs n", "mean over seeds of error / error of the rank-r fit from U* (same data); dashed: 1",
    { title: "n (samples)", log: true, ticks: ns }, { title: "error / oracle error", log: true }, points, guides,
  );
}

/** Training steps until separation against λ (log–log), mean over seeds per kind; dashed: ∝ 1/λ through the smallest λ. */
export function separationSpec(records: RunRecord[]): TopLevelSpec {
  const done = records.filter((r) => Number.isFinite(r.metrics.separation_step) && r.metrics.separation_step > 0);
  const points = means(done, (r) => r.config.train.lambda, (r) => r.metrics.separation_step, (r) => `${r.config.problem.kind}, ε = ${r.config.prune.threshold}`);
  const guides: Point[] = [];
  for (const series of new Set(points.map((p) => p.series))) {
    const mine = points.filter((p) => p.series === series).sort((a, b) => (a.x as number) - (b.x as number));
    const [first, last] = [mine[0], mine[mine.length - 1]];
    guides.push({ x: first.x, y: first.y, series: `∝ 1/λ (${series})` }, { x: last.x, y: first.y * ((first.x as number) / (last.x as number)), series: `∝ 1/λ (${series})` });
  }
  return lineSpec(
    "Training steps until the k − r small columns stay under ε", "mean over seeds of the first logged step from which at most r columns are ≥ ε; dashed: ∝ 1/λ",
    { title: "λ (penalty weight)", log: true, ticks: [...new Set(points.map((p) => p.x as number))] }, { title: "steps until separation", log: true }, points, guides,
  );
}

type Figures = (records: RunRecord[]) => Array<{ name: string; spec: TopLevelSpec }>;

/** The claim figures of each bundled config, by config name. */
const CLAIM_FIGURES: Record<string, Figures> = {
  conditioning: (records) =>
    [...new Set(records.map((r) => r.config.problem.kind))].map((kind) => ({ name: `kept-vs-kappa-${kind}`, spec: keptVsKappaSpec(records, kind) })),
  "top-r": (records) => [{ name: "top-r-cut", spec: topRCutSpec(records) }],
  noise: (records) => (records.some((r) => r.config.problem.noise > 0) ? [{ name: "error-vs-noise", spec: errorVsNoiseSpec(records) }] : []),
  separation: (records) => [{ name: "separation-vs-lambda", spec: separationSpec(records) }],
  generalization: (records) => (records.some((r) => r.config.model.init === "oracle") ? [{ name: "oracle-ratio", spec: oracleRatioSpec(records) }] : []),
};

/** Write the claim figures of one config's results into outDir. */
export async function writeClaimFigures(config: string, records: RunRecord[], outDir: string, png = true): Promise<FigureFile[]> {
  const out: FigureFile[] = [];
  // a figure draws finished runs only: with none (every run failed) there is nothing to draw
  const ok = records.filter((r) => r.status === "ok");
  if (ok.length === 0) return out;
  for (const figure of CLAIM_FIGURES[config]?.(ok) ?? []) out.push(await writeFigure(outDir, figure.name, figure.spec, png));
  return out;
}
