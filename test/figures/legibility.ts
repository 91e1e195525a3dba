/**
 * The legibility measurements of a rendered figure (see legibility.test.ts):
 * text over text, text over data, raw floats, log axes with unlabelled decades.
 */
import { textWidth } from "../../src/figures/text-metrics.js";
import { crosses, groups, markPoints, overlaps, texts, textBoxes, type TextBox } from "./svg.js";

/** Text pairs that overlap (legend symbols and axis ticks are not text). */
function textClashes(boxes: TextBox[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      // a guide label and its white halo are the same text drawn twice
      if (boxes[i].text === boxes[j].text && Math.abs(boxes[i].x0 - boxes[j].x0) < 0.01 && Math.abs(boxes[i].y0 - boxes[j].y0) < 0.01) continue;
      if (overlaps(boxes[i], boxes[j])) out.push(`"${boxes[i].text}" × "${boxes[j].text}"`);
    }
  }
  return out;
}

/** Guides (rules, the reference rate, "kept = k") may run under a label; data may not. */
const GUIDE_MARK = /threshold|true_rank|nothing_pruned|_reference|_level|prune_rule|diverged/;

/** Texts drawn over a data point or through a data line. */
function dataClashes(svg: string, boxes: TextBox[]): string[] {
  const data = markPoints(svg).filter((m) => !GUIDE_MARK.test(m.group));
  const out: string[] = [];
  for (const box of boxes) {
    // the heatmap's numbers are written on their cells by design
    if (/cell_labels/.test(box.group)) continue;
    for (const mark of data) {
      const hit = mark.points.some(([x, y]) => x > box.x0 && x < box.x1 && y > box.y0 && y < box.y1) ||
        mark.segments.some(([p, q]) => crosses(box, p, q));
      if (hit) out.push(`"${box.text}" over ${mark.group.split(" ").pop()}`);
    }
  }
  return [...new Set(out)];
}

/** Printed numbers longer than 9 characters of digits and points: a raw float. */
function rawFloats(boxes: TextBox[]): string[] {
  return boxes.filter((b) => /\d[\d.]{9,}/.test(b.text)).map((b) => b.text);
}

/** Log axes whose labels skip a decade (or k decades past 8) or stop short of an end. */
function decadeGaps(svg: string): string[] {
  const out: string[] = [];
  const axis = /<g class="mark-group role-axis" role="graphics-symbol" aria-roledescription="axis" aria-label="([^"]*) for a log scale with values from ([-\d.e]+) to ([-\d.e]+)">/g;
  for (const m of svg.matchAll(axis)) {
    const [lo, hi] = [Number(m[2]), Number(m[3])];
    const start = m.index! + m[0].length;
    const labels = texts(groups(svg.slice(start), "role-axis-label")[0] ?? "").map((l) => Number(l.replace(/,/g, ""))).filter((v) => v > 0);
    const logs = [Math.log10(lo), ...labels.map(Math.log10).sort((a, b) => a - b), Math.log10(hi)];
    const span = Math.log10(hi) - Math.log10(lo);
    const allowed = Math.max(1, Math.ceil(span / 8));
    const widest = Math.max(...logs.slice(1).map((v, i) => v - logs[i]));
    if (labels.length < 2 || widest > allowed + 1e-9) out.push(`${m[1]}: labels ${labels.join(", ")} over ${lo}…${hi}`);
  }
  return out;
}

export function legibility(svg: string) {
  const boxes = textBoxes(svg, textWidth);
  return { boxes, text: textClashes(boxes), data: dataClashes(svg, boxes), floats: rawFloats(boxes), decades: decadeGaps(svg) };
}

/** The four kinds of defect of one SVG, empty when it reads. */
export function defects(svg: string): { text: string[]; data: string[]; floats: string[]; decades: string[] } {
  const l = legibility(svg);
  return { text: l.text, data: l.data, floats: l.floats, decades: l.decades };
}
