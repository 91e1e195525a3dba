/** Provenance: what produced a result, recorded outside the CSVs. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { wasmAvailable } from "../../src/linalg/wasm/kernels.js";
import { packageVersion } from "../../src/package/assets.js";
import { currentProvenance, provenanceLines } from "../../src/package/provenance.js";
import { DATA_STREAM } from "../../src/random/streams.js";

describe("currentProvenance", () => {
  it("names the package version, the data stream, Node.js, the kernels this thread uses, the platform and the time", () => {
    const p = currentProvenance(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
    expect(p).toEqual({
      prune_sense: version, data_stream: DATA_STREAM, node: process.version, kernels: wasmAvailable ? "webassembly" : "typescript",
      platform: `${process.platform}-${process.arch}`, time: "2026-01-02T03:04:05.000Z",
    });
    expect(packageVersion()).toBe(version);
    expect(provenanceLines(p)).toEqual([`prune-sense ${version}`, `data stream ${DATA_STREAM}`, `node ${process.version}`, `kernels ${p.kernels}`, `platform ${p.platform}`, `time ${p.time}`]);
  });
});
