/**
 * Loading plug-in modules into this thread's registries. The CLI loads the
 * plug-ins a config names (`plugins:`, paths relative to the config file) and
 * those given with --plugin, before anything is planned; each worker thread
 * loads the same files (sent with its runs, by absolute path and content hash)
 * before its first run. A file that is missing, does not parse, has the wrong
 * apiVersion or a broken definition is one line naming it (exit 2); the
 * content hash (SHA-256 of the file's bytes) goes into each run that uses one
 * of its kinds (config resolve.ts: plugin_hashes), so an edit changes run ids.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { UserError } from "../errors.js";
import { registerOptimizer } from "../methods/optimizers/registry.js";
import { registerPenalty } from "../methods/penalties/registry.js";
import { registerPruneRule } from "../methods/prune/registry.js";
import { registerSolver } from "../solvers/registry.js";
import { kindKey, readDefinitions, type Category, type PluginDefinitions } from "./define.js";
import type { ParamSpecs } from "./params.js";

/** A loaded plug-in as runs and workers name it: its absolute path and the SHA-256 of its bytes. */
export interface PluginRef {
  path: string;
  sha256: string;
}

/** A plug-in that cannot be loaded: one line naming it, exit 2. */
export class PluginError extends UserError {}

interface Loaded extends PluginRef {
  /** The URL it was imported from: stack frames of its code carry it. */
  url: string;
}

const loaded: Loaded[] = [];
const origin = new Map<string, Loaded>();
const paramSpecs = new Map<string, ParamSpecs>();
let generation = 0;
let workerFailure: Error | null = null;

/** Changes whenever a plug-in registers kinds (the config schema is rebuilt then). */
export function pluginGeneration(): number {
  return generation;
}

/** The plug-ins loaded in this thread, in load order. */
export function loadedPlugins(): PluginRef[] {
  return loaded.map(({ path, sha256 }) => ({ path, sha256 }));
}

/** The plug-in that defines a kind, or undefined for a built-in (or unknown) kind. */
export function pluginOf(category: Category, kind: string): PluginRef | undefined {
  const plugin = origin.get(kindKey(category, kind));
  return plugin && { path: plugin.path, sha256: plugin.sha256 };
}

/** The kinds a loaded plug-in defines, in its order: [category, kind]. */
export function kindsOf(plugin: PluginRef): Array<[Category, string]> {
  return [...origin].filter(([, p]) => p.path === plugin.path).map(([key]) => {
    const at = key.indexOf(":");
    return [key.slice(0, at) as Category, key.slice(at + 1)];
  });
}

/** A plug-in kind's parameter schema (undefined for a built-in kind). */
export function pluginParams(category: Category, kind: string): ParamSpecs | undefined {
  return paramSpecs.get(kindKey(category, kind));
}

/** Every plug-in kind of a category with its parameter schema, in load order. */
export function pluginKindsOf(category: Category): Array<[kind: string, params: ParamSpecs]> {
  const prefix = `${category}:`;
  return [...paramSpecs].filter(([key]) => key.startsWith(prefix)).map(([key, params]) => [key.slice(prefix.length), params]);
}

