/**
 * The disk cache of a run's training data and moments (cache/store.ts), keyed by
 * everything they depend on: the seed, the problem (except n_test: the test set
 * is drawn anew), the data stream (random/streams.ts's DATA_STREAM: which
 * sampler turned the seed into data, named even though the build below changes
 * with it, so no build can read another sampler's files), the build that drew them and the kernels that computed them
 * (the WebAssembly and TypeScript kernels agree only to rounding, and a cached
 * run must write the same bytes as an uncached one).
 *
 * "The build" is a SHA-256 over every file of dist/bundle/ (the bundled program:
 * its own code and the dependencies bundled into it, such as seedrandom, and the
 * WebAssembly kernels), computed by scripts/bundle.mjs and read here from
 * dist/bundle/build-fingerprint.txt. Why the whole bundle rather than a chosen
 * list of modules: the data depend on code spread over random/, solvers/,
 * linalg/, pipeline/, config/ (defaults) and on bundled packages, and a list
 * would silently go stale the day data-drawing code moves to a file not on it;
 * a whole-bundle hash cannot miss a change. Its cost: any rebuild that changes
 * the program (even a help text) starts with a cold cache, one recomputation per
 * data set, while the old files age out by LRU. The package version alone was
 * not enough: two builds of one version could share files they drew differently.
 */
import { readFileSync } from "node:fs";
import type { ResolvedConfig } from "../config/resolved.js";
import { openArrayStore, type ArrayStore } from "../cache/store.js";
import { cacheDisabled } from "../cache/settings.js";
import { kernelsFingerprint } from "../linalg/wasm/kernels.js";
import { DATA_STREAM, stableStringify } from "../random/streams.js";
import type { DataStore } from "../solvers/types.js";

/** Written by scripts/bundle.mjs; at the same depth from src/pipeline/, dist/pipeline/ and dist/bundle/. */
const FINGERPRINT_FILE = new URL("../../dist/bundle/build-fingerprint.txt", import.meta.url);

let fingerprint: string | null | undefined;
/** The build's fingerprint (64 hex digits), or null when there is none (dist/ not built by `npm run build`). */
export function buildFingerprint(): string | null {
  if (fingerprint === undefined) {
    try {
      const text = readFileSync(FINGERPRINT_FILE, "utf8").trim();
      fingerprint = /^[0-9a-f]{64}$/.test(text) ? text : null;
    } catch {
      fingerprint = null;
    }
  }
  return fingerprint;
}

/** The text every cached data set is filed under (the store checks all of it, not only its hash, on every read). */
export function dataCacheKey(cfg: ResolvedConfig, build: string | null = buildFingerprint()): string {
  const { n_test: _unused, ...problem } = cfg.problem;
  void _unused;
  // the build covers any change to how data are drawn (e.g. the σ-keyed noise stream of pipeline/seeds.ts)
  return stableStringify({ data: 2, stream: DATA_STREAM, build, kernels: kernelsFingerprint(), seed: cfg.seed, problem });
}

let shared: ArrayStore | undefined;
/** Cache faults heard since the last takeCacheWarnings() (the store says each once per process). */
const warnings: string[] = [];

/**
 * The run's view of the cache, or undefined when it is off (`--no-cache`:
 * PRUNE_SENSE_CACHE=off) or when this program has no build fingerprint (then no
 * file could be told apart from another build's).
 */
export function dataStoreFor(cfg: ResolvedConfig, store?: ArrayStore): DataStore | undefined {
  if (!store && (cacheDisabled() || buildFingerprint() === null)) return undefined;
  const s = store ?? (shared ??= openArrayStore(undefined, undefined, (line) => warnings.push(line)));
  const key = dataCacheKey(cfg);
  // written in the background: the run goes on with its steps while the I/O threads write the file
  return { get: () => s.get(key), put: (arrays) => s.putInBackground(key, arrays) };
}

/** The cache's warnings so far (each a miss, never a failure), emptying the list. */
export function takeCacheWarnings(): string[] {
  return warnings.splice(0);
}

/** Resolves once this thread's cache files are written (or given up), so their warnings are heard. */
export async function whenCacheWritten(): Promise<void> {
  await shared?.whenWritten();
}
