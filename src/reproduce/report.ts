/**
 * REPORT.md and report.html of a reproduction: a table of claims (statement,
 * config, what was measured, and a status cell reading PASS or FAIL, words used
 * nowhere else), then every figure with one line on what to see.
 */
import { join, relative } from "node:path";
import { writeFileAtomic } from "../output/atomic.js";
import { readRegularText } from "../output/special-files.js";
import type { FigureFile } from "../figures/render.js";
import { currentProvenance, type Provenance } from "../package/provenance.js";
import type { ClaimResult, ConfigResult } from "./reproduce.js";

/** The caption of a figure: from its values (captions.ts), as plot made it. */
function captionOf(f: FigureFile): string {
  return f.caption ?? "";
}

const status = (holds: boolean) => (holds ? "PASS" : "FAIL");
const escapeMd = (s: string) => s.replace(/\|/g, "\\|");
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** One sentence naming what produced the report. */
const producedBy = (p: Provenance) =>
  `Produced by prune-sense ${p.prune_sense} on Node.js ${p.node} (${p.kernels} kernels, ${p.platform}) at ${p.time}.`;

export function reportMarkdown(
  outDir: string, size: string, configs: ConfigResult[], claims: ClaimResult[], provenance: Provenance = currentProvenance(), command = "",
): string {
  const passed = claims.filter((c) => c.holds).length;
  const lines = [
    "# prune-sense: the paper's claims, reproduced",
    "",
    `Size: ${size} (\`prune-sense reproduce${size === "quick" ? " --quick" : ""}\`). ${passed} of ${claims.length} claims hold.`,
    `Runs: ${configs.map((c) => `[${c.name}](${relative(outDir, join(c.dir, "summary.csv"))}) (${c.records.length})`).join(", ")}; each config is \`configs/paper/NAME.yaml\` or \`configs/methods/NAME.yaml\`, its results in \`NAME/\`.`,
    producedBy(provenance) + (command ? ` Command: \`${command}\`.` : ""),
    "",
    "| # | claim | config | measured | status |",
    "|---|---|---|---|---|",
    ...claims.map((c, i) => `| ${i + 1} | ${escapeMd(c.claim.statement)} | ${c.claim.config} | ${escapeMd(c.measured)} | ${status(c.holds)} |`),
    "",
    "## Figures",
    "",
  ];
  for (const config of configs) {
    lines.push(`### ${config.name}`, "");
    for (const f of config.figures) {
      lines.push(`![${f.name}](${relative(outDir, f.svg)})`, "", `${f.name}: ${captionOf(f)}`, "");
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/**
 * The report as one self-contained page: figures inline as SVG, scaled to
 * their box (two columns on wide screens, one on narrow ones), each with the
 * caption of its values; a header with version, date and command (the
 * provenance); links to each config's summary.csv beside the page.
 */
export function reportHtml(
  outDir: string, size: string, configs: ConfigResult[], claims: ClaimResult[], provenance: Provenance = currentProvenance(), command = "",
): string {
  const rows = claims
    .map((c, i) => {
      const cls = c.holds ? "pass" : "fail";
      return `<tr><td>${i + 1}</td><td>${escapeHtml(c.claim.statement)}</td><td>${c.claim.config}</td><td>${escapeHtml(c.measured)}</td><td class="${cls}">${status(c.holds)}</td></tr>`;
    })
    .join("\n");
  const figures = configs
    .map((config) => {
      const items = config.figures
        .map((f) => {
          // inline SVG: the page is one self-contained file; a viewBox-only SVG scales to its box
          const svg = readRegularText(f.svg)
            .replace(/^<\?xml[^>]*>\s*/, "")
            .replace(/^<svg([^>]*?) width="[\d.]+" height="[\d.]+"/, '<svg$1 role="img" aria-label="$NAME"'.replace("$NAME", escapeHtml(f.name)));
          return `<figure id="${escapeHtml(f.name)}">${svg}<figcaption><b>${escapeHtml(f.name)}</b>: ${escapeHtml(captionOf(f))}</figcaption></figure>`;
        })
        .join("\n");
      const csv = relative(outDir, join(config.dir, "summary.csv"));
      return `<h3>${escapeHtml(config.name)} <small>(${config.records.length} runs, <a href="${escapeHtml(csv)}">summary.csv</a>)</small></h3>\n<div class="figures">\n${items}\n</div>`;
    })
    .join("\n");
  const links = configs.map((c) => `<a href="${escapeHtml(relative(outDir, join(c.dir, "summary.csv")))}">${escapeHtml(c.name)}/summary.csv</a>`).join(" · ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>prune-sense: the paper's claims, reproduced</title>
<style>
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 1400px; margin: 0 auto; padding: 1em; color: #222; }
.meta { color: #555; } .meta code { white-space: normal; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }
td:nth-child(2), td:nth-child(4) { overflow-wrap: anywhere; } td:nth-child(3), td:last-child { white-space: nowrap; }
td.pass { background: #dff0d8; font-weight: bold; } td.fail { background: #f2dede; font-weight: bold; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 560px), 1fr)); gap: 1.5em; }
figure { margin: 0; min-width: 0; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 0.9em; margin-top: 0.4em; }
</style></head><body>
<h1>prune-sense: the paper's claims, reproduced</h1>
<p class="provenance meta">${escapeHtml(producedBy(provenance))}${command ? ` Command: <code>${escapeHtml(command)}</code>` : ""}</p>
<p>Size: ${size}. ${claims.filter((c) => c.holds).length} of ${claims.length} claims hold. Data: ${links}.</p>
<div class="table-wrap"><table><tr><th>#</th><th>claim</th><th>config</th><th>measured</th><th>status</th></tr>
${rows}
</table></div>
<h2>Figures</h2>
${figures}
</body></html>
`;
}

/** The report files of outDir. */
export function reportPaths(outDir: string): { report: string; html: string } {
  return { report: join(outDir, "REPORT.md"), html: join(outDir, "report.html") };
}

/** Write REPORT.md and report.html into outDir; returns their paths. */
export function writeReports(
  outDir: string, size: string, configs: ConfigResult[], claims: ClaimResult[], provenance: Provenance = currentProvenance(), command = "",
): { report: string; html: string } {
  const { report, html } = reportPaths(outDir);
  writeFileAtomic(report, reportMarkdown(outDir, size, configs, claims, provenance, command));
  writeFileAtomic(html, reportHtml(outDir, size, configs, claims, provenance, command));
  return { report, html };
}
