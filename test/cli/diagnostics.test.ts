/**
 * `run` prints a run's diagnostics after its table, and result.json keeps them:
 * the exact group Lasso from U₀ inside its dead zone keeps 0 columns (today's
 * silent `status ok, kept 0, error 1.0`), a small λ stopped early leaves columns near ε.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MAX_DIAGNOSTIC_LINES, diagnosticLines } from "../../src/cli/commands/run.js";
import { runCommand, tempDir } from "./harness.js";

const config = (train: string, init = 0.001) => `name: diag
problem: { kind: matrix-sensing, d: 6, r: 2, n: 300, n_test: 50 }
model: { k: 8, init_scale: ${init} }
train: { ${train} }
finetune: { steps: 20 }
log: { every: 50 }
`;

async function runOne(text: string) {
  const dir = tempDir("diag-");
  writeFileSync(join(dir, "c.yaml"), text);
  const r = await runCommand("run", join(dir, "c.yaml"), "--out", join(dir, "out"), "--jobs", "1");
  const [id] = readdirSync(join(dir, "out", "runs"));
  const record = JSON.parse(readFileSync(join(dir, "out", "runs", id, "result.json"), "utf8")) as { diagnostics?: string[]; metrics: { kept_columns: number } };
  return { r, id, record };
}

describe("run diagnostics", () => {
  it("names a run whose pruning kept 0 columns (exact group Lasso from inside its dead zone)", async () => {
    const { r, id, record } = await runOne(config("lambda: 0.1, steps: 200, penalty: { kind: group-lasso }"));
    expect(record.metrics.kept_columns).toBe(0);
    expect(record.diagnostics).toEqual([expect.stringMatching(/^pruning kept 0 columns/)]);
    expect(r.warn).toContain(`${id}: ${record.diagnostics![0]}`);
    expect(r.code).toBe(0);
  });

  it("names a run stopped before its small columns fell under ε, and is silent for a separated one", async () => {
    const early = await runOne(config("lambda: 0.01, steps: 300"));
    expect(early.record.diagnostics).toEqual([expect.stringMatching(/^not separated: \d+ of the 6 columns beyond the r = 2 largest end training between ε\/10 and 10·ε \(ε = 0\.1\): train longer or raise λ$/)]);
    expect(early.r.warn.filter((l) => l.includes("not separated"))).toHaveLength(1);
    const done = await runOne(config("lambda: 0.1, steps: 3000"));
    expect(done.record.diagnostics).toBeUndefined();
    expect(done.r.warn.filter((l) => l.includes("not separated") || l.includes("kept 0"))).toEqual([]);
  });

  it("prints at most a few lines for a sweep and counts the rest", () => {
    const records = Array.from({ length: 9 }, (_, i) => ({ run_id: `r${i}`, diagnostics: ["not separated: …"] }));
    const lines = diagnosticLines(records);
    expect(lines).toHaveLength(MAX_DIAGNOSTIC_LINES);
    expect(lines[0]).toBe("r0: not separated: …");
    expect(lines[MAX_DIAGNOSTIC_LINES - 1]).toBe("… and 5 more diagnostics (see diagnostics in each run's result.json)");
    expect(diagnosticLines(records.slice(0, MAX_DIAGNOSTIC_LINES))).toHaveLength(MAX_DIAGNOSTIC_LINES);
  });
});
