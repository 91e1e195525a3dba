/**
 * `prune-sense reproduce` in this thread, on a folder of one tiny claim config (--configs):
 * its one training group runs in-process, so the command's own code is reached. No claim
 * of the paper has its config here, so every claim fails: exit 1, as when a claim breaks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLAIMS } from "../../src/reproduce/claims.js";
import { type Recorded, runCommand, runMain, tempDir, tinyConfig } from "./harness.js";

let work: string;
let configs: string;
let first: Recorded;

beforeAll(async () => {
  work = tempDir();
  configs = join(work, "claims");
  mkdirSync(configs);
  tinyConfig(configs, "tiny");
  first = await runCommand("reproduce", "--configs", configs, "--out", join(work, "paper"), "--jobs", "1", "--update-reference", join(work, "ref"));
});

describe("reproduce", () => {
  it("runs each config into OUT/NAME, says so, and shows its progress", () => {
    expect(first.info[0]).toBe(`tiny: 2 runs → ${join(work, "paper", "tiny")}`);
    expect(existsSync(join(work, "paper", "tiny", "summary.csv"))).toBe(true);
    expect(first.stderr).toMatch(/\[2\/2\] \d+\.\ds · last: r[0-9a-f]{10} ok\n/);
  });

  it("prints one PASS/FAIL line per claim, then where the report is; a failing claim exits 1", () => {
    expect(first.out.slice(0, CLAIMS.length)).toEqual(CLAIMS.map((c) => `FAIL  ${c.id.padEnd(18)} no claim config named ${c.config}.yaml`));
    expect(first.out[CLAIMS.length]).toBe(`report: ${join(work, "paper", "REPORT.md")} (and ${join(work, "paper", "report.html")})`);
    expect(existsSync(join(work, "paper", "REPORT.md"))).toBe(true);
    expect(first.code).toBe(1);
  });

  it("--update-reference writes the reference and names the files", () => {
    const wrote = first.info.filter((l) => l.startsWith("wrote "));
    expect(wrote.length).toBeGreaterThan(0);
    for (const line of wrote) expect(existsSync(line.slice("wrote ".length))).toBe(true);
    expect(wrote).toContain(`wrote ${join(work, "ref", "reference.json")}`);
  });

  it("--compare reports agreement with the reference, and each drift on its own line", async () => {
    const ref = join(work, "ref");
    const same = await runCommand("reproduce", "--configs", configs, "--out", join(work, "paper"), "--compare", ref);
    const last = same.out[same.out.length - 1];
    expect(last).toMatch(new RegExp(`^compare: \\d+ claims and \\d+ figures against ${ref}, all within `));
    expect(same.warn).toEqual([]);
    // the claims measured differently: the reference is edited
    const file = join(ref, "reference.json");
    const text = readFileSync(file, "utf8");
    const edited = text.replace(/no claim config named pruning\.yaml/, "kept 3 of 40 columns");
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    const drift = await runCommand("reproduce", "--configs", configs, "--out", join(work, "paper"), "--compare", ref);
    expect(drift.out.filter((l) => l.startsWith("DRIFT "))).toHaveLength(1);
    expect(drift.out[drift.out.length - 1]).toMatch(/^compare: .*, 1 drifted beyond /);
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
