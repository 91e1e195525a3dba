/**
 * What produced a result: the prune-sense version, the Node.js version, which
 * dense kernels ran (WebAssembly SIMD, or the TypeScript fallback when the
 * .wasm is missing or cannot compile), the platform and the time. It is written
 * into result.json and the reproduction reports, never into a CSV, so CSVs stay
 * byte-identical across machines and times.
 */
import { wasmAvailable } from "../linalg/wasm/kernels.js";
import { loadedPlugins, type PluginRef } from "../plugins/load.js";
import { packageVersion } from "./assets.js";

export type KernelBackend = "webassembly" | "typescript";

export interface Provenance {
  prune_sense: string;
  node: string;
  kernels: KernelBackend;
  platform: string;
  /** ISO 8601, UTC. */
  time: string;
  /** The plug-ins loaded (absolute path, sha256 of the file); absent without any. */
  plugins?: PluginRef[];
}

/** The kernels this thread uses (every thread loads the same module, so the same answer). */
export function kernelBackend(): KernelBackend {
  return wasmAvailable ? "webassembly" : "typescript";
}

/** Provenance as of now. */
export function currentProvenance(now: Date = new Date()): Provenance {
  return {
    prune_sense: packageVersion(),
    node: process.version,
    kernels: kernelBackend(),
    platform: `${process.platform}-${process.arch}`,
    time: now.toISOString(),
    ...(loadedPlugins().length ? { plugins: loadedPlugins() } : {}),
  };
}

/** One line per field, for `--version --verbose` and reports. */
export function provenanceLines(p: Provenance): string[] {
  return [
    `prune-sense ${p.prune_sense}`,
    `node ${p.node}`,
    `kernels ${p.kernels}`,
    `platform ${p.platform}`,
    `time ${p.time}`,
    ...(p.plugins ?? []).map((plugin) => `plug-in ${plugin.path} sha256 ${plugin.sha256}`),
  ];
}
