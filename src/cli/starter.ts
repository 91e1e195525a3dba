/**
 * `prune-sense init`: copy a bundled config into the user's folder as a
 * starting point, its `$schema` line pointing at the installed package's JSON
 * Schema (so editors complete and check it wherever the copy lives).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { UserError } from "../errors.js";
import { writeFileAtomic } from "../output/atomic.js";
import { refuseSpecialTarget } from "../files/special-files.js";
import { CONFIGS_DIR, SCHEMA_FILE } from "../package/assets.js";

const SCHEMA_LINE = /^# yaml-language-server: \$schema=.*$/m;

/**
 * Names `--from` accepts: every bundled config, as its path under configs/ without
 * `.yaml`: `default`, `quadratic-net`, …, then `methods/penalties`, `paper/noise`, …
 * (each subfolder of configs/, so a new folder of configs needs no change here).
 */
export function bundledConfigNames(): string[] {
  const entries = readdirSync(CONFIGS_DIR, { withFileTypes: true });
  const yamlNames = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -".yaml".length)).sort();
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return [...yamlNames(CONFIGS_DIR), ...folders.flatMap((f) => yamlNames(join(CONFIGS_DIR, f)).map((n) => `${f}/${n}`))];
}

/**
 * For a config path that does not exist but names a bundled config (`configs/sweep-k-lambda-eps.yaml`,
 * `sweep-k-lambda-eps`: what an installed user copies from `--help` or the README), one line
 * saying how to get it; else null.
 * @example missingConfigLine("configs/default.yaml") // "configs/default.yaml: no such file; … init --from default …"
 */
export function missingConfigLine(path: string): string | null {
  if (existsSync(path)) return null;
  const name = bundledName(path);
  if (!bundledConfigNames().includes(name)) return null;
  const file = `${basename(name)}.yaml`;
  return `${path}: no such file; a bundled config of that name: \`prune-sense init --from ${name}\` copies it here as ${file}`;
}

/** A `--from` as users may write it (`configs/paper/noise.yaml`) as a bundled name (`paper/noise`). */
function bundledName(from: string): string {
  return from.replace(/^(?:\.\/)?configs\//, "").replace(/\.yaml$/, "");
}

/** A bundled config's text with its `$schema` line pointing at `schemaPath`. */
export function starterText(source: string, schemaPath: string): string {
  const line = `# yaml-language-server: $schema=${schemaPath}`;
  return SCHEMA_LINE.test(source) ? source.replace(SCHEMA_LINE, line) : `${line}\n${source}`;
}

export interface StarterOptions {
  /** A bundled config name (default: "default"). */
  from?: string;
  /** Overwrite an existing file. */
  force?: boolean;
}

/**
 * Write the starter config into `dir` (created if missing) as `<name>.yaml`; returns its path.
 * @example writeStarterConfig(".") // → "default.yaml"
 * @throws {UserError} unknown `from`, the file exists (without force), or the folder is not writable.
 */
export function writeStarterConfig(dir: string, o: StarterOptions = {}): string {
  const from = bundledName(o.from ?? "default");
  const names = bundledConfigNames();
  if (!names.includes(from)) throw new UserError(`--from: no bundled config "${o.from}" (one of: ${names.join(", ")})`);
  const target = join(dir, `${basename(from)}.yaml`);
  const text = starterText(readFileSync(join(CONFIGS_DIR, `${from}.yaml`), "utf8"), SCHEMA_FILE);
  try {
    mkdirSync(dir, { recursive: true });
    // a FIFO, a device or a link there is named as what it is, with or without --force
    refuseSpecialTarget(target);
    if (o.force) writeFileAtomic(target, text);
    else writeFileSync(target, text, { flag: "wx" }); // exclusive: never replaces a file, even one created meanwhile
  } catch (err) {
    if (err instanceof UserError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EEXIST" && existsSync(target)) throw new UserError(`${target}: already exists (use --force to overwrite it)`);
    if (e.code === "EEXIST" || e.code === "ENOTDIR") throw new UserError(`${dir}: not a folder`);
    throw new UserError(`${target}: cannot write it (${e.code ?? "error"}: ${e.message.replace(/^[A-Z]+: /, "").split(",")[0]})`);
  }
  return target;
}
