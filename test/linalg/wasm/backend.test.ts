/**
 * The backend switch: PRUNE_SENSE_KERNELS=ts puts every caller on the TypeScript
 * fallbacks, =wasm requires the WebAssembly kernels. vitest.config.ts runs the
 * kernel, solver and pipeline tests once per backend; this file checks that each
 * project really runs on the backend it names.
 */
import { describe, expect, it } from "vitest";
import { createWasmWorkspace, kernelsSwitchProblem, readKernelsSwitch, wasmAvailable } from "../../../src/linalg/wasm/kernels.js";

describe("PRUNE_SENSE_KERNELS", () => {
  const requested = process.env.PRUNE_SENSE_KERNELS;

  it("is set by every vitest project, so no test runs on an unknown backend", () => {
    expect(["ts", "wasm"]).toContain(requested);
    expect(kernelsSwitchProblem).toBeNull();
  });

  it("puts this thread on the backend it names", () => {
    expect(wasmAvailable).toBe(requested === "wasm");
    const ws = createWasmWorkspace({ U: 4 });
    expect(ws === null).toBe(requested === "ts");
  });

  it("reads ts, wasm, auto (or unset) and reports anything else", () => {
    expect(readKernelsSwitch("ts")).toEqual({ requested: "ts", problem: null });
    expect(readKernelsSwitch(" WASM ")).toEqual({ requested: "wasm", problem: null });
    expect(readKernelsSwitch(undefined)).toEqual({ requested: "auto", problem: null });
    expect(readKernelsSwitch("auto")).toEqual({ requested: "auto", problem: null });
    expect(readKernelsSwitch("simd")).toEqual({ requested: "auto", problem: "PRUNE_SENSE_KERNELS=simd: expected ts, wasm or auto" });
  });
});
