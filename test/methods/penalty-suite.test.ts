/**
 * One suite run against every registered penalty: the shared checks of
 * src/conformance/penalty.ts (the ones `prune-sense plugin test` runs on a
 * plug-in): the value/gradient contract, a finite-difference check of the
 * gradient of a smooth penalty, and, for a penalty applied by its prox, the
 * optimality condition of the prox subproblem; determinism; no memory kept per call.
 */
import { describe } from "vitest";
import { penaltyChecks } from "../../src/conformance/index.js";
import { findPenalty, penaltyKinds } from "../../src/methods/penalties/registry.js";
import { itChecks } from "./conformance.js";

describe.each(penaltyKinds.map((k) => [k]))("penalty %s", (kind) => {
  itChecks(penaltyChecks(findPenalty(kind)!));
});
