/**
 * The mathjs instance formulas use: the parser and exactly the functions,
 * operators and constants a formula may name (./formulas.ts checks every
 * parsed tree against that list before evaluating it), built from mathjs's
 * dependency objects. `npm run build` bundles this module with only the parts
 * of mathjs it imports into dist/bundle/formula-math.cjs, which loads in a few
 * tens of milliseconds where the whole library takes about a second
 * (scripts/bundle.mjs).
 */
import {
  create, formatDependencies, parseDependencies,
  addDependencies, subtractDependencies, multiplyDependencies, divideDependencies, powDependencies, modDependencies,
  unaryMinusDependencies, unaryPlusDependencies,
  absDependencies, sqrtDependencies, cbrtDependencies, expDependencies, logDependencies, log2Dependencies, log10Dependencies,
  log1pDependencies, minDependencies, maxDependencies, ceilDependencies, floorDependencies, roundDependencies, fixDependencies,
  signDependencies, hypotDependencies, sinDependencies, cosDependencies, tanDependencies, atanDependencies, tanhDependencies,
  piDependencies, eDependencies, InfinityDependencies, tauDependencies, phiDependencies,
  LN2Dependencies, LN10Dependencies, LOG2EDependencies, LOG10EDependencies, SQRT2Dependencies, SQRT1_2Dependencies,
  type MathJsInstance,
} from "mathjs";
// PI and E: exported by mathjs at run time, absent from its type declarations
// @ts-expect-error see above
import { PIDependencies, EDependencies } from "mathjs";

/** A mathjs instance over plain numbers with the parser, format and the formula functions and constants. */
export function createFormulaMath(): MathJsInstance {
  return create({
    formatDependencies, parseDependencies,
    addDependencies, subtractDependencies, multiplyDependencies, divideDependencies, powDependencies, modDependencies,
    unaryMinusDependencies, unaryPlusDependencies,
    absDependencies, sqrtDependencies, cbrtDependencies, expDependencies, logDependencies, log2Dependencies, log10Dependencies,
    log1pDependencies, minDependencies, maxDependencies, ceilDependencies, floorDependencies, roundDependencies, fixDependencies,
    signDependencies, hypotDependencies, sinDependencies, cosDependencies, tanDependencies, atanDependencies, tanhDependencies,
    piDependencies, eDependencies, PIDependencies, EDependencies, InfinityDependencies, tauDependencies, phiDependencies,
    LN2Dependencies, LN10Dependencies, LOG2EDependencies, LOG10EDependencies, SQRT2Dependencies, SQRT1_2Dependencies,
  }, { number: "number" });
}
