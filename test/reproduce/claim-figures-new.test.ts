/** The figures of the new claims: error over the oracle's against n, and separation steps against λ. */
import { describe, expect, it } from "vitest";
import { oracleRatioSpec, separationSpec } from "../../src/reproduce/claim-figures.js";
import { overSeeds, record } from "./fake-records.js";

type Layer = { name: string; data: { values: Array<{ x: number; y: number; series: string }> } };
const layers = (spec: unknown) => (spec as { layer: Layer[] }).layer;

describe("oracle-ratio figure", () => {
  it("plots the mean ratio per n of the pruned model and of each λ = 0 arm, with a dashed 1", () => {
    const recs = overSeeds((seed) => [500, 8000].flatMap((n) => [
      record({ n, seed, lambda: 0, init: "oracle" }, { recovery_error: 0.1 }),
      record({ n, seed }, { recovery_error: 0.1 }),
      record({ n, seed, lambda: 0, k: 10 }, { recovery_error_trained: 0.15 }),
      record({ n, seed, lambda: 0, k: 40 }, { recovery_error_trained: 0.2 }),
    ]));
    const [guides, data] = layers(oracleRatioSpec(recs));
    expect(guides.data.values).toEqual([{ x: 500, y: 1, series: "oracle" }, { x: 8000, y: 1, series: "oracle" }]);
    const at = (series: string) => data.data.values.filter((p) => p.series === series).map((p) => [p.x, +p.y.toFixed(6)]);
    expect(at("matrix-sensing, pruned + fine-tuned")).toEqual([[500, 1], [8000, 1]]);
    expect(at("matrix-sensing, λ = 0, k = 10")).toEqual([[500, 1.5], [8000, 1.5]]);
    expect(at("matrix-sensing, λ = 0, k = 40")).toEqual([[500, 2], [8000, 2]]);
  });
});

describe("separation figure", () => {
  it("plots the mean separation step per λ, leaves out runs that did not separate, with a dashed ∝ 1/λ", () => {
    const recs = overSeeds((seed) => [0.025, 0.1].map((lambda) => record({ lambda, seed }, { separation_step: 10 / lambda })));
    recs.push(record({ lambda: 0.1, seed: 9 }, { separation_step: NaN }));
    const [guides, data] = layers(separationSpec(recs));
    expect(data.data.values.map((p) => [p.x, p.y])).toEqual([[0.025, 400], [0.1, 100]]);
    expect(guides.data.values.map((p) => [p.x, p.y])).toEqual([[0.025, 400], [0.1, 100]]);
  });
});
