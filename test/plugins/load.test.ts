/**
 * Plug-ins in process: a loaded plug-in's kinds resolve like built-ins (parameters
 * defaulted, bounds checked, another kind's parameters dropped with a warning, the
 * plug-in's hash only in the runs that use it), its penalty gets this run's
 * parameter values, parameter declarations are checked, and a worker whose file
 * changed since planning fails its runs. (Loading failures, ids and `plugin test`
 * through the binary: test/e2e/plugins.test.ts.)
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveConfig } from "../../src/config/resolve.js";
import { penaltyFor } from "../../src/methods/penalties/registry.js";
import { assertPluginsReady, ensurePlugins, loadPlugins, pluginOf, type PluginRef } from "../../src/plugins/load.js";
import { paramSpecProblems, withinBounds, type ParamSpec } from "../../src/plugins/params.js";
import { paramSchema } from "../../src/config/plugin-fields.js";
import { runId } from "../../src/output/run-id.js";
import { configErrorLines } from "../helpers.js";

/** A penalty R(U) = scale·Σ U², its gradient λ·2·scale·U: the parameter reaches both. */
const PLUGIN = `export default {
  apiVersion: 1,
  penalties: [{
    kind: "scaled-decay",
    description: "scale · ‖U‖²",
    params: { scale: { type: "number", min: 0, exclusiveMin: true, default: 2 } },
    addGradient(U, d, k, _beta, lambda, grad, _colSq, { scale }) {
      let s = 0;
      for (let i = 0; i < d * k; i++) {
        s += U[i] * U[i];
        if (lambda !== 0) grad[i] += 2 * lambda * scale * U[i];
      }
      return scale * s;
    },
  }],
};
`;

describe("a loaded plug-in penalty", () => {
  let ref: PluginRef;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "plugin-load-"));
    writeFileSync(join(dir, "p.mjs"), PLUGIN);
    [ref] = await loadPlugins([join(dir, "p.mjs")]);
  });

  it("resolves like a built-in: its parameter defaulted, its hash recorded", () => {
    const { config, warnings } = resolveConfig({ train: { penalty: { kind: "scaled-decay" } } });
    expect(config.train.penalty).toEqual({ kind: "scaled-decay", scale: 2 });
    expect(config.plugin_hashes).toEqual({ "penalty:scaled-decay": ref.sha256 });
    expect(pluginOf("penalty", "scaled-decay")).toEqual(ref);
    expect(warnings).toEqual([]);
  });

  it("checks its parameter's bounds in one line with the key path", () => {
    expect(configErrorLines(() => resolveConfig({ train: { penalty: { kind: "scaled-decay", scale: 0 } } }))).toEqual(["train.penalty.scale: must be > 0, got 0"]);
  });

  it("drops its parameter with a warning for another kind, whose run keeps its plug-in-free id", () => {
    const { config, warnings } = resolveConfig({ train: { penalty: { kind: "weight-decay", scale: 3 } } });
    expect(warnings).toEqual(["train.penalty.scale: a parameter of penalty scaled-decay, not of weight-decay, ignored"]);
    expect(config.train.penalty).toEqual({ kind: "weight-decay" });
    expect(config.plugin_hashes).toBeUndefined();
    expect(runId(config)).toBe(runId(resolveConfig({ train: { penalty: { kind: "weight-decay" } } }).config));
  });

  it("gets this run's parameter values in addGradient", () => {
    const U = Float64Array.from([1, 2, 3, 4]);
    const at = (scale: number) => {
      const grad = new Float64Array(4);
      const value = penaltyFor({ kind: "scaled-decay", scale }).addGradient(U, 2, 2, 0.1, 0.5, grad, new Float64Array(2));
      return { value, grad: [...grad] };
    };
    expect(at(2)).toEqual({ value: 60, grad: [2, 4, 6, 8] });
    expect(at(3)).toEqual({ value: 90, grad: [3, 6, 9, 12] });
  });

  it("in a worker: a file whose hash differs from the planned one fails every run with a line saying so", async () => {
    await ensurePlugins([ref]);
    expect(() => assertPluginsReady()).not.toThrow();
    // the launcher planned with a version whose hash was 00…0; the worker finds another file there
    const other = join(tmpdir(), "edited.mjs");
    writeFileSync(other, PLUGIN.replace("scaled-decay", "edited-decay"));
    await ensurePlugins([{ path: other, sha256: "0".repeat(64) }]);
    expect(() => assertPluginsReady()).toThrow(/^plug-in \S*edited\.mjs changed since the sweep was planned: run it again$/);
  });
});

describe("parameter declarations", () => {
  it("take a number with a default inside its bounds", () => {
    expect(paramSpecProblems({ a: { type: "number", min: 0, default: 1 } }, "penalties[0]", [])).toEqual([]);
    expect(paramSpecProblems({ a: { type: "number", min: 1, exclusiveMin: true, default: 1 } }, "penalties[0]", [])).toEqual(["penalties[0].params.a.default: 1 breaks its own bounds"]);
    expect(paramSpecProblems({ a: { type: "string", default: 1 } }, "p", [])).toEqual(['p.params.a.type: must be "number"']);
    expect(paramSpecProblems({ Bad: { type: "number", default: 1 } }, "p", [])).toEqual(["p.params.Bad: a parameter name is lower-case letters, digits and '_', starting with a letter"]);
    expect(paramSpecProblems({ lambda: { type: "number", default: 1 } }, "p", ["kind", "lambda"])).toEqual(["p.params.lambda: lambda is a key of the block itself; name the parameter otherwise"]);
    expect(paramSpecProblems({ a: { type: "number", default: 1, step: 2 } }, "p", [])).toEqual([
      "p.params.a: unknown key step (expected type, min, max, exclusiveMin, exclusiveMax, integer, default, description)",
    ]);
    expect(paramSpecProblems([], "p", [])).toEqual(['p.params: expected a mapping of parameter names to { type: "number", default, … }']);
  });

  it("become zod bounds", () => {
    const s = paramSchema({ type: "number", min: 0, max: 1, exclusiveMax: true, integer: false, default: 0.5 });
    expect([0, 0.5, 1, -0.1].map((x) => s.safeParse(x).success)).toEqual([true, true, false, false]);
    expect(paramSchema({ type: "number", integer: true, default: 1 }).safeParse(1.5).success).toBe(false);
  });

  it("check a default's bounds as the zod schema checks a config's value", () => {
    // the worker-side check (no zod) and the config's schema agree on every edge
    const specs: ParamSpec[] = [];
    for (const integer of [false, true]) {
      for (const min of [undefined, -1, 0, 2]) {
        for (const max of [undefined, 0, 2, 3.5]) {
          for (const exclusiveMin of [false, true]) for (const exclusiveMax of [false, true]) specs.push({ type: "number", min, max, exclusiveMin, exclusiveMax, integer, default: 0 });
        }
      }
    }
    const values = [-2, -1, -0.5, 0, 0.5, 1, 2, 2.5, 3.5, 4, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e300];
    let disagreements = 0;
    for (const spec of specs) for (const v of values) if (withinBounds(spec, v) !== paramSchema(spec).safeParse(v).success) disagreements++;
    expect(disagreements).toBe(0);
    expect(paramSpecProblems({ a: { type: "number", min: 1, exclusiveMin: true, default: 1 } }, "p", [])).toEqual(["p.params.a.default: 1 breaks its own bounds"]);
  });
});
