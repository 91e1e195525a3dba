/**
 * One suite run against every registered solver and each of its routes: the
 * shared checks of src/conformance/solver.ts (the ones `prune-sense plugin test`
 * runs on a model plug-in): the gradient matches finite differences, all routes
 * agree, the data are deterministic and held out, noise scales with σ, plain
 * gradient descent fits a trivial instance, and a gradient keeps no memory.
 */
import { describe } from "vitest";
import { solverChecks } from "../../src/conformance/index.js";
import { findSolver, solverKinds } from "../../src/solvers/registry.js";
import { itChecks } from "../methods/conformance.js";

describe.each(solverKinds.map((k) => [k]))("solver %s", (kind) => {
  itChecks(solverChecks(findSolver(kind)!));
});
