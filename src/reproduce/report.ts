/**
 * REPORT.md and report.html of a reproduction: a table of contents, a table of
 * claims (id, the statements of paper.md it cites, statement, config, what was
 * measured, and a status cell reading PASS or FAIL, words used nowhere else),
 * then each claim (its thresholds, each with its reason) with the figures that show it, then the figures no claim
 * reads, by config. A claim's id is its anchor (#claim-ID) in both files; a
 * figure's anchor is #fig-CONFIG-NAME and its caption names the claims it shows.
 */
import { join, relative } from "node:path";
import { writeFileAtomic } from "../output/atomic.js";
import { readRegularText } from "../files/special-files.js";
import type { FigureFile } from "../figures/render.js";
import { currentProvenance, type Provenance } from "../package/provenance.js";
import { figureShows } from "./claims.js";
import type { ClaimResult, ConfigResult } from "./reproduction.js";

/** The caption of a figure: from its values (captions.ts), as plot made it. */
function captionOf(f: FigureFile): string {
  return f.caption ?? "";
}

const status = (holds: boolean) => (holds ? "PASS" : "FAIL");
const escapeMd = (s: string) => s.replace(/\|/g, "\\|");
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** One sentence naming what produced the report. */
const producedBy = (p: Provenance) =>
  `Produced by prune-sense ${p.prune_sense} on Node.js ${p.node} (${p.kernels} kernels, ${p.platform}) at ${p.time}.`;

/** The anchor of a claim (its id is already a slug: lower case and dashes). */
export const claimAnchor = (id: string) => `claim-${id}`;
/** The anchor of a figure: its config and name, every other character a dash. */
export const figureAnchor = (config: string, name: string) => `fig-${config}-${name}`.replace(/[^A-Za-z0-9_-]/g, "-");

interface PlacedFigure {
  config: string;
  figure: FigureFile;
  /** Ids of the claims it shows, in claim order. */
  shows: string[];
}

/** Every figure with the claims it shows; each claim's figures; the figures no claim reads, by config. */
export function figuresByClaim(configs: ConfigResult[], claims: ClaimResult[]): {
  all: PlacedFigure[]; ofClaim: Map<string, PlacedFigure[]>; unclaimed: Map<string, PlacedFigure[]>;
} {
  const all = configs.flatMap((c) => c.figures.map((figure) => ({
    config: c.name, figure, shows: claims.filter((r) => figureShows(r.claim, c.name, figure.name)).map((r) => r.claim.id),
  })));
  const ofClaim = new Map(claims.map((r) => [r.claim.id, all.filter((f) => f.shows.includes(r.claim.id))]));
  const unclaimed = new Map(configs.map((c) => [c.name, all.filter((f) => f.config === c.name && f.shows.length === 0)]));
  return { all, ofClaim, unclaimed };
}

