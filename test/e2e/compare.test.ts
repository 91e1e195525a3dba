/**
 * `reproduce --compare`: the committed reference (results/reference/) is in
 * sync with what `reproduce --quick` produces today, and an edited reference
 * value makes the command fail naming the claim and the figure.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliAsync, ROOT, tempDir, type CliResult } from "./cli.js";

const REFERENCE = join(ROOT, "results", "reference");
/** reproduce --quick takes ~11 s alone, several times that on a busy machine running the rest of the suite. */
const TIMEOUT = 600_000;

/** `prune-sense ARGS` without blocking the test worker (a long spawnSync starves vitest's own messages). */
function cli(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = cliAsync(args);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

interface Reference {
  quick: { claims: Record<string, { measured: string }>; figures: Record<string, Array<{ rows: Array<[number, Record<string, unknown>]> }>> };
}

describe("prune-sense reproduce --compare", () => {
  const root = tempDir("compare");
  const out = join(root, "paper");
  let first: CliResult;

  /** A copy of the reference, edited by `edit`, compared with the (resumed, so no run repeats) reproduction. */
  async function compareWithEdited(edit: (ref: Reference) => void): Promise<CliResult> {
    const dir = tempDir("compare-ref");
    cpSync(REFERENCE, dir, { recursive: true });
    const file = join(dir, "reference.json");
    const ref = JSON.parse(readFileSync(file, "utf8")) as Reference;
    edit(ref);
    writeFileSync(file, JSON.stringify(ref));
    const r = await cli(["reproduce", "--quick", "--out", out, "--compare", dir]);
    rmSync(dir, { recursive: true, force: true });
    return r;
  }

  beforeAll(async () => {
    // --compare alone: the reference shipped in the package, which in a clone is results/reference
    first = await cli(["reproduce", "--quick", "--out", out, "--compare"]);
  }, TIMEOUT);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("finds this code's quick reproduction within tolerance of results/reference (else: npm run reference)", () => {
    expect(first.stdout).not.toContain("DRIFT");
    expect(first.stderr).not.toMatch(/not in the reference|not produced by this run/);
    expect(first.stdout).toMatch(/^compare: \d+ claims and \d+ figures against .*, all within 1% \(values under 1e-9 agree\)$/m);
    expect(first.code).toBe(0);
  });

  it("fails naming the claim (with its figures) and the figure whose reference values were edited, and only reports a claim the reference lacks", async () => {
    // one edited copy, one resumed run: a claim's number, a value behind a figure, a claim removed
    const r = await compareWithEdited((ref) => {
      const claim = ref.quick.claims["linear-rate"];
      claim.measured = claim.measured.replace(/rate 0\.(\d+)/, "rate 0.7$1");
      const [, row] = ref.quick.figures["generalization/error-vs-n-matrix-sensing"][0].rows[1];
      row.value = (row.value as number) * 1.05;
      delete ref.quick.claims["sosp"];
    });
    expect(r.code).toBe(1);
    const drift = r.stdout.split("\n").filter((l) => l.startsWith("DRIFT"));
    expect(drift).toHaveLength(2);
    expect(drift[0]).toMatch(/^DRIFT claim linear-rate: 0\.\d+ where the reference has 0\.7\d+ .*\(its figures: pruning\/column-norms-matrix-sensing, /);
    expect(drift[1]).toMatch(/^DRIFT figure generalization\/error-vs-n-matrix-sensing: \.hconcat\[0\]\.layer\[0\] row 1 value: .* where the reference has /);
    expect(r.stdout).toMatch(/^compare: \d+ claims and \d+ figures against .*, 2 drifted beyond 1% \(values under 1e-9 agree\)$/m);
    expect(r.stderr).toContain("warning: claim sosp: not in the reference");
  }, TIMEOUT);

  it("compares with the reference shipped in the package when --compare names no folder", () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`figures against ${REFERENCE}, all within 1%`);
  });

  it("is a one-line user error when the folder has no reference", async () => {
    const r = await cli(["reproduce", "--quick", "--out", out, "--compare", root]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`error: --compare ${root}: no reference.json there (write one with --update-reference ${root})`);
  });
});
