/**
 * REPORT.md and report.html of a reproduction, from fixed claims, configs and
 * figures: the claims table with PASS/FAIL, escaping, the count that hold, the
 * provenance line and command, the links to each summary.csv, and each figure
 * inline (HTML) or linked (Markdown) with its caption.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reportHtml, reportMarkdown, writeReports } from "../../src/reproduce/report.js";
import type { ClaimResult, ConfigResult } from "../../src/reproduce/reproduce.js";
import type { Provenance } from "../../src/package/provenance.js";
import type { RunRecord } from "../../src/output/results.js";

const PROVENANCE: Provenance = { prune_sense: "9.8.7", node: "v22.0.0", kernels: "typescript", platform: "linux-x64", time: "2026-11-25T17:00:00.000Z" };
const claim = (id: string, config: string, statement: string, measured: string, holds: boolean): ClaimResult =>
  ({ claim: { id, config, statement, check: () => ({ measured, holds }) }, measured, holds });

let out: string;
let configs: ConfigResult[];
const claims = [
  claim("a", "alpha", "Columns |kept| = r", "ms: kept = r in 3/3 runs", true),
  claim("b", "beta", "Error < 1e-6 & rate < 1", "ms: a|b <x>", false),
];

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "prune-sense-report-"));
  mkdirSync(join(out, "figures", "alpha"), { recursive: true });
  const svg = join(out, "figures", "alpha", "norms.svg");
  writeFileSync(svg, '<?xml version="1.0" encoding="UTF-8"?>\n<svg class="marks" width="640.5" height="400" viewBox="0 0 640.5 400"><rect/></svg>\n');
  configs = [
    {
      name: "alpha", dir: join(out, "alpha"), records: [{} as RunRecord, {} as RunRecord],
      figures: [{ name: "norms<1>", svg, png: "", spec: "", caption: "3 of 40 columns kept & the rest below ε" }],
    },
    { name: "beta", dir: join(out, "beta"), records: [{} as RunRecord], figures: [{ name: "empty", svg, png: "", spec: "" }] },
  ];
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("REPORT.md", () => {
  it("has the size, the count of claims that hold, the runs per config, the provenance and the command", () => {
    const md = reportMarkdown(out, "quick", configs, claims, PROVENANCE, "prune-sense reproduce --quick");
    const lines = md.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "# prune-sense: the paper's claims, reproduced",
      "",
      "Size: quick (`prune-sense reproduce --quick`). 1 of 2 claims hold.",
      "Runs: [alpha](alpha/summary.csv) (2), [beta](beta/summary.csv) (1); each config is `configs/paper/NAME.yaml` or `configs/methods/NAME.yaml`, its results in `NAME/`.",
    ]);
    expect(lines[4]).toBe(
      "Produced by prune-sense 9.8.7 on Node.js v22.0.0 (typescript kernels, linux-x64) at 2026-11-25T17:00:00.000Z. Command: `prune-sense reproduce --quick`.",
    );
  });

  it("names the full size without --quick, and leaves the command out when none is given", () => {
    const md = reportMarkdown(out, "full", configs, claims, PROVENANCE);
    expect(md).toContain("Size: full (`prune-sense reproduce`). 1 of 2 claims hold.");
    expect(md).toContain("at 2026-11-25T17:00:00.000Z.\n");
    expect(md).not.toContain("Command:");
  });

  it("tables every claim with its number, statement, config, measurement and PASS or FAIL, pipes escaped", () => {
    const md = reportMarkdown(out, "quick", configs, claims, PROVENANCE);
    expect(md).toContain(
      "| # | claim | config | measured | status |\n|---|---|---|---|---|\n" +
        "| 1 | Columns \\|kept\\| = r | alpha | ms: kept = r in 3/3 runs | PASS |\n" +
        "| 2 | Error < 1e-6 & rate < 1 | beta | ms: a\\|b <x> | FAIL |\n",
    );
  });

  it("lists each config's figures under its name, linked relative to the report, with the caption", () => {
    const md = reportMarkdown(out, "quick", configs, claims, PROVENANCE);
    expect(md).toContain(
      "## Figures\n\n### alpha\n\n![norms<1>](figures/alpha/norms.svg)\n\nnorms<1>: 3 of 40 columns kept & the rest below ε\n\n" +
        "### beta\n\n![empty](figures/alpha/norms.svg)\n\nempty:\n",
    );
    // one newline at the end, no trailing blanks before it
    expect(md.endsWith("empty:\n")).toBe(true);
  });
});

describe("report.html", () => {
  const html = () => reportHtml(out, "quick", configs, claims, PROVENANCE, "prune-sense reproduce --quick --out a&b");

  it("has the provenance, the command (escaped), the count that hold and a link to each summary.csv", () => {
    const page = html();
    expect(page).toContain(
      '<p class="provenance meta">Produced by prune-sense 9.8.7 on Node.js v22.0.0 (typescript kernels, linux-x64) at 2026-11-25T17:00:00.000Z. ' +
        "Command: <code>prune-sense reproduce --quick --out a&amp;b</code></p>",
    );
    expect(page).toContain('<p>Size: quick. 1 of 2 claims hold. Data: <a href="alpha/summary.csv">alpha/summary.csv</a> · <a href="beta/summary.csv">beta/summary.csv</a>.</p>');
    expect(reportHtml(out, "full", configs, claims, PROVENANCE)).toContain("at 2026-11-25T17:00:00.000Z.</p>");
  });

  it("marks each claim's row PASS or FAIL with its class, HTML escaped", () => {
    const page = html();
    expect(page).toContain('<tr><td>1</td><td>Columns |kept| = r</td><td>alpha</td><td>ms: kept = r in 3/3 runs</td><td class="pass">PASS</td></tr>');
    expect(page).toContain('<tr><td>2</td><td>Error &lt; 1e-6 &amp; rate &lt; 1</td><td>beta</td><td>ms: a|b &lt;x&gt;</td><td class="fail">FAIL</td></tr>');
  });

  it("inlines each figure's SVG scaled to its box (no XML prolog, no fixed size), labelled, with its caption", () => {
    const page = html();
    expect(page).toContain(
      '<figure id="norms&lt;1&gt;"><svg class="marks" role="img" aria-label="norms&lt;1&gt;" viewBox="0 0 640.5 400"><rect/></svg>\n' +
        "<figcaption><b>norms&lt;1&gt;</b>: 3 of 40 columns kept &amp; the rest below ε</figcaption></figure>",
    );
    expect(page).not.toContain("<?xml");
    expect(page).toContain('<h3>alpha <small>(2 runs, <a href="alpha/summary.csv">summary.csv</a>)</small></h3>\n<div class="figures">\n<figure id="norms&lt;1&gt;">');
    expect(page).toContain('<h3>beta <small>(1 runs, <a href="beta/summary.csv">summary.csv</a>)</small></h3>');
    expect(page).toContain("<figcaption><b>empty</b>: </figcaption>");
  });

  it("is one page that ends with the figures", () => {
    const page = html();
    expect(page.startsWith("<!doctype html>\n")).toBe(true);
    expect(page.endsWith("</div>\n</body></html>\n")).toBe(true);
  });
});

describe("writeReports", () => {
  it("writes both files into the folder and returns their paths", () => {
    const paths = writeReports(out, "quick", configs, claims, PROVENANCE, "cmd");
    expect(paths).toEqual({ report: join(out, "REPORT.md"), html: join(out, "report.html") });
    expect(readFileSync(paths.report, "utf8")).toBe(reportMarkdown(out, "quick", configs, claims, PROVENANCE, "cmd"));
    expect(readFileSync(paths.html, "utf8")).toBe(reportHtml(out, "quick", configs, claims, PROVENANCE, "cmd"));
  });
});