/** "shows: [a](#claim-a), …" for a caption, or "" for a figure no claim reads. */
const showsMd = (f: PlacedFigure) => (f.shows.length ? ` Shows ${f.shows.map((id) => `[${id}](#${claimAnchor(id)})`).join(", ")}.` : "");
const showsHtml = (f: PlacedFigure) =>
  f.shows.length ? ` <span class="shows">Shows ${f.shows.map((id) => `<a href="#${claimAnchor(id)}">${escapeHtml(id)}</a>`).join(", ")}.</span>` : "";

export function reportMarkdown(
  outDir: string, size: string, configs: ConfigResult[], claims: ClaimResult[], provenance: Provenance = currentProvenance(), command = "",
): string {
  const passed = claims.filter((c) => c.holds).length;
  const { ofClaim, unclaimed } = figuresByClaim(configs, claims);
  const figureMd = (f: PlacedFigure) => [
    `<a id="${figureAnchor(f.config, f.figure.name)}"></a>`, `![${f.figure.name}](${relative(outDir, f.figure.svg)})`, "",
    `${f.config}/${f.figure.name}: ${captionOf(f.figure)}${showsMd(f)}`.trimEnd(), "",
  ];
  const lines = [
    "# prune-sense: the paper's claims, reproduced",
    "",
    `Size: ${size} (\`prune-sense reproduce${size === "quick" ? " --quick" : ""}\`). ${passed} of ${claims.length} claims hold.`,
    `Runs: ${configs.map((c) => `[${c.name}](${relative(outDir, join(c.dir, "summary.csv"))}) (${c.records.length})`).join(", ")}; each config is \`configs/paper/NAME.yaml\` or \`configs/methods/NAME.yaml\`, its results in \`NAME/\`.`,
    producedBy(provenance) + (command ? ` Command: \`${command}\`.` : ""),
    "",
    "Contents: [Claims](#claims) · [Figures by claim](#figures-by-claim) · [Other figures](#other-figures). " +
      "Each claim cites the statement of the paper it tests (S1–S8, numbered in paper.md).",
    "",
    "## Claims",
    "",
    "| id | cites | claim | config | measured | status |",
    "|---|---|---|---|---|---|",
    ...claims.map((c) => `| [${c.claim.id}](#${claimAnchor(c.claim.id)}) | ${c.claim.cites.join(", ")} | ${escapeMd(c.claim.statement)} | ${c.claim.config} | ${escapeMd(c.measured)} | ${status(c.holds)} |`),
    "",
    "## Figures by claim",
    "",
  ];
  for (const c of claims) {
    const figures = ofClaim.get(c.claim.id) ?? [];
    lines.push(`<a id="${claimAnchor(c.claim.id)}"></a>`, `### ${c.claim.id} (${c.claim.cites.join(", ")})`, "", escapeMd(c.claim.statement), "");
    if (c.claim.finding) lines.push(`Known finding: ${escapeMd(c.claim.finding)}`, "");
    for (const t of c.claim.thresholds) lines.push(`- ${t.value}: ${t.why}`);
    if (c.claim.thresholds.length) lines.push("");
    if (figures.length === 0) lines.push("No figure: the measured values are columns of summary.csv.", "");
    for (const f of figures) {
      // a figure shown by several claims is drawn under the first, linked from the others
      if (f.shows[0] === c.claim.id) lines.push(...figureMd(f));
      else lines.push(`See [${f.config}/${f.figure.name}](#${figureAnchor(f.config, f.figure.name)}).`, "");
    }
  }
  lines.push("## Other figures", "");
  for (const [config, figures] of unclaimed) {
    if (figures.length === 0) continue;
    lines.push(`### ${config}`, "");
    for (const f of figures) lines.push(...figureMd(f));
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** One figure inline as SVG (the page is one self-contained file; a viewBox-only SVG scales to its box). */
function figureHtml(f: PlacedFigure): string {
  const name = `${f.config}/${f.figure.name}`;
  const svg = readRegularText(f.figure.svg)
    .replace(/^<\?xml[^>]*>\s*/, "")
    .replace(/^<svg([^>]*?) width="[\d.]+" height="[\d.]+"/, (_m, attrs: string) => `<svg${attrs} role="img" aria-label="${escapeHtml(name)}"`);
  return `<figure id="${figureAnchor(f.config, f.figure.name)}">${svg}<figcaption><b>${escapeHtml(name)}</b>: ${escapeHtml(captionOf(f.figure))}${showsHtml(f)}</figcaption></figure>`;
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
  const { ofClaim, unclaimed } = figuresByClaim(configs, claims);
  const rows = claims
    .map((c) => {
      const cls = c.holds ? "pass" : "fail";
      const id = escapeHtml(c.claim.id);
      return `<tr><td><a href="#${claimAnchor(c.claim.id)}">${id}</a></td><td>${c.claim.cites.join(", ")}</td><td>${escapeHtml(c.claim.statement)}</td><td>${escapeHtml(c.claim.config)}</td><td>${escapeHtml(c.measured)}</td><td class="${cls}">${status(c.holds)}</td></tr>`;
    })
    .join("\n");
  const sections = claims
    .map((c) => {
      const figures = ofClaim.get(c.claim.id) ?? [];
      const drawn = figures.filter((f) => f.shows[0] === c.claim.id).map(figureHtml).join("\n");
      const elsewhere = figures.filter((f) => f.shows[0] !== c.claim.id)
        .map((f) => `<a href="#${figureAnchor(f.config, f.figure.name)}">${escapeHtml(`${f.config}/${f.figure.name}`)}</a>`);
      const thresholds = c.claim.thresholds.map((t) => `<li>${escapeHtml(t.value)}: ${escapeHtml(t.why)}</li>`).join("");
      return `<section id="${claimAnchor(c.claim.id)}"><h3>${escapeHtml(c.claim.id)} <small>(${c.claim.cites.join(", ")})</small></h3>
<p>${escapeHtml(c.claim.statement)}</p><p class="meta">Measured: ${escapeHtml(c.measured)}</p>${c.claim.finding ? `<p class="finding">Known finding: ${escapeHtml(c.claim.finding)}</p>` : ""}${thresholds ? `\n<ul class="thresholds">${thresholds}</ul>` : ""}
${figures.length === 0 ? '<p class="meta">No figure: the measured values are columns of summary.csv.</p>' : ""}${elsewhere.length ? `<p class="meta">Also: ${elsewhere.join(", ")}.</p>` : ""}
${drawn ? `<div class="figures">\n${drawn}\n</div>` : ""}</section>`;
    })
    .join("\n");
  const others = configs
    .filter((config) => (unclaimed.get(config.name) ?? []).length > 0)
    .map((config) => {
      const csv = relative(outDir, join(config.dir, "summary.csv"));
      return `<h3 id="other-${escapeHtml(config.name)}">${escapeHtml(config.name)} <small>(${config.records.length} runs, <a href="${escapeHtml(csv)}">summary.csv</a>)</small></h3>\n<div class="figures">\n${unclaimed.get(config.name)!.map(figureHtml).join("\n")}\n</div>`;
    })
    .join("\n");
  const links = configs.map((c) => `<a href="${escapeHtml(relative(outDir, join(c.dir, "summary.csv")))}">${escapeHtml(c.name)}/summary.csv</a>`).join(" · ");
  const toc = `<nav class="toc"><b>Contents</b><ol>
<li><a href="#claims">Claims</a></li>
<li><a href="#figures-by-claim">Figures by claim</a><ol>${claims.map((c) => `<li><a href="#${claimAnchor(c.claim.id)}">${escapeHtml(c.claim.id)}</a></li>`).join("")}</ol></li>
<li><a href="#other-figures">Other figures</a></li>
</ol></nav>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>prune-sense: the paper's claims, reproduced</title>
<style>
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 1400px; margin: 0 auto; padding: 1em; color: #222; }
.meta { color: #555; } .meta code { white-space: normal; overflow-wrap: anywhere; }
.toc ol { margin: 0.3em 0; } .toc li ol { columns: 3 14em; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }
td:nth-child(3), td:nth-child(5) { overflow-wrap: anywhere; } td:nth-child(1), td:nth-child(4), td:last-child { white-space: nowrap; }
td.pass { background: #dff0d8; font-weight: bold; } td.fail { background: #f2dede; font-weight: bold; }
section p, section li { overflow-wrap: anywhere; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 560px), 1fr)); gap: 1.5em; }
figure { margin: 0; min-width: 0; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 0.9em; margin-top: 0.4em; overflow-wrap: anywhere; }
</style></head><body>
<h1>prune-sense: the paper's claims, reproduced</h1>
<p class="provenance meta">${escapeHtml(producedBy(provenance))}${command ? ` Command: <code>${escapeHtml(command)}</code>` : ""}</p>
<p>Size: ${size}. ${claims.filter((c) => c.holds).length} of ${claims.length} claims hold. Each claim cites the statement of the paper it tests (S1–S8, numbered in paper.md). Data: ${links}.</p>
${toc}
<h2 id="claims">Claims</h2>
<div class="table-wrap"><table><tr><th>id</th><th>cites</th><th>claim</th><th>config</th><th>measured</th><th>status</th></tr>
${rows}
</table></div>
<h2 id="figures-by-claim">Figures by claim</h2>
${sections}
<h2 id="other-figures">Other figures</h2>
${others}
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
