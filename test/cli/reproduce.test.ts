/**
 * `prune-sense reproduce` in this thread, on a folder of one tiny claim config (--configs):
 * its one training group runs in-process, so the command's own code is reached. No claim
 * of the paper has its config here, so every claim fails: exit 1, as when a claim breaks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLAIMS, EVERY_CONFIG } from "../../src/reproduce/claims.js";
import { runCommand, runMain, tempDir, tinyConfig } from "./harness.js";

let work: string;
let configs: string;

beforeAll(() => {
  work = tempDir();
  configs = join(work, "claims");
  mkdirSync(configs);
  tinyConfig(configs, "tiny");
});

// each reproduction runs inside its test: code run in a hook counts for no test under Stryker
describe("reproduce", () => {
  it("runs each config into OUT/NAME, prints one PASS/FAIL line per claim and the report, writes the reference; a failing claim exits 1", async () => {
    const first = await runCommand("reproduce", "--configs", configs, "--out", join(work, "paper"), "--jobs", "1", "--update-reference", join(work, "ref"));
    // the configs, as they run, with their progress
    expect(first.info[0]).toBe(`tiny: 2 runs → ${join(work, "paper", "tiny")}`);
    expect(existsSync(join(work, "paper", "tiny", "summary.csv"))).toBe(true);
    expect(first.stderr).toMatch(/\[2\/2\] \d+\.\ds · last: r[0-9a-f]{10} ok\n/);
    // the claims, then where the report is
    const named = CLAIMS.filter((c) => c.config !== EVERY_CONFIG);
    expect(first.out.filter((l) => !l.includes("exact-r-all")).slice(0, named.length)).toEqual(named.map((c) => `FAIL  ${`${c.id} (${c.cites.join(", ")})`.padEnd(30)} no claim config named ${c.config}.yaml${c.finding ? " [known finding, docs/claims.md]" : ""}`));
    // the claim over every config reads the tiny config's runs
    expect(first.out.find((l) => l.includes("exact-r-all"))).toMatch(/^(PASS|FAIL) {2}exact-r-all \(S2, S5, S8\) +inside the condition: kept = r in \d\/\d runs/);
    expect(first.out[CLAIMS.length]).toBe(`report: ${join(work, "paper", "REPORT.md")} (and ${join(work, "paper", "report.html")})`);
    // the report names the command line that made it
    expect(readFileSync(join(work, "paper", "REPORT.md"), "utf8")).toContain(` Command: \`${["prune-sense", ...process.argv.slice(2)].join(" ")}\`.`);
    expect(first.code).toBe(1);
    // --update-reference: the files written, each named
    const wrote = first.info.filter((l) => l.startsWith("wrote "));
    expect(wrote.length).toBeGreaterThan(0);
    for (const line of wrote) expect(existsSync(line.slice("wrote ".length))).toBe(true);
    expect(wrote).toContain(`wrote ${join(work, "ref", "reference.json")}`);
  });

  it("--json prints every claim with the same id, its cited statements, status, measurement, thresholds and figures", async () => {
    const r = await runCommand("reproduce", "--configs", configs, "--out", join(work, "paper-json"), "--jobs", "1", "--json");
    const json = JSON.parse(r.out.join("\n")) as { size: string; passed: number; claims: Array<Record<string, unknown>>; report: string };
    expect(json.size).toBe("full");
    expect(json.report).toBe(join(work, "paper-json", "REPORT.md"));
    expect(json.claims.map((c) => c.id)).toEqual(CLAIMS.map((c) => c.id));
    expect(json.claims.filter((c) => c.config !== EVERY_CONFIG).map((c) => [c.id, c.cites, c.config, c.status, c.measured, c.figures])).toEqual(
      CLAIMS.filter((c) => c.config !== EVERY_CONFIG).map((c) => [c.id, c.cites, c.config, "FAIL", `no claim config named ${c.config}.yaml`, []]));
    for (const c of json.claims) expect((c.thresholds as unknown[]).length, String(c.id)).toBeGreaterThan(0);
    expect(r.code).toBe(1);
  });

  it("--compare prints each drift from the reference on its own line, then the count", async () => {
    const ref = join(work, "ref-compare");
    await runCommand("reproduce", "--configs", configs, "--out", join(work, "paper-compare"), "--update-reference", ref);
    // the claims measured differently: the reference is edited
    const file = join(ref, "reference.json");
    const text = readFileSync(file, "utf8");
    const edited = text.replace(/no claim config named pruning\.yaml/, "kept 3 of 40 columns");
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    const drift = await runCommand("reproduce", "--configs", configs, "--out", join(work, "paper-compare"), "--compare", ref);
    expect(drift.out.filter((l) => l.startsWith("DRIFT "))).toHaveLength(1);
    expect(drift.out[drift.out.length - 1]).toMatch(new RegExp(`^compare: \\d+ claims and \\d+ figures against ${ref}, 1 drifted beyond `));
    expect(drift.warn).toEqual([]);
    expect(drift.code).toBe(1);
  });

  it("refuses a missing reference before running anything, exit 2", async () => {
    const r = await runMain(["reproduce", "--configs", configs, "--out", join(work, "never"), "--compare", join(work, "no-such-ref")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("no-such-ref");
    expect(existsSync(join(work, "never"))).toBe(false);
  });
});
