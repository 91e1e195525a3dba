/**
 * The disk cache of a run's training data and moments (cache/store.ts), keyed by
 * everything they depend on: the seed, the problem (except n_test: the test set
 * is drawn anew), the package version and the kernels that computed them (the
 * WebAssembly and TypeScript kernels agree only to rounding, and a cached run
 * must write the same bytes as an uncached one).
 */
import { readFileSync } from "node:fs";
import type { ResolvedConfig } from "../config/resolved.js";
import { cacheDisabled, openArrayStore, type ArrayStore } from "../cache/store.js";
import { kernelsFingerprint } from "../linalg/wasm/kernels.js";
import { stableStringify } from "../random/streams.js";
import type { DataStore } from "../solvers/types.js";

let version: string | undefined;
function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  return version;
}

/** The text every cached data set is filed under. */
export function dataCacheKey(cfg: ResolvedConfig): string {
  const { n_test: _unused, ...problem } = cfg.problem;
  void _unused;
  // data: 2 since noisy data are drawn from a stream keyed by σ (pipeline/seeds.ts): older entries hold other draws
  return stableStringify({ data: 2, version: packageVersion(), kernels: kernelsFingerprint(), seed: cfg.seed, problem });
}

let shared: ArrayStore | undefined;

/** The run's view of the cache, or undefined when it is off (`--no-cache`: PRUNE_SENSE_CACHE=off). */
export function dataStoreFor(cfg: ResolvedConfig, store?: ArrayStore): DataStore | undefined {
  if (!store && cacheDisabled()) return undefined;
  const s = store ?? (shared ??= openArrayStore());
  const key = dataCacheKey(cfg);
  // written in the background: the run goes on with its steps while the I/O threads write the file
  return { get: () => s.get(key), put: (arrays) => s.putInBackground(key, arrays) };
}
