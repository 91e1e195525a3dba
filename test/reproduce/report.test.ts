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
const claim = (id: string, config: string, statement: string, measured: string, holds: boolean, figures: string[] = []): ClaimResult =>
  ({ claim: { id, cites: ["S2"], config, statement, figures, thresholds: [{ value: "kept = r", why: "exactly r" }], check: () => ({ measured, holds }) }, measured, holds });

let out: string;
let configs: ConfigResult[];
const claims = [
  claim("a", "alpha", "Columns |kept| = r", "ms: kept = r in 3/3 runs", true, ["norms"]),
  claim("b", "beta", "Error < 1e-6 & rate < 1", "ms: a|b <x>", false),
  claim("c", "alpha", "Also the norms", "m", true, ["norms"]),
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
      "Size: quick (`prune-sense reproduce --quick`). 2 of 3 claims hold.",
      "Runs: [alpha](alpha/summary.csv) (2), [beta](beta/summary.csv) (1); each config is `configs/paper/NAME.yaml` or `configs/methods/NAME.yaml`, its results in `NAME/`.",
    ]);
    expect(lines[4]).toBe(
      "Produced by prune-sense 9.8.7 on Node.js v22.0.0 (typescript kernels, linux-x64) at 2026-11-25T17:00:00.000Z. Command: `prune-sense reproduce --quick`.",
    );
  });

  it("names the full size without --quick, and leaves the command out when none is given", () => {
    const md = reportMarkdown(out, "full", configs, claims, PROVENANCE);
    expect(md).toContain("Size: full (`prune-sense reproduce`). 2 of 3 claims hold.");
    expect(md).toContain("at 2026-11-25T17:00:00.000Z.\n");
    expect(md).not.toContain("Command:");
  });

  it("tables every claim with its id (linked to its section), cited statements, statement, config, measurement and PASS or FAIL, pipes escaped", () => {
    const md = reportMarkdown(out, "quick", configs, claims, PROVENANCE);
    expect(md).toContain(
      "| id | cites | claim | config | measured | status |\n|---|---|---|---|---|---|\n" +
        "| [a](#claim-a) | S2 | Columns \\|kept\\| = r | alpha | ms: kept = r in 3/3 runs | PASS |\n" +
        "| [b](#claim-b) | S2 | Error < 1e-6 & rate < 1 | beta | ms: a\\|b <x> | FAIL |\n",
    );
    expect(md.match(/PASS|FAIL/g)).toHaveLength(3);
  });

  it("has a table of contents, and under each claim its thresholds with their reasons and the figures that show it", () => {
    const md = reportMarkdown(out, "quick", configs, claims, PROVENANCE);
    expect(md).toContain("Contents: [Claims](#claims) · [Figures by claim](#figures-by-claim) · [Other figures](#other-figures).");
    expect(md).toContain(
      '## Figures by claim\n\n<a id="claim-a"></a>\n### a (S2)\n\nColumns \\|kept\\| = r\n\n- kept = r: exactly r\n\n' +
        '<a id="fig-alpha-norms-1-"></a>\n![norms<1>](figures/alpha/norms.svg)\n\nalpha/norms<1>: 3 of 40 columns kept & the rest below ε Shows [a](#claim-a), [c](#claim-c).\n\n',
    );
    // a claim with no figure says so; a figure shown by two claims is drawn once, linked from the second
    expect(md).toContain("### b (S2)\n\nError < 1e-6 & rate < 1\n\n- kept = r: exactly r\n\nNo figure: the measured values are columns of summary.csv.\n");
    expect(md).toContain("### c (S2)\n\nAlso the norms\n\n- kept = r: exactly r\n\nSee [alpha/norms<1>](#fig-alpha-norms-1-).\n");
    expect(md.match(/!\[norms<1>\]/g)).toHaveLength(1);
  });

  it("lists the figures no claim reads under their config, linked relative to the report, with the caption", () => {
    const md = reportMarkdown(out, "quick", configs, claims, PROVENANCE);
    expect(md).toContain('## Other figures\n\n### beta\n\n<a id="fig-beta-empty"></a>\n![empty](figures/alpha/norms.svg)\n\nbeta/empty:\n');
    expect(md).not.toContain("### alpha\n");
    // one newline at the end, no trailing blanks before it
    expect(md.endsWith("beta/empty:\n")).toBe(true);
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
    expect(page).toContain('<p>Size: quick. 2 of 3 claims hold. Each claim cites the statement of the paper it tests (S1–S8, numbered in paper.md). Data: <a href="alpha/summary.csv">alpha/summary.csv</a> · <a href="beta/summary.csv">beta/summary.csv</a>.</p>');
    expect(reportHtml(out, "full", configs, claims, PROVENANCE)).toContain("at 2026-11-25T17:00:00.000Z.</p>");
  });

  it("marks each claim's row PASS or FAIL with its class, its id linked to its section, HTML escaped", () => {
    const page = html();
    expect(page).toContain('<tr><td><a href="#claim-a">a</a></td><td>S2</td><td>Columns |kept| = r</td><td>alpha</td><td>ms: kept = r in 3/3 runs</td><td class="pass">PASS</td></tr>');
    expect(page).toContain('<tr><td><a href="#claim-b">b</a></td><td>S2</td><td>Error &lt; 1e-6 &amp; rate &lt; 1</td><td>beta</td><td>ms: a|b &lt;x&gt;</td><td class="fail">FAIL</td></tr>');
    expect(page.match(/PASS|FAIL/g)).toHaveLength(3);
  });

  it("has a table of contents linking every claim's section", () => {
    const page = html();
    expect(page).toContain('<nav class="toc">');
    for (const id of ["a", "b", "c"]) {
      expect(page).toContain(`<li><a href="#claim-${id}">${id}</a></li>`);
      expect(page).toContain(`<section id="claim-${id}"><h3>${id} <small>(S2)</small></h3>`);
    }
  });

  it("inlines each figure's SVG once, under the first claim it shows, scaled to its box, labelled, with its caption and the claims it shows", () => {
    const page = html();
    expect(page).toContain(
      '<figure id="fig-alpha-norms-1-"><svg class="marks" role="img" aria-label="alpha/norms&lt;1&gt;" viewBox="0 0 640.5 400"><rect/></svg>\n' +
        '<figcaption><b>alpha/norms&lt;1&gt;</b>: 3 of 40 columns kept &amp; the rest below ε <span class="shows">Shows <a href="#claim-a">a</a>, <a href="#claim-c">c</a>.</span></figcaption></figure>',
    );
    expect(page.match(/<figure id="fig-alpha-norms-1-">/g)).toHaveLength(1);
    expect(page.indexOf('<figure id="fig-alpha-norms-1-">')).toBeGreaterThan(page.indexOf('<section id="claim-a">'));
    expect(page.indexOf('<figure id="fig-alpha-norms-1-">')).toBeLessThan(page.indexOf('<section id="claim-b">'));
    expect(page).toContain('<p class="meta">Also: <a href="#fig-alpha-norms-1-">alpha/norms&lt;1&gt;</a>.</p>');
    expect(page).not.toContain("<?xml");
    expect(page).toContain('<h3 id="other-beta">beta <small>(1 runs, <a href="beta/summary.csv">summary.csv</a>)</small></h3>');
    expect(page).toContain("<figcaption><b>beta/empty</b>: </figcaption>");
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
