/**
 * REPORT.md and report.html of a reproduction: a table of claims (statement,
 * config, what was measured, and a status cell reading PASS or FAIL, words used
 * nowhere else), then every figure with one line on what to see.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { writeFileAtomic } from "../output/atomic.js";
import { currentProvenance, type Provenance } from "../package/provenance.js";
import type { ClaimResult, ConfigResult } from "./reproduce.js";

/** One line per figure kind: what a reader should see in it. */
const WHAT_TO_SEE: ReadonlyArray<[prefix: string, text: string]> = [
  ["column-norms", "With the penalty, r columns stay large and the rest collapse far below the ε line; without it, the norms are spread and many sit above ε."],
  ["trace", "Losses fall during training, pruning barely moves them, and fine-tuning drops them on a straight line of the log scale: a linear rate."],
  ["kept-heatmap", "Columns kept over λ × ε: every λ > 0 cell reads r; the λ = 0 row keeps many, fewer as ε grows."],
  ["kept-vs-k", "Columns kept against k: flat at r with the penalty, growing with k without it."],
  ["error-vs-n", "Error against n on log–log axes: the pruned + fine-tuned model follows the σ²dr/n slope and stays below the unpruned model."],
];

function whatToSee(name: string): string {
  return WHAT_TO_SEE.find(([p]) => name.startsWith(p))?.[1] ?? "";
}

const status = (holds: boolean) => (holds ? "PASS" : "FAIL");
const escapeMd = (s: string) => s.replace(/\|/g, "\\|");
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** One sentence naming what produced the report. */
const producedBy = (p: Provenance) =>
  `Produced by prune-sense ${p.prune_sense} on Node.js ${p.node} (${p.kernels} kernels, ${p.platform}) at ${p.time}.`;

export function reportMarkdown(outDir: string, size: string, configs: ConfigResult[], claims: ClaimResult[], provenance: Provenance = currentProvenance()): string {
  const passed = claims.filter((c) => c.holds).length;
  const lines = [
    "# prune-sense: the paper's claims, reproduced",
    "",
    `Size: ${size} (\`prune-sense reproduce${size === "quick" ? " --quick" : ""}\`). ${passed} of ${claims.length} claims hold.`,
    `Runs: ${configs.map((c) => `${c.name} (${c.records.length})`).join(", ")}; each config is \`configs/paper/NAME.yaml\`, its results in \`NAME/\`.`,
    producedBy(provenance),
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
      lines.push(`![${f.name}](${relative(outDir, f.svg)})`, "", `${f.name}: ${whatToSee(f.name)}`, "");
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

export function reportHtml(outDir: string, size: string, configs: ConfigResult[], claims: ClaimResult[], provenance: Provenance = currentProvenance()): string {
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
          // inline SVG: the page is one self-contained file
          const svg = readFileSync(f.svg, "utf8").replace(/^<\?xml[^>]*>\s*/, "");
          return `<figure>${svg}<figcaption><b>${f.name}</b>: ${escapeHtml(whatToSee(f.name))}</figcaption></figure>`;
        })
        .join("\n");
      return `<h3>${config.name}</h3>\n${items}`;
    })
    .join("\n");
  void outDir;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>prune-sense: the paper's claims, reproduced</title>
<style>
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }
td.pass { background: #dff0d8; font-weight: bold; } td.fail { background: #f2dede; font-weight: bold; }
figure { display: inline-block; margin: 1em; max-width: 520px; vertical-align: top; } figcaption { font-size: 0.9em; }
</style></head><body>
<h1>prune-sense: the paper's claims, reproduced</h1>
<p>Size: ${size}. ${claims.filter((c) => c.holds).length} of ${claims.length} claims hold.</p>
<p class="provenance">${escapeHtml(producedBy(provenance))}</p>
<table><tr><th>#</th><th>claim</th><th>config</th><th>measured</th><th>status</th></tr>
${rows}
</table>
<h2>Figures</h2>
${figures}
</body></html>
`;
}

/** Write REPORT.md and report.html into outDir; returns their paths. */
export function writeReports(outDir: string, size: string, configs: ConfigResult[], claims: ClaimResult[], provenance: Provenance = currentProvenance()): { report: string; html: string } {
  const report = join(outDir, "REPORT.md");
  const html = join(outDir, "report.html");
  writeFileAtomic(report, reportMarkdown(outDir, size, configs, claims, provenance));
  writeFileAtomic(html, reportHtml(outDir, size, configs, claims, provenance));
  return { report, html };
}
