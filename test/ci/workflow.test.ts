/**
 * The CI templates: .github/workflows/reproduce.yml and the GitLab snippet of
 * docs/sweeps.md run exactly the commands docs/sweeps.md shows, on Node 20 and 22, with a
 * full-size switch, and upload the report and figures whatever happened.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { cli, ROOT } from "../e2e/cli.js";

interface Step {
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { workflow_dispatch: { inputs: Record<string, { type: string; options: string[]; default: string }> } };
  jobs: Record<string, { strategy: { matrix: { node: number[] } }; steps: Step[] }>;
}

const README = readFileSync(join(ROOT, "README.md"), "utf8");
/** The CI section lives in docs/sweeps.md ("Sweeps and clusters"). */
const SWEEPS_DOC = readFileSync(join(ROOT, "docs", "sweeps.md"), "utf8");
const workflow = parse(readFileSync(join(ROOT, ".github", "workflows", "reproduce.yml"), "utf8")) as Workflow;
const job = workflow.jobs.reproduce;

/** The docs' section on CI, up to the next heading of its level. */
function ciSection(): string {
  const start = SWEEPS_DOC.indexOf("## Reproduce it in your CI");
  expect(start).toBeGreaterThan(0);
  const end = SWEEPS_DOC.indexOf("\n## ", start + 1);
  return SWEEPS_DOC.slice(start, end < 0 ? undefined : end);
}

/** The fenced code blocks of a text, by language. */
function codeBlocks(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);
}

const runs = job.steps.filter((s) => s.run).map((s) => s.run!.trim());
const quick = "npx prune-sense reproduce --quick --out results/paper --compare results/reference";
const full = "npx prune-sense reproduce --out results/paper --compare results/reference";
const check = "npx prune-sense check results/paper configs/claims/paper.yaml";

describe(".github/workflows/reproduce.yml", () => {
  it("runs on Node 20 and 22, with a workflow_dispatch input for the size", () => {
    expect(job.strategy.matrix.node).toEqual([20, 22]);
    expect(workflow.on.workflow_dispatch.inputs.size).toMatchObject({ type: "choice", options: ["quick", "full"], default: "quick" });
  });

  it("runs npm ci, the tests, then reproduce at the chosen size, each the command the docs show", () => {
    expect(runs).toEqual(["npm ci", "npm test", quick, full, check]);
    const shown = codeBlocks(ciSection(), "sh").join("\n").split("\n").map((l) => l.trim());
    for (const cmd of [...runs.slice(0, 3), check]) expect(shown, cmd).toContain(cmd);
    expect(ciSection()).toContain(`\`${full}\``);
    const steps = Object.fromEntries(job.steps.filter((s) => s.run).map((s) => [s.run!.trim(), s.if]));
    expect(steps[quick]).toBe("inputs.size != 'full'");
    expect(steps[full]).toBe("inputs.size == 'full'");
  });

  it("then checks a claims file over the results, even after a failed reproduce step, with a file check accepts", () => {
    expect(job.steps.find((s) => s.run?.trim() === check)?.if).toBe("${{ !cancelled() }}");
    const help = cli(["check", "--help"]).stdout;
    expect(help).toContain("<dir>");
    expect(help).toContain("<file>");
    const r = cli(["check", join(ROOT, "no-such-results"), "configs/claims/paper.yaml"]);
    // the claims file is valid: the one error is the missing folder
    expect(r.stderr.trim()).toBe(`error: ${join(ROOT, "no-such-results")}: no such folder`);
    expect(r.code).toBe(2);
  });

  it("runs the same test command as .ci/run and the README's opening", () => {
    expect(readFileSync(join(ROOT, ".ci", "run"), "utf8")).toContain("npm ci && npm test");
    expect(README).toContain("npm ci && npm test");
  });

  it("uploads the report and the figures even when a step failed", () => {
    const upload = job.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.if).toBe("always()");
    const paths = String(upload?.with?.path).trim().split("\n");
    expect(paths).toEqual(["results/paper/REPORT.md", "results/paper/report.html", "results/paper/figures/"]);
  });

  it("uses only options reproduce has, and a reference folder with both sizes", () => {
    const help = cli(["reproduce", "--help"]).stdout;
    for (const flag of ["--quick", "--out", "--compare"]) expect(help).toContain(flag);
    const reference = JSON.parse(readFileSync(join(ROOT, "results", "reference", "reference.json"), "utf8"));
    expect(Object.keys(reference.quick.claims).length).toBeGreaterThan(0);
    expect(Object.keys(reference.full.claims).length).toBeGreaterThan(0);
    expect(existsSync(join(ROOT, "package-lock.json"))).toBe(true); // npm ci needs it
  });
});

describe("the GitLab CI snippet of docs/sweeps.md", () => {
  const [snippet] = codeBlocks(ciSection(), "yaml");
  const gitlab = parse(snippet) as { reproduce: { script: string[]; parallel: { matrix: Array<{ NODE: string[] }> }; artifacts: { when: string; paths: string[] } } };

  it("runs the workflow's commands at the quick size on Node 20 and 22, and keeps the report whatever happened", () => {
    expect(gitlab.reproduce.script).toEqual([...runs.slice(0, 3), check]);
    expect(gitlab.reproduce.parallel.matrix[0].NODE).toEqual(["20", "22"]);
    expect(gitlab.reproduce.artifacts).toEqual({
      when: "always", paths: ["results/paper/REPORT.md", "results/paper/report.html", "results/paper/figures/"],
    });
  });
});
