/**
 * The method-comparison figure of a results folder whose runs differ in their
 * training penalty: sorted trained column norms, one line per penalty (the run
 * with the smallest seed of each), per problem kind, with ε dashed. It reads like
 * the paper's column-norm figure, with the penalties as the series.
 */
import { formatNumber, sortedNorms, type NormPoint } from "../figures/data.js";
import { writeFigure, type FigureFile } from "../figures/render.js";
import { loadColumns } from "../figures/results.js";
import { columnNormsSpec } from "../figures/specs.js";
import type { RunRecord } from "../output/results.js";

const penaltyOf = (r: RunRecord): string => r.config.train.penalty?.kind ?? "smooth-group-lasso";

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
    const thresholds: { value: number; series: string }[] = [];
    const ofKind = done.filter((r) => r.config.problem.kind === kind);
    for (const penalty of [...new Set(ofKind.map(penaltyOf))]) {
      const run = ofKind.filter((r) => penaltyOf(r) === penalty).sort((a, b) => a.config.seed - b.config.seed)[0];
      const series = `${penalty} (λ=${formatNumber(run.config.train.lambda)})`;
      points.push(...sortedNorms(loadColumns(dir, run.run_id) ?? [], series));
      if (run.config.prune.threshold !== null) thresholds.push({ value: run.config.prune.threshold, series });
    }
    const eps = [...new Set(thresholds.map((t) => t.value))];
    const caption = eps.length === 1 ? `ε = ${formatNumber(eps[0])}` : "";
    const spec = columnNormsSpec({ kind: `${kind}, by penalty`, points, thresholds: eps.length === 1 ? thresholds.slice(0, 1) : thresholds, caption });
    files.push(await writeFigure(outDir, `column-norms-by-penalty-${kind}`, spec, true));
  }
  return files;
}
