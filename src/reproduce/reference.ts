/**
 * The committed reference of `reproduce` (results/reference/): reference.json
 * holds, per size (quick, full), every claim's outcome and the sampled data
 * behind every figure; beside it, the SVGs of the full size that the README
 * shows. `reproduce --compare DIR` checks a run against it, `reproduce
 * --update-reference DIR` rewrites the entry of the run's size.
 */
import { join } from "node:path";
import { UserError } from "../errors.js";
import { writeFileAtomic } from "../output/atomic.js";
import { entryKind, readRegularFile, readRegularText, refuseSpecialTarget, SpecialFileError } from "../files/special-files.js";
import { currentProvenance, type Provenance } from "../package/provenance.js";
import { figureDigest, type ReferenceEntry } from "./compare.js";
import type { Reproduction } from "./reproduction.js";

export const REFERENCE_FILE = "reference.json";

/** The figures the README shows, as `config/name` of the full size; copied as `name.svg` into the reference folder. */
export const README_FIGURES: readonly string[] = [
  "pruning/column-norms-matrix-sensing",
  "pruning/column-norms-quadratic-net",
  "pruning/trace-matrix-sensing",
  "kept-grid/kept-heatmap-matrix-sensing",
  "kept-grid/kept-vs-k-quadratic-net",
  "generalization/error-vs-n-matrix-sensing",
  "generalization/error-vs-n-quadratic-net",
];

export type ReferenceSize = Reproduction["size"];

export interface ReferenceFile {
  /** What produced each size's entry. */
  provenance?: Partial<Record<ReferenceSize, Provenance>>;
  quick?: ReferenceEntry;
  full?: ReferenceEntry;
}

/** The digest of a reproduction: its claims, and the data of each figure it drew. */
export function reproductionDigest(r: Reproduction): ReferenceEntry {
  const claims: ReferenceEntry["claims"] = {};
  for (const c of r.claims) claims[c.claim.id] = { config: c.claim.config, holds: c.holds, measured: c.measured };
  const figures: ReferenceEntry["figures"] = {};
  for (const config of r.configs) {
    for (const f of config.figures) figures[`${config.name}/${f.name}`] = figureDigest(JSON.parse(readRegularText(f.spec)));
  }
  return { claims, figures };
}

/**
 * The reference entry of one size in DIR.
 * @throws {UserError} when DIR has no readable reference.json, or none for this size.
 */
export function readReference(dir: string, size: ReferenceSize): ReferenceEntry {
  const path = join(dir, REFERENCE_FILE);
  if (!entryKind(path)) throw new UserError(`--compare ${dir}: no ${REFERENCE_FILE} there (write one with --update-reference ${dir})`);
  let file: ReferenceFile;
  try {
    file = JSON.parse(readRegularText(path)) as ReferenceFile;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const entry = file[size];
  if (!entry || typeof entry.claims !== "object" || typeof entry.figures !== "object") {
    throw new UserError(`${path}: no reference for the ${size} size (write one with \`reproduce${size === "quick" ? " --quick" : ""} --update-reference ${dir}\`)`);
  }
  return entry;
}

/**
 * Refuse, before any run, a reference folder whose reference.json cannot be
 * written: a FIFO, a device, a link (see files/special-files.ts).
 * @throws {SpecialFileError} `DIR/reference.json: is a FIFO (named pipe), left as it is (…)`.
 */
export function checkReferenceTarget(dir: string): void {
  refuseSpecialTarget(join(dir, REFERENCE_FILE));
}

/**
 * Write this reproduction's entry into DIR/reference.json (keeping the other
 * size's) and, for the full size, the README's figures as DIR/NAME.svg.
 * @returns the files written.
 */
export function writeReference(dir: string, r: Reproduction): string[] {
  const path = join(dir, REFERENCE_FILE);
  let file: ReferenceFile = {};
  if (entryKind(path)) {
    try {
      file = JSON.parse(readRegularText(path)) as ReferenceFile;
    } catch (err) {
      // a FIFO or a device there is refused (writing would replace it), never read
      if (err instanceof SpecialFileError) throw err;
      file = {}; // an unreadable reference is replaced, not merged
    }
  }
  const sizes: ReferenceSize[] = ["quick", "full"];
  const next: ReferenceFile = { provenance: { ...file.provenance, [r.size]: currentProvenance() } };
  for (const size of sizes) next[size] = size === r.size ? reproductionDigest(r) : file[size];
  writeFileAtomic(path, formatReference(next));
  const written = [path];
  if (r.size === "full") {
    for (const key of README_FIGURES) {
      const [config, name] = key.split("/");
      const figure = r.configs.find((c) => c.name === config)?.figures.find((f) => f.name === name);
      if (!figure) continue;
      const target = join(dir, `${name}.svg`);
      writeFileAtomic(target, readRegularFile(figure.svg));
      written.push(target);
    }
  }
  return written;
}

/** JSON with one line per claim and per figure data array, so a changed value shows as a one-line diff. */
export function formatReference(file: ReferenceFile): string {
  const entry = (e: ReferenceEntry) => {
    const claims = Object.entries(e.claims).map(([id, c]) => `   ${JSON.stringify(id)}: ${JSON.stringify(c)}`);
    const figures = Object.entries(e.figures).map(
      ([key, arrays]) => `   ${JSON.stringify(key)}: [\n${arrays.map((a) => `    ${JSON.stringify(a)}`).join(",\n")}\n   ]`,
    );
    return `{\n  "claims": {\n${claims.join(",\n")}\n  },\n  "figures": {\n${figures.join(",\n")}\n  }\n }`;
  };
  const parts = [` "provenance": ${JSON.stringify(file.provenance ?? {})}`];
  for (const size of ["quick", "full"] as const) {
    const e = file[size];
    if (e) parts.push(` ${JSON.stringify(size)}: ${entry(e)}`);
  }
  return `{\n${parts.join(",\n")}\n}\n`;
}
