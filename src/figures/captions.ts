/**
 * Captions generated from the values a figure draws, so a caption can never
 * say what its figure does not show. Pure functions of the same shaped data
 * the specs get (see data.ts). A figure without a caption function is
 * captioned by its own title and subtitle (see captionFromSpec).
 */
import type { TopLevelSpec } from "vega-lite";
import {
  formatNumber, formatRate, OBJECTIVE_METRIC, PRUNED_SERIES,
  type ErrorPoint, type KeptCell, type KeptPoint, type NormPoint, type PhaseCell, type PhaseSpans, type TraceValue,
} from "./data.js";

/** "a–b", or "a" when both ends agree. */
function range(lo: number, hi: number): string {
  return lo === hi ? formatNumber(lo) : `${formatNumber(lo)}–${formatNumber(hi)}`;
}

/** Per series: how many norms lie at or above its ε, and the largest and smallest norm. */
export function columnNormsCaption(points: NormPoint[], thresholds: { value: number; series: string }[]): string {
  const series = [...new Set(points.map((p) => p.series))];
  return series
    .map((name) => {
      const norms = points.filter((p) => p.series === name);
      const eps = thresholds.find((t) => t.series === name)?.value ?? (thresholds.length === 1 ? thresholds[0].value : null);
      const real = norms.map((p) => (p.clamped ? 0 : p.norm));
      const largest = Math.max(...real);
      const smallest = Math.min(...real);
      const above = eps === null ? "" : `${real.filter((x) => x >= eps).length} of ${real.length} norms ≥ ε = ${formatNumber(eps)}, `;
      return `${name}: ${above}largest ${formatNumber(largest)}, smallest ${formatNumber(smallest)}`;
    })
    .join("; ") + ".";
}

/** The first and last value of a metric, and its value at a step (the last logged at or before it). */
function along(values: TraceValue[], metric: string) {
  const xs = values.filter((v) => v.metric === metric).sort((a, b) => a.step - b.step);
  const at = (step: number) => [...xs].reverse().find((v) => v.step <= step);
  return { first: xs[0], last: xs[xs.length - 1], at };
}

/** The recovery error through the phases, and the fitted rate or where the run diverged. */
export function traceCaption(
  values: TraceValue[], spans: PhaseSpans, rate: number | null, diverged: { step: number | null; phase: string } | null,
): string {
  const err = along(values, "recovery error");
  const parts: string[] = [];
  if (err.first && err.last) {
    const atPrune = spans.prune !== null ? err.at(spans.prune) : undefined;
    parts.push(
      `recovery error ${formatNumber(err.first.value)} at step ${err.first.step}` +
        (atPrune && atPrune !== err.last ? `, ${formatNumber(atPrune.value)} at pruning (step ${atPrune.step})` : "") +
        (err.last !== err.first ? `, ${formatNumber(err.last.value)} at step ${err.last.step}` : ""),
    );
  }
  if (diverged) {
    const obj = along(values, OBJECTIVE_METRIC).last;
    parts.push(`diverged${diverged.step === null ? "" : ` at step ${diverged.step}`}${diverged.phase ? ` in ${diverged.phase}` : ""}` +
      (obj ? `; the last finite objective is ${formatNumber(obj.value)} (step ${obj.step})` : ""));
  } else if (rate !== null) parts.push(`fine-tuning contracts ×${formatRate(rate)} per step`);
  else parts.push("no fine-tuning rate was fitted");
  return `${parts.join("; ")}.`;
}

/** The range of mean kept columns, for λ > 0 and λ = 0 apart. */
export function keptHeatmapCaption(cells: KeptCell[], r: number | null): string {
  const group = (cs: KeptCell[], name: string) => {
    if (cs.length === 0) return "";
    const lo = Math.min(...cs.map((c) => c.min));
    const hi = Math.max(...cs.map((c) => c.max));
    const cells = `${cs.length} cell${cs.length === 1 ? "" : "s"}`;
    return lo === hi ? `${name}: every run of its ${cells} keeps ${formatNumber(lo)}` : `${name}: runs keep ${range(lo, hi)} across its ${cells}`;
  };
  const parts = [group(cells.filter((c) => c.lambda > 0), "λ > 0"), group(cells.filter((c) => c.lambda === 0), "λ = 0")].filter((p) => p !== "");
  return `${parts.join("; ")}${r === null ? "" : ` (true rank r = ${r})`}.`;
}

