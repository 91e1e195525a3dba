/**
 * Just enough SVG inspection for the figure tests, without a DOM: a tag-balance
 * check and the contents of Vega's mark groups (`<g class="… NAME_marks">`).
 */

const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/g;

/**
 * True when `svg` is one <svg> root whose tags all balance and whose text
 * holds no stray "<" or ">" (which would mean unescaped markup).
 */
export function isWellFormedSvg(svg: string): boolean {
  const body = svg.replace(/^<\?xml[^>]*\?>\s*/, "").trim();
  if (!body.startsWith("<svg") || !body.endsWith("</svg>")) return false;
  const stack: string[] = [];
  let closedRoot = false;
  for (const [, closing, name, , selfClosing] of body.matchAll(TAG)) {
    if (closedRoot) return false; // something after </svg>
    if (selfClosing) continue;
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) return false;
    if (closing && stack.length === 0) closedRoot = name === "svg";
  }
  return closedRoot && !/[<>]/.test(body.replace(TAG, ""));
}

/** Inner markup of every <g> whose class list contains `cls`, nested groups included. */
export function groups(svg: string, cls: string): string[] {
  const out: string[] = [];
  const open = /<g\b[^>]*\bclass="([^"]*)"[^>]*>/g;
  for (let m = open.exec(svg); m; m = open.exec(svg)) {
    if (!m[1].split(/\s+/).includes(cls)) continue;
    const tag = /<(\/?)g\b[^>]*?(\/?)>/g;
    tag.lastIndex = open.lastIndex;
    let depth = 1;
    let t: RegExpExecArray | null = null;
    while (depth > 0 && (t = tag.exec(svg))) {
      if (t[1]) depth--;
      else if (!t[2]) depth++;
    }
    if (t) out.push(svg.slice(open.lastIndex, t.index));
  }
  return out;
}

/** How many `<tag` elements `markup` holds. */
export function count(markup: string, tag: string): number {
  return markup.match(new RegExp(`<${tag}\\b`, "g"))?.length ?? 0;
}

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'" };

