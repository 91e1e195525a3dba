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
  return [...markup.matchAll(/<text\b[^>]*>((?:[^<]|<\/?tspan\b[^>]*>)*)<\/text>/g)].map((m) =>
    m[1].replace(/<\/tspan><tspan\b[^>]*>/g, " ").replace(/<\/?tspan\b[^>]*>/g, "").replace(/&(lt|gt|amp|quot|#39);/g, (e) => ENTITIES[e]));
}

/** Text of the legend entries of a chart. */
export function legendLabels(svg: string): string[] {
  return groups(svg, "role-legend-label").flatMap(texts);
}
