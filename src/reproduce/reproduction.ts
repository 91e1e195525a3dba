/**
 * What a reproduction produced: each config's runs and figures, each claim's verdict, the
 * report's paths. Types only, so the report, the reference and the summary read them without
 * importing reproduce.ts (which writes the report: no two files import each other).
 */
import type { FigureFile } from "../figures/render.js";
import type { RunRecord } from "../output/results.js";
import type { Claim, ClaimOutcome } from "./claims.js";

export interface ClaimResult extends ClaimOutcome {
  claim: Claim;
}

export interface ConfigResult {
  name: string;
  dir: string;
  records: RunRecord[];
  figures: FigureFile[];
}

export interface Reproduction {
  size: "quick" | "full";
  outDir: string;
  configs: ConfigResult[];
  claims: ClaimResult[];
  report: string;
  html: string;
}