/** Per training group: mean kept columns at the smallest and the largest k. */
export function keptVsKCaption(points: KeptPoint[], r: number | null): string {
  const series = [...new Set(points.map((p) => p.series))];
  const parts = series.map((name) => {
    const ps = points.filter((p) => p.series === name).sort((a, b) => a.k - b.k);
    const [a, b] = [ps[0], ps[ps.length - 1]];
    return `${name}: ${formatNumber(a.kept)} kept at k = ${a.k}, ${formatNumber(b.kept)} at k = ${b.k} (runs range ${range(Math.min(...ps.map((p) => p.min)), Math.max(...ps.map((p) => p.max)))})`;
  });
  return `${parts.join("; ")}${r === null ? "" : `; true rank r = ${r}`}.`;
}

/** Least-squares slope of log y against log x. */
export function logLogSlope(points: { n: number; value: number }[]): number | null {
  const ps = points.filter((p) => p.n > 0 && p.value > 0);
  if (ps.length < 2) return null;
  const xs = ps.map((p) => Math.log(p.n));
  const ys = ps.map((p) => Math.log(p.value));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
  });
  return sxx > 0 ? sxy / sxx : null;
}

/** Per model: recovery error at the smallest and largest n and its log–log slope; the test loss against σ². */
export function errorVsNCaption(points: ErrorPoint[], noise: number): string {
  const parts: string[] = [];
  for (const series of [...new Set(points.map((p) => p.series))]) {
    const ps = points.filter((p) => p.series === series && p.metric === "recovery error").sort((a, b) => a.n - b.n);
    if (ps.length === 0) continue;
    const slope = logLogSlope(ps);
    parts.push(
      `${series}: recovery error ${formatNumber(ps[0].value)} at n = ${ps[0].n}` +
        (ps.length > 1 ? `, ${formatNumber(ps[ps.length - 1].value)} at n = ${ps[ps.length - 1].n}` : "") +
        (slope === null ? "" : ` (log–log slope ${slope.toFixed(2).replace("-", "−")}; the r-column rate's is −0.5)`),
    );
  }
  const test = points.filter((p) => p.series === PRUNED_SERIES && p.metric === "test loss").sort((a, b) => a.n - b.n);
  if (test.length) parts.push(`its test loss at n = ${test[test.length - 1].n} is ${formatNumber(test[test.length - 1].value)}, noise floor σ² = ${formatNumber(noise ** 2)}`);
  return `${parts.join("; ")}.`;
}

/** A figure's own title and subtitle as a caption: for figures that bring no caption of their own. */
export function captionFromSpec(spec: TopLevelSpec): string {
  const title = (spec as { title?: string | { text?: string | string[]; subtitle?: string | string[] } }).title;
  if (title === undefined) return "";
  if (typeof title === "string") return title;
  const flat = (x: string | string[] | undefined) => (Array.isArray(x) ? x.join(" ") : x ?? "");
  return [flat(title.text), flat(title.subtitle)].filter((s) => s !== "").join(": ");
}


/** How much of the phase diagram keeps exactly r, per κ: "κ = 1: 40 of 64 cells keep exactly r = 2 in every run; …". */
export function phaseCaption(cells: PhaseCell[], r: number): string {
  const kappas = [...new Set(cells.map((c) => c.kappa))].sort((a, b) => a - b);
  const parts = kappas.map((kappa) => {
    const mine = cells.filter((c) => c.kappa === kappa);
    return `κ = ${formatNumber(kappa)}: ${mine.filter((c) => c.exact === 1).length} of ${mine.length} cells`;
  });
  return `Cells (λ, ε, k) where every run kept exactly r = ${r}: ${parts.join("; ")}.`;
}
