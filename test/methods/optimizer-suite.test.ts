/**
 * One suite run against every registered optimizer: the shared checks of
 * src/conformance/optimizer.ts (the ones `prune-sense plugin test` runs on a
 * plug-in), through the descent loop: it decreases a convex quadratic, it is
 * deterministic given its stream, it draws random numbers only if it samples
 * minibatches, and its steps keep no memory.
 */
import { describe } from "vitest";
import { optimizerChecks } from "../../src/conformance/index.js";
import { optimizerKinds } from "../../src/methods/optimizers/registry.js";
import { itChecks } from "./conformance.js";

describe.each(optimizerKinds.map((k) => [k]))("optimizer %s", (kind) => {
  itChecks(optimizerChecks(kind));
});
