/**
 * The shared checks by kind, for the built-ins' test suites and `prune-sense plugin test`.
 */
export { penaltyChecks } from "./penalty.js";
export { optimizerChecks } from "./optimizer.js";
export { pruneRuleChecks } from "./prune.js";
export { solverChecks } from "./solver.js";
export { runCheck, type Check, type Outcome } from "./types.js";
