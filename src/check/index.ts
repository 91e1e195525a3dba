/**
 * `prune-sense check DIR CLAIMS.yaml`: a user's claims over a results folder.
 * Read the claims file and the folder's runs, evaluate every claim, and give
 * back the verdicts and a JSON form of them; the command prints them.
 */
import { evaluateClaims, type ClaimOutcome } from "./evaluate.js";
import { loadClaims } from "./parse.js";
import { readRunRows } from "./rows.js";

export interface CheckResult {
  dir: string;
  claimsFile: string;
  folders: string[];
  /** Runs whose result.json could not be read (their config paths are missing). */
  unreadable: string[];
  outcomes: ClaimOutcome[];
}

/**
 * Check the claims of `claimsFile` over the runs of `dir` (a results folder or a folder of them).
 * @throws {ConfigError} for a bad claims file or a field no run has; {UserError} for a missing folder.
 */
export function checkClaims(dir: string, claimsFile: string): CheckResult {
  const claims = loadClaims(claimsFile);
  const { rows, folders, unreadable } = readRunRows(dir);
  return { dir, claimsFile, folders, unreadable, outcomes: evaluateClaims(claims, rows) };
}

/** The --json form: one object per claim with its status, measured text and per-group numbers. */
export function checkJson(result: CheckResult): object {
  const passed = result.outcomes.filter((o) => o.holds).length;
  return {
    dir: result.dir,
    claims_file: result.claimsFile,
    folders: result.folders,
    passed,
    failed: result.outcomes.length - passed,
    unreadable: result.unreadable,
    claims: result.outcomes.map((o) => ({
      id: o.claim.id,
      status: o.holds ? "PASS" : "FAIL",
      statement: o.claim.statement,
      cites: o.claim.cites,
      ...(o.claim.finding === undefined ? {} : { finding: o.claim.finding }),
      test: o.claim.test.kind,
      measured: o.measured,
      runs: o.runs,
      groups: o.groups.map((g) => ({
        key: g.key, runs: g.runs, status: g.holds ? "PASS" : "FAIL", measured: g.measured,
        ...(g.value !== undefined ? { value: finite(g.value) } : {}),
        ...(g.interval ? { interval: g.interval.map(finite) } : {}),
        ...(g.levels ? { levels: g.levels.map((l) => ({ at: l.at, value: finite(l.value) })) } : {}),
        ...(g.exceptions ? { exceptions: g.exceptions.map((e) => ({ ...e, values: finiteValues(e.values) })) } : {}),
        ...(g.exempt ? { exempt: g.exempt.map((e) => ({ ...e, values: finiteValues(e.values) })) } : {}),
      })),
    })),
  };
}

/** JSON has no NaN or Infinity: write them as the strings summary.csv uses. */
function finite(x: number): number | string {
  return Number.isFinite(x) ? x : Number.isNaN(x) ? "NaN" : x > 0 ? "Inf" : "-Inf";
}

function finiteValues(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "number" ? finite(v) : v]));
}
