/**
 * Headless rendering: Vega-Lite → Vega → SVG with Vega's own scenegraph
 * renderer (no DOM, no canvas), SVG → PNG with resvg (no browser), and atomic
 * writes of the three files of a figure.
 */
import { writeFileAtomic } from "../output/atomic.js";
import { makeFolder } from "../files/special-files.js";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { captionFromSpec } from "./captions.js";
import { FONT } from "./specs.js";
import { useDejaVuMetrics } from "./text-metrics.js";

/** PNGs are drawn at twice the SVG size so text stays crisp on high-density screens. */
export const PNG_ZOOM = 2;

/**
 * The SVG text of a Vega-Lite spec.
 * @example await renderSvg(columnNormsSpec(input)) // "<svg ...>...</svg>"
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  useDejaVuMetrics();
  // Library code never prints: Vega and Vega-Lite otherwise send warnings to the console.
  const quiet = vega.logger(vega.None);
  const view = new vega.View(vega.parse(compile(spec, { logger: quiet }).spec), { renderer: "none", logger: quiet });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Rasterize an SVG. resvg loads the system fonts; text whose family is missing
 * falls back to FONT, so labels never silently vanish.
 */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT },
    fitTo: { mode: "zoom", value: PNG_ZOOM },
  });
  return resvg.render().asPng();
}

/** The files written for one figure (paths as `outDir` was given); `png` is "" when PNGs were not requested. */
export interface FigureFile {
  name: string;
  svg: string;
  png: string;
  spec: string;
  /** What the figure shows, in numbers read from its data (see captions.ts). */
  caption?: string;
}

/** Render one spec and write NAME.svg, NAME.png (unless `png` is false) and NAME.vl.json into `outDir`. */
export async function writeFigure(outDir: string, name: string, spec: TopLevelSpec, png: boolean): Promise<FigureFile> {
  makeFolder(outDir);
  // a figure that brings no caption of its values is captioned by its own title and subtitle
  const files = {
    name, svg: join(outDir, `${name}.svg`), png: png ? join(outDir, `${name}.png`) : "", spec: join(outDir, `${name}.vl.json`),
    caption: captionFromSpec(spec),
  };
  const svg = await renderSvg(spec);
  writeFileAtomic(files.spec, JSON.stringify(spec, null, 2) + "\n");
  writeFileAtomic(files.svg, svg);
  if (png) writeFileAtomic(files.png, svgToPng(svg));
  return files;
}