/** How a message names a plug-in file: relative to the working folder when under it. */
function label(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** The bytes of a plug-in file. @throws {PluginError} */
function readPlugin(path: string): Buffer {
  const name = label(path);
  try {
    if (!statSync(path).isFile()) throw new PluginError(`plug-in ${name}: not a regular file`);
    return readFileSync(path);
  } catch (err) {
    if (err instanceof PluginError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new PluginError(`plug-in ${name}: ${code === "ENOENT" || code === "ENOTDIR" ? "no such file" : code === "EACCES" ? "permission denied" : `cannot read (${code ?? (err as Error).message})`}`);
  }
}

/**
 * The line of a syntax error in a module file: Node's import() error does not say, so
 * `node --check` is asked (only on this failure path). Undefined when it cannot tell.
 */
function syntaxErrorLine(path: string): string | undefined {
  const check = spawnSync(process.execPath, ["--check", path], { encoding: "utf8", timeout: 10_000 });
  const at = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+)`, "m").exec(check.stderr ?? "");
  return at?.[1];
}

/** One line for an error thrown while importing a module: a syntax error with its line, or what it threw. */
function importErrorLine(err: unknown, path: string): string {
  if (!(err instanceof Error)) return `failed to load: ${String(err)}`;
  if (err instanceof SyntaxError) {
    const line = syntaxErrorLine(path);
    return `syntax error${line ? ` at line ${line}` : ""}: ${err.message}`;
  }
  return `failed to load: ${err.name}: ${err.message.split("\n")[0]}`;
}

/** Register a module's definitions and remember where each kind came from. */
function register(plugin: Loaded, defs: PluginDefinitions): void {
  defs.penalties.forEach(registerPenalty);
  defs.optimizers.forEach(registerOptimizer);
  defs.pruneRules.forEach(registerPruneRule);
  defs.solvers.forEach(registerSolver);
  for (const [key, params] of defs.params) {
    origin.set(key, plugin);
    paramSpecs.set(key, params);
  }
  loaded.push(plugin);
  generation++;
}

/**
 * Load one plug-in file (an absolute path) unless this thread has it already.
 * @throws {PluginError} a missing file, a syntax error, a wrong apiVersion, a broken definition.
 */
async function loadOne(path: string): Promise<PluginRef> {
  const bytes = readPlugin(path);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const same = loaded.find((p) => p.path === path);
  if (same) {
    if (same.sha256 !== sha256) throw new PluginError(`plug-in ${label(path)}: changed since it was loaded (reload prune-sense)`);
    return { path, sha256 };
  }
  // the hash in the URL: an edited file is a new module, never the cached old one
  const url = `${pathToFileURL(path).href}?sha256=${sha256.slice(0, 16)}`;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    throw new PluginError(`plug-in ${label(path)}: ${importErrorLine(err, path)}`);
  }
  const read = readDefinitions(mod.default ?? mod.plugin);
  if ("problems" in read) throw new PluginError(read.problems.map((line) => `plug-in ${label(path)}: ${line}`));
  const plugin: Loaded = { path, sha256, url };
  register(plugin, read.definitions);
  return { path, sha256 };
}

/**
 * Load plug-in files (in order, each once).
 * @throws {PluginError} for the first that cannot be loaded.
 */
export async function loadPlugins(paths: readonly string[]): Promise<PluginRef[]> {
  const out: PluginRef[] = [];
  for (const path of paths) {
    const ref = await loadOne(resolve(path));
    if (!out.some((r) => r.path === ref.path)) out.push(ref);
  }
  return out;
}

/**
 * The plug-in files of a run command: the config's `plugins:` list (relative to the config
 * file) and --plugin paths (relative to the working folder), absolute, without repeats.
 * @throws {PluginError} when `plugins:` is not a list of paths.
 */
export function pluginPaths(written: unknown, configPath: string, extra: readonly string[] = []): string[] {
  const listed = written !== null && typeof written === "object" ? (written as Record<string, unknown>).plugins : undefined;
  if (listed !== undefined && (!Array.isArray(listed) || listed.some((p) => typeof p !== "string" || p === ""))) {
    throw new PluginError("plugins: expected a list of plug-in file paths (relative to the config file)");
  }
  const paths = [...((listed as string[] | undefined) ?? []).map((p) => resolve(dirname(configPath), p)), ...extra.map((p) => resolve(p))];
  return [...new Set(paths)];
}

/**
 * In a worker: load the plug-ins the launcher loaded. A file that cannot be loaded or
 * that changed since is remembered, and every run of this worker fails with it
 * (assertPluginsReady), as the runs of a broken build would.
 */
export async function ensurePlugins(refs: readonly PluginRef[]): Promise<void> {
  for (const ref of refs) {
    if (loaded.some((p) => p.path === ref.path && p.sha256 === ref.sha256)) continue;
    try {
      const got = await loadOne(ref.path);
      if (got.sha256 !== ref.sha256) throw new Error(`plug-in ${label(ref.path)} changed since the sweep was planned: run it again`);
    } catch (err) {
      workerFailure ??= err instanceof Error ? new Error(err.message) : new Error(String(err));
    }
  }
}

/** @throws {Error} the failure ensurePlugins met in this thread, if any. */
export function assertPluginsReady(): void {
  if (workerFailure) throw workerFailure;
}

/**
 * The stack of an error thrown by plug-in code (one of its frames is in a loaded
 * plug-in), for the failed run's record; undefined for an error of prune-sense itself.
 */
export function pluginStack(err: unknown): string | undefined {
  const stack = err instanceof Error ? err.stack : undefined;
  if (!stack) return undefined;
  const plugin = loaded.find((p) => stack.includes(p.url));
  // the hash query makes frames long: show the plain file URL
  return plugin ? loaded.reduce((s, p) => s.split(p.url).join(pathToFileURL(p.path).href), stack) : undefined;
}

/** The plug-in file an error's stack points into (for the record's one-line error), if any. */
export function pluginLabelOf(err: unknown): string | undefined {
  const stack = err instanceof Error ? err.stack : undefined;
  const plugin = stack ? loaded.find((p) => stack.includes(p.url)) : undefined;
  return plugin ? label(plugin.path) : undefined;
}