/** The text content of every <text> element in `markup` (lines of a multi-line text joined by a space), entities decoded. */
export function texts(markup: string): string[] {
  // `<text …/>` (an empty label Vega thinned out) has no content and no end tag
  return [...markup.matchAll(/<text\b[^>]*?(?<!\/)>((?:[^<]|<\/?tspan\b[^>]*>)*)<\/text>/g)].map((m) =>
    m[1].replace(/<\/tspan><tspan\b[^>]*>/g, " ").replace(/<\/?tspan\b[^>]*>/g, "").replace(/&(lt|gt|amp|quot|#39);/g, (e) => ENTITIES[e]));
}

/** Text of the legend entries of a chart. */
export function legendLabels(svg: string): string[] {
  return groups(svg, "role-legend-label").flatMap(texts);
}

/** A rectangle in the SVG's own coordinates. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One piece of text as drawn: its string, box, and the class list of the mark group it is in. */
export interface TextBox extends Box {
  text: string;
  group: string;
}

/** A mark's drawn points (symbol centres, line vertices and segments), with its group's class list. */
export interface MarkPoints {
  group: string;
  points: Array<[number, number]>;
  segments: Array<[[number, number], [number, number]]>;
}

const num = (s: string | undefined, fallback = 0) => (s === undefined ? fallback : Number(s));

/**
 * Walk the SVG's tags keeping the sum of the enclosing <g transform="translate(…)">
 * offsets and the class of the innermost classed group, calling `visit` per element.
 */
function walk(svg: string, visit: (tag: string, attrs: string, body: string, dx: number, dy: number, group: string) => void): void {
  const stack: Array<{ dx: number; dy: number; group: string }> = [{ dx: 0, dy: 0, group: "" }];
  const re = /<(\/?)(g|text|path|line|rect)\b([^>]*?)(\/?)>/g;
  for (let m = re.exec(svg); m; m = re.exec(svg)) {
    const [, closing, tag, attrs, selfClosing] = m;
    let textRest = "";
    if (tag === "text" && !closing && !selfClosing) {
      // a text's content (tspans included) up to its end tag, which the walk then skips
      const end = svg.indexOf("</text>", re.lastIndex);
      textRest = svg.slice(re.lastIndex, end);
      re.lastIndex = end + "</text>".length;
    }
    const top = stack[stack.length - 1];
    if (tag === "g") {
      if (closing) stack.pop();
      else if (!selfClosing) {
        const t = /transform="translate\(([-\d.e]+),([-\d.e]+)\)"/.exec(attrs);
        const cls = /class="([^"]*)"/.exec(attrs)?.[1];
        stack.push({ dx: top.dx + num(t?.[1]), dy: top.dy + num(t?.[2]), group: cls ?? top.group });
      }
      continue;
    }
    if (closing) continue;
    visit(tag, attrs, textRest, top.dx, top.dy, top.group);
  }
}

/**
 * The box of every <text> as DejaVu Sans draws it (widths from src/figures/text-metrics.ts;
 * ascent 0.8 em above the baseline, descent 0.2 em below; tspans as lines 1.2 em apart;
 * rotate(±90) turns the box).
 */
export function textBoxes(svg: string, width: (text: string, size: number, bold: boolean) => number): TextBox[] {
  const out: TextBox[] = [];
  walk(svg, (tag, attrs, body, dx, dy, group) => {
    // opacity 0: a label Vega's overlap thinning hid, not drawn
    if (tag !== "text" || /opacity="0"/.test(attrs)) return;
    // Vega writes translate(x,y), then for rotated text rotate(a) and a translate in the rotated frame
    const t = /transform="translate\(([-\d.e]+),([-\d.e]+)\)(?: rotate\(([-\d.e]+)\))?(?: translate\(([-\d.e]+),([-\d.e]+)\))?"/.exec(attrs);
    const size = num(/font-size="([\d.]+)px"/.exec(attrs)?.[1], 11);
    const bold = /font-weight="(bold|[6-9]00)"/.test(attrs);
    const anchor = /text-anchor="(start|middle|end)"/.exec(attrs)?.[1] ?? "start";
    const tspans = [...body.matchAll(/<tspan\b[^>]*>([^<]*)<\/tspan>/g)].map((l) => l[1]);
    const content = tspans.length ? tspans : [body];
    const decoded = content.map((l) => l.replace(/&(lt|gt|amp|quot|#39);/g, (e) => ENTITIES[e]));
    const w = Math.max(...decoded.map((l) => width(l, size, bold)));
    const h = size * (1 + 1.2 * (decoded.length - 1));
    // Vega writes -90° as rotate(270): angles in (-180, 180]
    const rot = 180 - ((((180 - num(t?.[3])) % 360) + 360) % 360);
    const [lx, ly] = [num(t?.[4]), num(t?.[5])];
    // the inner translate, turned by the rotation (±90° swaps the axes)
    const x = dx + num(t?.[1]) + (rot === -90 ? ly : rot === 90 ? -ly : lx);
    const y = dy + num(t?.[2]) + (rot === -90 ? -lx : rot === 90 ? lx : ly);
    const start = anchor === "start" ? 0 : anchor === "middle" ? -w / 2 : -w;
    const box = Math.abs(rot) === 90
      ? { x0: x - 0.8 * size, x1: x + h - 0.8 * size, y0: rot < 0 ? y - start - w : y + start, y1: rot < 0 ? y - start : y + start + w }
      : { x0: x + start, x1: x + start + w, y0: y - 0.8 * size, y1: y - 0.8 * size + h };
    const text = decoded.join(" ");
    if (text.trim() !== "") out.push({ ...box, text, group });
  });
  return out;
}

/** The points of every line and symbol mark (the data and guides drawn as paths). */
export function markPoints(svg: string): MarkPoints[] {
  const out: MarkPoints[] = [];
  walk(svg, (tag, attrs, _body, dx, dy, group) => {
    if (tag !== "path" || !/\brole-mark\b/.test(group)) return;
    const entry: MarkPoints = { group, points: [], segments: [] };
    if (/\bmark-symbol\b/.test(group)) {
      const t = /transform="translate\(([-\d.e]+),([-\d.e]+)\)"/.exec(attrs);
      if (t) entry.points.push([dx + num(t[1]), dy + num(t[2])]);
    } else if (/\bmark-line\b/.test(group)) {
      const d = /\bd="([^"]*)"/.exec(attrs)?.[1] ?? "";
      const vertices = [...d.matchAll(/[ML]([-\d.e]+),([-\d.e]+)/g)].map((v): [number, number] => [dx + Number(v[1]), dy + Number(v[2])]);
      entry.points.push(...vertices);
      for (let i = 1; i < vertices.length; i++) entry.segments.push([vertices[i - 1], vertices[i]]);
    }
    if (entry.points.length) out.push(entry);
  });
  return out;
}

/** True when two boxes share more than `slack` pixels each way. */
export function overlaps(a: Box, b: Box, slack = 0.5): boolean {
  return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > slack && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > slack;
}

/** True when the segment from p to q passes through the box (sampled every pixel). */
export function crosses(box: Box, p: [number, number], q: [number, number]): boolean {
  const steps = Math.max(1, Math.ceil(Math.hypot(q[0] - p[0], q[1] - p[1])));
  for (let i = 0; i <= steps; i++) {
    const x = p[0] + ((q[0] - p[0]) * i) / steps;
    const y = p[1] + ((q[1] - p[1]) * i) / steps;
    if (x > box.x0 && x < box.x1 && y > box.y0 && y < box.y1) return true;
  }
  return false;
}
