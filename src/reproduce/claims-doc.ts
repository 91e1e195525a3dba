/**
 * docs/claims.md, generated from the claims themselves (id, cited statements,
 * statement, thresholds with their reasons, figures, known findings) and from the
 * full reference run (results/reference/reference.json: what was measured), so the
 * page cannot go stale: test/reproduce/claims-doc.test.ts compares it with this.
 * Regenerate: `node -e "import('./dist/reproduce/claims-doc.js').then(m => m.writeClaimsDoc())"`.
 */
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../output/atomic.js";
import { packagePath } from "../package/assets.js";
import { CLAIMS, EVERY_CONFIG, type Claim } from "./claims.js";

/** Where each claim could fail: what a run would have to show for it to read FAIL. */
export const COULD_FAIL: Record<string, string> = {
  "exact-r": "one regularized run of the pruning config keeps r ± 1 columns (a true column erased, or a spurious one not yet under ε).",
  "exact-r-all": "a run anywhere, noisy or not, that meets the condition and keeps another count; a wrong noise edge ν would move runs across the condition (the formulas, the solvers' noiseEdge, were checked against sampled spectra at d = 20, n = 500: 0.27 measured vs 0.28 for sensing, 0.38 vs 0.40 for the quadratic net; no test pins that yet).",
  spread: "the unregularized model concentrates on few columns (a larger init, a different step size, or longer training).",
  "linear-rate": "fine-tuning stalls (a kept spurious column makes the problem over-parameterized and the rate → 1) or stops above 1e-6.",
  sosp: "training ends at a saddle (negative curvature) or before the gradient is small.",
  "kept-grid": "one cell of k × λ × ε keeps another count, or the unregularized count stops growing with k.",
  "error-rate": "the pruned model's error levels off (a bias floor) or falls faster than 1/n (the small-n runs outside the noise condition, which keep an extra column, steepen it).",
  "pruned-beats-dense": "at some n the unpruned k-column model fits as well as the pruned one.",
  "oracle-ratio": "fine-tuning lands on another estimator than the oracle's rank-r fit, or the pruned model keeps an extra column inside the condition.",
  "dense-grows-with-k": "it fails today: see the finding.",
  conditioning: "a scaled run loses its weakest column, or a fixed-λ run contradicts the stationarity bound.",
  "top-r-baseline": "the unregularized model's r largest columns happen to fit M* (they do not from a small random start), or the regularized cut changes the error.",
  "error-vs-noise": "the error has a noise-free floor (slope below 2 at small σ) or the seeds disagree so much that the interval is wider than the band.",
  "separation-time": "a run does not separate within its steps, or the time is dominated by the fitting phase (slope near 0) rather than the penalty.",
  "gap-rule": "the largest ratio between consecutive norms is not the one after the r-th column.",
  "weight-decay-dense": "weight decay leaves few columns above ε, or fits M* worse than 0.1.",
  "exact-zeros": "the proximal step leaves small nonzero columns, or starts inside its dead zone (then every column is 0 and the run is outside exact-r-all's condition).",
  "sgd-exact-r": "minibatch noise keeps a spurious column above ε, or SGD fine-tuning stalls above 1e-6.",
  "asymmetric-exact-r": "a paired column survives with the penalty, or the unregularized pairs concentrate.",
  "asymmetric-linear-rate": "the balanced factorization fine-tunes slowly (rate → 1) or stops above 1e-6.",
};

interface ReferenceClaim {
  holds: boolean;
  measured: string;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const configText = (c: Claim) => (c.config === EVERY_CONFIG ? "every config" : `configs/${["penalties", "sgd", "asymmetric"].includes(c.config) ? "methods" : "paper"}/${c.config}.yaml`);

/** The page: what each claim tests and where it could fail, then the full reference run's table. */
export function claimsMarkdown(claims: readonly Claim[], full: Record<string, ReferenceClaim>, time: string): string {
  const lines = [
    "# The claims of `prune-sense reproduce`",
    "",
    "<!-- generated from src/reproduce/claims.ts and results/reference/reference.json by src/reproduce/claims-doc.ts: do not edit -->",
    "",
    "Each claim tests a numbered statement of the paper (S1–S8, in paper.md's \"The statements, numbered\"); its id is the same word in the terminal,",
    "REPORT.md, report.html (`#claim-ID`) and `reproduce --json`. Every number a claim compares with has one line on why it is that number;",
    "none was tuned to make a claim pass. A claim that fails on the bundled configs stays a claim: it is marked as a known finding,",
    "reads FAIL everywhere, and `reproduce --compare` reports the day it changes.",
    "",
    `## Measured (full size, \`results/reference/\`, ${time})`,
    "",
    "| id | cites | status | measured |",
    "|---|---|---|---|",
    ...claims.map((c) => {
      const r = full[c.id];
      return `| [${c.id}](#${c.id}) | ${c.cites.join(", ")} | ${r ? (r.holds ? "PASS" : "FAIL") : "not run"} | ${r ? cell(r.measured) : ""} |`;
    }),
    "",
    "## The claims",
    "",
  ];
  for (const c of claims) {
    lines.push(`### ${c.id}`, "", `Cites ${c.cites.join(", ")}. Reads ${configText(c)}${c.figures.length ? `; figures ${c.figures.map((f) => `\`${f}*\``).join(", ")}` : "; no figure (summary.csv columns)"}.`, "");
    lines.push(cell(c.statement), "");
    lines.push("Thresholds:", "", ...c.thresholds.map((t) => `- **${cell(t.value)}**: ${cell(t.why)}`), "");
    lines.push(`Could fail if: ${COULD_FAIL[c.id] ?? "(not written)"}`, "");
    if (c.finding) lines.push(`**Known finding.** ${cell(c.finding)}`, "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** The page from the committed reference. */
export function currentClaimsDoc(): string {
  const ref = JSON.parse(readFileSync(packagePath("results", "reference", "reference.json"), "utf8")) as {
    full?: { claims: Record<string, ReferenceClaim> }; provenance?: { full?: { time: string } };
  };
  return claimsMarkdown(CLAIMS, ref.full?.claims ?? {}, ref.provenance?.full?.time ?? "no full run");
}

/** Write docs/claims.md. */
export function writeClaimsDoc(): string {
  const file = packagePath("docs", "claims.md");
  writeFileAtomic(file, currentClaimsDoc());
  return file;
}
