/**
 * One suite run against every registered pruning rule: the shared checks of
 * src/conformance/prune.ts (the ones `prune-sense plugin test` runs on a
 * plug-in): it keeps a subset, each column once, greedily by norm (a kept
 * column's larger neighbours are kept), its cut bounds what it kept, it is
 * deterministic and does not depend on the order of the columns, and with its
 * example parameter it finds the r large columns of a regularized-looking model.
 */
import { describe } from "vitest";
import { pruneRuleChecks } from "../../src/conformance/index.js";
import { PRUNE_RULES } from "../../src/methods/prune/registry.js";
import { itChecks } from "./conformance.js";

describe.each(PRUNE_RULES.map((rule) => [rule.key, rule] as const))("pruning rule %s", (_key, rule) => {
  itChecks(pruneRuleChecks(rule));
});
