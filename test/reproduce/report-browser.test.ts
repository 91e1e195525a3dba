/**
 * report.html in a real browser (Debian's chromium, headless) at 800 and 1280
 * px: no horizontal overflow, every figure visible and scaled to its box, two
 * columns of figures on the wide page. The page measures itself: the test adds
 * a script that writes the measurements into the DOM, and --dump-dom reads them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { plotResults } from "../../src/figures/index.js";
import { writeReports } from "../../src/reproduce/report.js";
import type { ClaimResult, ConfigResult } from "../../src/reproduce/reproduce.js";
import type { RunRecord } from "../../src/output/results.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/figures");

/** The chromium binary, or null when it is not installed (.ci/run installs it). */
function findChromium(): string | null {
  for (const bin of ["chromium", "chromium-browser"]) {
    if (spawnSync(bin, ["--version"], { timeout: 30_000 }).status === 0) return bin;
  }
  return null;
}
const CHROMIUM = findChromium();

/** Measurements the page takes of itself once loaded. */
const PROBE = `<script>
window.addEventListener("load", () => {
  const figures = [...document.querySelectorAll("figure")].map((f) => {
    const r = f.querySelector("svg").getBoundingClientRect();
    const c = f.querySelector("figcaption");
    return { id: f.id, left: r.left, right: r.right, top: Math.round(r.top), width: r.width, height: r.height, caption: c ? c.textContent : "" };
  });
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth, figures });
  document.body.appendChild(pre);
});
</script>`;

interface Probe {
  inner: number;
  scroll: number;
  figures: Array<{ id: string; left: number; right: number; top: number; width: number; height: number; caption: string }>;
}

const chromiumArgs = (width: number) => [
  "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", `--window-size=${width},1200`, "--virtual-time-budget=5000",
];

describe.skipIf(!CHROMIUM)(`report.html in headless chromium (${CHROMIUM ? "found" : "SKIPPED: chromium not installed"})`, () => {
  let dir: string;
  let page: string;
  // chromium runs asynchronously: a blocking spawn would stall the test worker for seconds
  const probe = async (width: number): Promise<Probe> => {
    const r = await promisify(execFile)(CHROMIUM!, [...chromiumArgs(width), "--dump-dom", `file://${page}`], { encoding: "utf8", timeout: 90_000, maxBuffer: 64 << 20 });
    const m = /<pre id="probe">([^<]*)<\/pre>/.exec(r.stdout);
    if (!m) throw new Error(`no measurements from chromium: ${r.stderr.slice(0, 500)}`);
    return JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">")) as Probe;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "prune-sense-report-"));
    const configs: ConfigResult[] = [];
    for (const name of ["single", "sweep"]) {
      cpSync(join(FIXTURES, name), join(dir, name), { recursive: true });
      const figures = await plotResults(join(dir, name), { outDir: join(dir, "figures", name), png: false });
      configs.push({ name, dir: join(dir, name), records: [] as RunRecord[], figures });
    }
    const claims: ClaimResult[] = [
      { claim: { id: "c", cites: ["S2"], config: "sweep", figures: [], thresholds: [], statement: "A claim with a long statement ".repeat(6), check: () => ({ measured: "", holds: true }) }, measured: "x ".repeat(80), holds: true },
    ];
    const { html } = writeReports(dir, "quick", configs, claims, { version: "0.1.0", date: "2026-11-25T17:00:00Z", command: "prune-sense reproduce --quick --out /a/very/long/path/".repeat(3) });
    page = join(dir, "probe.html");
    writeFileSync(page, readFileSync(html, "utf8").replace("</body>", `${PROBE}</body>`));
    if (process.env.PRUNE_SENSE_SCREENSHOTS) {
      for (const w of [800, 1280]) {
        await promisify(execFile)(CHROMIUM!, [...chromiumArgs(w).map((a) => (a.startsWith("--window-size") ? `--window-size=${w},2400` : a)), `--screenshot=${join(process.env.PRUNE_SENSE_SCREENSHOTS, `report-${w}.png`)}`, `file://${html}`], { timeout: 90_000 }).catch(() => undefined);
      }
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([800, 1280])("has no horizontal overflow and shows every figure inside the page at %i px", async (width) => {
    const p = await probe(width);
    expect(p.inner).toBe(width);
    expect(p.scroll).toBeLessThanOrEqual(width);
    expect(p.figures.length).toBeGreaterThanOrEqual(6);
    for (const f of p.figures) {
      expect(f.width, f.id).toBeGreaterThan(200);
      expect(f.height, f.id).toBeGreaterThan(100);
      expect(f.left, f.id).toBeGreaterThanOrEqual(0);
      expect(f.right, f.id).toBeLessThanOrEqual(width);
      expect(f.caption.length, f.id).toBeGreaterThan(f.id.length + 10);
    }
  });

  it("lays figures out in two columns at 1280 px and one at 800 px", async () => {
    const columns = (p: Probe) => {
      const perRow = new Map<number, number>();
      for (const f of p.figures) perRow.set(f.top, (perRow.get(f.top) ?? 0) + 1);
      return Math.max(...perRow.values());
    };
    expect(columns(await probe(1280))).toBe(2);
    expect(columns(await probe(800))).toBe(1);
  });
});
