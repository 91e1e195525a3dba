/**
 * Run ids as readers meet them: the pandas (and R) snippets of docs/results.md on ids of
 * every shape, including old bare ids that look like numbers; and old folders
 * that `run` resumes and `merge` accepts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliP, ROOT, tempDir, type CliResult } from "./cli.js";

const ONE = ["--set", "problem.d=6", "--set", "problem.r=2", "--set", "model.k=8", "--set", "problem.n=300", "--set", "train.steps=40", "--set", "finetune.steps=20"];

/** The first fenced block of `lang` after `marker` in docs/results.md (where the README's reading snippets moved). */
function readmeBlock(lang: string, marker: string): string {
  const text = readFileSync(join(ROOT, "docs", "results.md"), "utf8");
  expect(text.indexOf(marker)).toBeGreaterThanOrEqual(0);
  const from = text.indexOf(marker);
  const m = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(text.slice(from));
  if (!m) throw new Error(`no ${lang} block after ${marker}`);
  return m[1];
}

/** A Python with pandas (Debian's /usr/bin/python3 when another python3 comes first on PATH), or null. */
function pythonWithPandas(): string | null {
  for (const py of ["python3", "/usr/bin/python3"]) {
    if (spawnSync(py, ["-c", "import pandas"], { timeout: 30_000 }).status === 0) return py;
  }
  return null;
}
const PYTHON = pythonWithPandas();
const RSCRIPT = spawnSync("Rscript", ["--version"], { timeout: 30_000 }).status === 0 ? "Rscript" : null;

/**
 * Rename a run's folder and every mention of its id (an old folder with a chosen id). Its result.json loses
 * its own checksum, as the versions that wrote bare ids wrote it (a result.json edited with its checksum left
 * in place reads as damaged).
 */
function renameRun(dir: string, from: string, to: string): void {
  renameSync(join(dir, "runs", from), join(dir, "runs", to));
  const plans = existsSync(join(dir, "sweeps")) ? readdirSync(join(dir, "sweeps")).map((f) => join(dir, "sweeps", f)) : [];
  for (const f of [join(dir, "summary.csv"), join(dir, "sweep.json"), join(dir, "runs", to, "result.json"), ...plans]) {
    writeFileSync(f, readFileSync(f, "utf8").split(from).join(to));
  }
  const result = join(dir, "runs", to, "result.json");
  const { sha256: _own, ...old } = JSON.parse(readFileSync(result, "utf8"));
  writeFileSync(result, `${JSON.stringify(old, null, 2)}\n`);
}

describe("run ids that readers take for text", () => {
  // two runs renamed to old bare ids that parse as numbers: 9.89e15 and 4410250731
  const home = tempDir("ids");
  const results = join(home, "results", "default");
  let made: CliResult;
  beforeAll(async () => {
    made = await cliP(["run", "configs/default.yaml", "--out", results, ...ONE, "--set", "seed=1,2", "--jobs", "1"]);
    const ids = made.code === 0 ? readdirSync(join(results, "runs")).sort() : [];
    if (ids.length === 2) {
      renameRun(results, ids[0], "98918944e8");
      renameRun(results, ids[1], "4410250731");
    }
  });

  it.skipIf(!PYTHON)(`the docs' pandas snippet reads ids as strings (${PYTHON ? "pandas found" : "SKIPPED: no python3 with pandas"})`, () => {
    expect(made.code, made.stderr).toBe(0);
    // drawing needs matplotlib, which the check does not: the plot line is left out without it
    const hasMatplotlib = spawnSync(PYTHON!, ["-c", "import matplotlib"]).status === 0;
    const code = readmeBlock("python", "In pandas:").split("\n").filter((l) => hasMatplotlib || !l.includes(".plot(")).join("\n");
    const check = `
assert sorted(s.run_id) == ["4410250731", "98918944e8"], list(s.run_id)
for i in s.run_id:
    assert len(pd.read_csv(f"results/default/runs/{i}/trace.csv")) > 0
print("ok")
`;
    const r = spawnSync(PYTHON!, ["-c", code + check], { cwd: home, encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n").pop()).toBe("ok");
  });

  it.skipIf(!RSCRIPT)(`the docs' R snippet reads ids as strings (${RSCRIPT ? "R found" : "SKIPPED: R is not installed"})`, () => {
    const code = readmeBlock("r", "In R:").split("\n").filter((l) => !l.startsWith("plot(")).join("\n");
    const r = spawnSync(RSCRIPT!, ["-e", `${code}\nstopifnot(identical(sort(s$run_id), c("4410250731", "98918944e8")))\ncat("ok\\n")`], {
      cwd: home, encoding: "utf8", timeout: 60_000,
    });
    expect(r.stdout.trim().split("\n").pop()).toBe("ok");
  });

  it("resumes a folder written with old bare ids and merges it", async () => {
    const dir = tempDir("oldids");
    expect((await cliP(["run", "configs/default.yaml", "--out", dir, ...ONE])).code).toBe(0);
    const [id] = readdirSync(join(dir, "runs"));
    expect(id).toMatch(/^r[0-9a-f]{10}$/);
    renameRun(dir, id, id.slice(1));
    const again = await cliP(["run", "configs/default.yaml", "--out", dir, ...ONE]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("1 complete run skipped");
    expect(existsSync(join(dir, "runs", id))).toBe(false);
    expect(readFileSync(join(dir, "summary.csv"), "utf8")).toContain(`\n${id.slice(1)},ok,`);
    const merged = await cliP(["merge", dir]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain("1 runs");
  });
});
