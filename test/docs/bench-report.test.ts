/**
 * The speed tables of docs/speed.md are a real `bench --json` run of this
 * version, whole (not --quick, every part measured), rendered by bench's own
 * formatter; generated.test.ts checks the rendering is current.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { benchSection, BENCH_JSON } from "../../src/cli/docs.js";
import type { FullBenchReport } from "../../src/bench/report.js";
import { packagePath, packageVersion } from "../../src/package/assets.js";

const text = readFileSync(packagePath(BENCH_JSON), "utf8");
const report = JSON.parse(text) as FullBenchReport;

describe(`${BENCH_JSON}`, () => {
  it("is a report of the package's own version", () => {
    expect(report.prune_sense).toBe(packageVersion());
  });

  it("is a whole run: every size's step timed 30 times beside numpy, whole processes, start-up and sweep scaling measured", () => {
    expect(report.reps).toBe(30);
    expect(report.yardstick.state).toBe("ok");
    expect(report.whole_process?.yardstick.state).toBe("ok");
    expect(report.whole_process?.rows.length).toBeGreaterThan(0);
    expect(report.sweep_scaling?.length).toBe(2);
    expect(report.sweep_two_data_sets?.length).toBe(2);
  });

  it("renders as the text bench prints, under a line naming version and date", () => {
    const lines = benchSection(text);
    expect(lines[0]).toBe(`prune-sense ${report.prune_sense}, measured ${report.started.slice(0, 10)} (\`${BENCH_JSON}\`):`);
    expect(lines.join("\n")).toContain("whole runs, process wall time");
    expect(report.batched_sweep?.yardstick.state).toBe("ok");
  });
});
