/**
 * The method-comparison figure of a results folder whose runs differ in their
 * training penalty: sorted trained column norms, one panel per penalty (the run
 * with the smallest seed of each), per problem kind, with ε dashed. Panels, not
 * overlaid lines: penalties can coincide (both group Lassos at the floor, weight
 * decay on the unregularized curve).
 */
import type { TopLevelSpec } from "vega-lite";
import { formatNumber, normFloor, sortedNorms, type NormPoint } from "../figures/data.js";
import { writeFigure, type FigureFile } from "../figures/render.js";
import { loadColumns } from "../figures/results.js";
import { CHART_CONFIG, LOG_AXIS, logTicks, normAxisBottom } from "../figures/specs.js";
import type { RunRecord } from "../output/results.js";

const penaltyOf = (r: RunRecord): string => r.config.train.penalty?.kind ?? "smooth-group-lasso";

/**
 * Small multiples of sorted norms, one panel per series, ε as a dashed rule in
 * each. The log axis stops DECADES_UNDER_EPSILON decades under ε, as the
 * per-folder column-norm figure does: the region where kept and pruned columns
 * part gets the height, and the columns a penalty drove far below (to 1e-36, or
 * exactly 0) sit on the bottom edge as ▼, counted in the subtitle.
 */
export function normsByPenaltySpec(kind: string, points: NormPoint[], eps: number | null, order: string[], floor: number | null = null): TopLevelSpec {
  const { clip, bottom, note: belowNote } = normAxisBottom(points, eps === null ? [] : [eps]);
  const top = 2 * Math.max(1, ...points.map((p) => p.norm));
  const rows = points.map((p) => ({ ...p, eps }));
  const y = { field: "norm", type: "quantitative" as const, scale: { type: "log" as const, domain: [bottom, top], nice: false, clamp: true },
    axis: { ...LOG_AXIS, values: logTicks(bottom, top) },
    title: clip === null && floor !== null ? `column norm (log; 0 drawn at ${formatNumber(floor)})` : "column norm (log scale)" };
  const shape = clip === null ? { value: "circle" } : { condition: { test: `datum.norm < ${clip}`, value: "triangle-down" }, value: "circle" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `Column norms after training, by penalty (${kind})`,
      subtitle: [`sorted, largest first; one panel per penalty, same data and U₀${eps === null ? "" : `; dashed: ε = ${formatNumber(eps)}`}`, belowNote].filter((l) => l !== ""),
    },
    config: CHART_CONFIG,
    data: { values: rows },
    facet: { column: { field: "series", type: "nominal", sort: order, title: null, header: { labelFontSize: 12 } } },
    spec: {
      width: 170,
      height: 240,
      layer: [
        {
          mark: { type: "line", strokeWidth: 2 },
          encoding: { x: { field: "rank", type: "quantitative", title: "column rank" }, y },
        },
        {
          mark: { type: "point", size: 30, filled: true, opacity: 1 },
          encoding: { x: { field: "rank", type: "quantitative" }, y: { field: "norm", type: "quantitative", scale: y.scale }, shape },
        },
        ...(eps === null ? [] : [{
          mark: { type: "rule" as const, strokeDash: [6, 4], strokeWidth: 1.5, color: "#666" },
          encoding: { y: { field: "eps", type: "quantitative" as const } },
        }]),
      ],
    },
  } as TopLevelSpec;
}

/**
 * Write `column-norms-by-penalty-<kind>` (SVG, PNG, spec) into outDir when the
 * records use more than one penalty; returns the files written (none otherwise).
 */
export async function plotMethodComparison(dir: string, records: RunRecord[], outDir: string): Promise<FigureFile[]> {
  const done = records.filter((r) => r.status === "ok");
  if (new Set(done.map(penaltyOf)).size < 2) return [];
  const files: FigureFile[] = [];
  for (const kind of [...new Set(done.map((r) => r.config.problem.kind))]) {
    const points: NormPoint[] = [];
    const order: string[] = [];
    const ofKind = done.filter((r) => r.config.problem.kind === kind).sort((a, b) => a.index - b.index);
    const eps = new Set<number | null>();
    const runs = [...new Set(ofKind.map(penaltyOf))].map((penalty) => {
      const run = ofKind.filter((r) => penaltyOf(r) === penalty).sort((a, b) => a.config.seed - b.config.seed)[0];
      eps.add(run.config.prune.threshold);
      return { series: `${penalty} (λ=${formatNumber(run.config.train.lambda)})`, columns: loadColumns(dir, run.run_id) ?? [] };
    });
    // exact zeros (the exact group Lasso) are drawn one decade below the smallest positive norm of any panel
    const floor = normFloor(runs.flatMap((r) => r.columns.filter((c) => c.stage === "trained").map((c) => c.norm)));
    for (const { series, columns } of runs) {
      order.push(series);
      points.push(...sortedNorms(columns, series, floor));
    }
    const one = eps.size === 1 ? [...eps][0] : null;
    files.push(await writeFigure(outDir, `column-norms-by-penalty-${kind}`, normsByPenaltySpec(kind, points, one, order, floor), true));
  }
  return files;
}
