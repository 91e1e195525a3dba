/**
 * `reproduce` in-process (the end-to-end test runs the bundled configs through the
 * binary): it plans every claim config before running any, runs each into its own
 * folder, draws its figures, checks every claim against its config's runs, and
 * writes REPORT.md and report.html. Tiny claim configs keep it to seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, UserError } from "../../src/errors.js";
import { CLAIMS, EVERY_CONFIG } from "../../src/reproduce/claims.js";
import { exactRScope } from "../../src/reproduce/conditions.js";
import { QUICK_OVERRIDES, reproduce, type Reproduction } from "../../src/reproduce/reproduce.js";
import { defects } from "../figures/legibility.js";

/** A claim config of a few short population runs (no samples: each run takes milliseconds). */
const tiny = (name: string, sweep: string) =>
  `name: ${name}\nproblem: { kind: population, d: 4, r: 1 }\nmodel: { k: 6 }\ntrain: { steps: 200 }\nfinetune: { steps: 100 }\nlog: { every: 50 }\nsweep:\n${sweep}`;

function configsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "prune-sense-claim-configs-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("reproduce, on two tiny claim configs", () => {
  let configs: string;
  let out: string;
  let result: Reproduction;
  const lines: string[] = [];
  const progress: Array<[string, number]> = [];
  let stopped = 0;

  beforeAll(async () => {
    configs = configsDir({
      // two names the claims read, one spelled .yml; a file that is not YAML is ignored
      "gap.yaml": tiny("tiny-gap", "  train.lambda: [0, 0.1]\n"),
      "pruning.yml": tiny("tiny-pruning", "  train.lambda: [0, 0.1]\n"),
      // a config with claim figures (error vs σ) and two penalties (the method-comparison figure)
      "noise.yaml": tiny("tiny-noise", "  train.penalty.kind: [smooth-group-lasso, group-lasso]\n").replace("r: 1 }", "r: 1, noise: 0.01 }"),
      "notes.txt": "not a config",
    });
    out = join(mkdtempSync(join(tmpdir(), "prune-sense-reproduce-")), "out");
    result = await reproduce({
      configsDir: configs, outDir: out, quick: false, jobs: 1, inProcess: true,
      onLine: (l) => lines.push(l),
      progress: (name, runs) => {
        progress.push([name, runs]);
        return { stop: () => void stopped++ };
      },
    });
  }, 120_000);
  afterAll(() => {
    rmSync(configs, { recursive: true, force: true });
    rmSync(join(out, ".."), { recursive: true, force: true });
  });

  it("runs each YAML config of the folder, in name order, into its own folder under --out", () => {
    expect(result.size).toBe("full");
    expect(result.configs.map((c) => [c.name, c.dir, c.records.length])).toEqual([
      ["gap", join(out, "gap"), 2],
      ["noise", join(out, "noise"), 2],
      ["pruning", join(out, "pruning"), 2],
    ]);
    for (const c of result.configs) {
      expect(c.records.every((r) => r.status === "ok")).toBe(true);
      expect(existsSync(join(c.dir, "summary.csv"))).toBe(true);
    }
    expect(lines.filter((l) => l.includes("runs →"))).toEqual([
      `gap: 2 runs → ${join(out, "gap")}`, `noise: 2 runs → ${join(out, "noise")}`, `pruning: 2 runs → ${join(out, "pruning")}`,
    ]);
    expect(progress).toEqual([["gap", 2], ["noise", 2], ["pruning", 2]]);
    expect(stopped).toBe(3);
  });

  it("adds the claim figures and the method-comparison figure of a config that has them", () => {
    const names = result.configs.find((c) => c.name === "noise")!.figures.map((f) => f.name);
    expect(names).toContain("error-vs-noise");
    expect(names).toContain("column-norms-by-penalty-population");
    for (const c of result.configs.filter((x) => x.name !== "noise")) {
      expect(c.figures.map((f) => f.name)).not.toContain("error-vs-noise");
    }
  });

  it("draws each config's figures into figures/NAME", () => {
    for (const c of result.configs) {
      expect(c.figures.length).toBeGreaterThan(0);
      for (const f of c.figures) {
        expect(f.svg.startsWith(join(out, "figures", c.name))).toBe(true);
        expect(existsSync(f.svg)).toBe(true);
      }
    }
  });

  it("draws figures that read: no text over text or data, no raw float, every log decade labelled", () => {
    for (const c of result.configs) {
      for (const f of c.figures) expect({ figure: f.name, ...defects(readFileSync(f.svg, "utf8")) }).toEqual({ figure: f.name, text: [], data: [], floats: [], decades: [] });
    }
  });

  it("checks every claim, in order, against the runs of its own config; a claim without its config fails and says why", () => {
    expect(result.claims.map((c) => c.claim.id)).toEqual(CLAIMS.map((c) => c.id));
    const normsUsers = new Set(["spread", "top-r-baseline", "exact-zeros"]);
    for (const c of result.claims) {
      if (c.claim.config === EVERY_CONFIG) continue;
      const config = result.configs.find((x) => x.name === c.claim.config);
      if (!config) {
        expect([c.measured, c.holds]).toEqual([`no claim config named ${c.claim.config}.yaml`, false]);
        continue;
      }
      // claims that need no column norms: the same outcome as the claim's own check of that config's records
      if (!normsUsers.has(c.claim.id)) expect({ measured: c.measured, holds: c.holds }).toEqual(c.claim.check({ records: config.records, trainedNorms: () => [] }));
    }
    expect(result.claims.find((c) => c.claim.id === "gap-rule")!.measured).toMatch(/^population: λ > 0 keeps r in \d\/1 runs; λ = 0 keeps \d–\d \(r = 1\)$/);
    expect(result.claims.find((c) => c.claim.id === "exact-r")!.measured).toMatch(/^population: kept = r in \d\/1 runs$/);
  });

  it("checks a claim over every config against the runs of all of them, each named CONFIG/ID", () => {
    const all = result.claims.find((c) => c.claim.id === "exact-r-all")!;
    const inside = result.configs.flatMap((c) => c.records.filter((r) => { const s = exactRScope(r); return s.inScope && s.inside; }));
    expect(inside.length).toBeGreaterThan(1);
    expect(all.measured).toMatch(new RegExp(`^inside the condition: kept = r in \\d+/${inside.length} runs`));
    // the exact group Lasso from α = 1e-3 starts in its dead zone: outside, listed by config and id
    expect(all.measured).toMatch(/outside \(1\): noise\/r[0-9a-f]{10} \(population, .*kept 0\) \[U₀ in the prox's dead zone/);
    const configOf = new Map(result.configs.flatMap((c) => c.records.map((r) => [r, c.name] as const)));
    expect({ measured: all.measured, holds: all.holds }).toEqual(
      all.claim.check({ records: result.configs.flatMap((c) => c.records), trainedNorms: () => [], configOf: (r) => configOf.get(r) ?? "?" }));
  });

  it("gives the claims the trained column norms of each run (k of them), read from its folder", () => {
    // spread counts the λ = 0 run's trained norms within a factor 4 of the largest: at least the largest, at most k = 6
    const m = /^population: (\d)–(\d) comparable columns, \d–\d kept \(r = 1\)$/.exec(result.claims.find((c) => c.claim.id === "spread")!.measured);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(1);
    expect(Number(m![2])).toBeLessThanOrEqual(6);
  });

  it("writes REPORT.md and report.html with the claims table, the count that hold and the command", () => {
    expect(result.report).toBe(join(out, "REPORT.md"));
    expect(result.html).toBe(join(out, "report.html"));
    const md = readFileSync(result.report, "utf8");
    const held = result.claims.filter((c) => c.holds).length;
    expect(md).toContain(`Size: full (\`prune-sense reproduce\`). ${held} of ${CLAIMS.length} claims hold.`);
    expect(md).toContain(`Command: \`prune-sense reproduce --out ${out}\`.`);
    expect(md).toContain("| [exact-r](#claim-exact-r) | S2, S7 | With the group-Lasso penalty, greedy pruning keeps exactly r columns. | pruning |");
    expect(md).toContain("[gap](gap/summary.csv) (2), [noise](noise/summary.csv) (2), [pruning](pruning/summary.csv) (2)");
    const html = readFileSync(result.html, "utf8");
    expect(html).toContain(`<p>Size: full. ${held} of ${CLAIMS.length} claims hold.`);
  });

  it("runs nothing again when repeated into the same folder (resumable), and gives the same claims", async () => {
    const again: string[] = [];
    const second = await reproduce({ configsDir: configs, outDir: out, quick: false, jobs: 1, inProcess: true, onLine: (l) => again.push(l), command: "again" });
    expect(second.claims.map((c) => [c.claim.id, c.measured, c.holds])).toEqual(result.claims.map((c) => [c.claim.id, c.measured, c.holds]));
    expect(readFileSync(second.report, "utf8")).toContain("Command: `again`.");
  }, 120_000);
});

