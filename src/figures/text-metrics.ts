/**
 * Text widths for Vega's layout without a canvas. Headless Vega guesses every
 * character as 0.8 em wide, which is ~35% too wide for DejaVu Sans: charts get
 * wide blank margins and long axis titles stretch the layout. Vega lets a
 * caller replace `textMetrics.width` (vl-convert does the same); we supply the
 * real advance widths of DejaVu Sans, the font the charts use and resvg draws.
 */
import * as vega from "vega";

/**
 * Advance widths (1/1000 em) of printable ASCII (space … "~"), read from the
 * hmtx table of DejaVuSans.ttf and DejaVuSans-Bold.ttf (DejaVu fonts 2.37).
 */
const ASCII_REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
  603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
  634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const ASCII_BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
  733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
  712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];
/** The non-ASCII characters the charts print: [regular, bold]. */
const SYMBOLS: Record<string, [number, number]> = {
  "‖": [500, 500], "₂": [401, 438], "ε": [541, 557], "σ": [634, 779], "λ": [592, 633], "κ": [589, 710],
  "×": [838, 838], "√": [637, 667], "²": [401, 438], "·": [318, 380], "—": [1000, 1000], "∝": [714, 712],
  "…": [1000, 1000], "◀": [769, 769], "▶": [769, 769], "→": [838, 838], "←": [838, 838], "−": [838, 838],
};
/** Anything else: a typical lowercase width. */
const OTHER: [number, number] = [620, 680];

/** Width in pixels of `text` in DejaVu Sans at `fontSize`. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? ASCII_BOLD : ASCII_REGULAR;
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    units += code >= 32 && code <= 126 ? table[code - 32] : (SYMBOLS[ch] ?? OTHER)[bold ? 1 : 0];
  }
  return (units * fontSize) / 1000;
}

/** The part of a Vega text item the width depends on. */
interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
}

interface TextMetrics {
  width: (item: TextItem, text: unknown) => number;
}

/** Vega's text-width hook (exported at runtime by vega-scenegraph, not in vega's typings). */
const metrics = (vega as unknown as { textMetrics: TextMetrics }).textMetrics;

/** Make Vega lay text out with DejaVu Sans widths. Idempotent; affects every Vega view in the process. */
export function useDejaVuMetrics(): void {
  metrics.width = (item, text) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11; // Vega's default size
    const weight = item.fontWeight;
    const bold = weight === "bold" || weight === "bolder" || Number(weight) >= 600;
    return textWidth(text == null ? "" : String(text).trim(), size, bold);
  };
}