describe("reproduce --quick", () => {
  it("applies the quick overrides of a known config name (fewer seeds) and none to others", async () => {
    expect(QUICK_OVERRIDES.gap).toEqual(["seed=1,2"]);
    const configs = configsDir({ "gap.yaml": tiny("tiny-gap", "  train.lambda: [0, 0.1]\n"), "other.yaml": tiny("tiny-other", "  seed: [5]\n") });
    const out = mkdtempSync(join(tmpdir(), "prune-sense-reproduce-quick-"));
    try {
      const r = await reproduce({ configsDir: configs, outDir: out, quick: true, jobs: 1, inProcess: true });
      expect(r.size).toBe("quick");
      // gap: 2 λ × seed=1,2; other: its own single run
      expect(r.configs.map((c) => [c.name, c.records.length])).toEqual([["gap", 4], ["other", 1]]);
      expect(r.configs[0].records.map((x) => x.config.seed)).toEqual([1, 2, 1, 2]);
      expect(readFileSync(r.report, "utf8")).toContain(`Command: \`prune-sense reproduce --quick --out ${out}\`.`);
    } finally {
      rmSync(configs, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("reproduce refuses before running anything", () => {
  it("names a missing folder of claim configs (exit 2)", async () => {
    const missing = join(tmpdir(), "prune-sense-no-such-configs");
    const err = await reproduce({ configsDir: missing, outDir: join(tmpdir(), "unused"), quick: false, jobs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`${missing}: no such folder of claim configs`);
  });

  it("plans every config first: a bad one fails before the good one runs", async () => {
    const configs = configsDir({ "a.yaml": tiny("good", "  seed: [1]\n"), "b.yaml": "seed: -1\n" });
    const out = join(mkdtempSync(join(tmpdir(), "prune-sense-reproduce-bad-")), "out");
    try {
      const err = await reproduce({ configsDir: configs, outDir: out, quick: false, jobs: 1, inProcess: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).lines).toEqual(["seed: must be ≥ 0, got -1"]);
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(configs, { recursive: true, force: true });
      rmSync(join(out, ".."), { recursive: true, force: true });
    }
  });
});
