/**
 * Reading a config file into a plain object. The file is checked before it is
 * parsed (a regular file, at most MAX_CONFIG_BYTES, UTF-8 text without NUL
 * bytes), so /dev/zero, a FIFO or a binary gets one line, not a hang or pages
 * of parser errors. A `.json` file is parsed as strict JSON; anything else as
 * YAML (the `yaml` package), with alias and nesting limits; repeated keys and
 * tags the schema cannot read (`!!set`, `!!binary`, `!foo`) are refused in both.
 * Only syntax is checked here; the schema comes next.
 */
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { ConfigError } from "../errors.js";
import { repeatedJsonKeys } from "./json-keys.js";
import { at, lineCounterOf, lineOf } from "./position.js";
import { parseYamlDocument, yamlErrorLine } from "./yaml-parse.js";
import { treeIssues } from "./yaml-tree.js";

/** Largest config file read: a config is a few hundred bytes; 1 MB leaves room for long sweep lists. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deepest nesting of mappings and lists: a config needs 4 (train.perturb.radius, sweep.zip[0].key). */
export const MAX_CONFIG_DEPTH = 32;
/** Aliases (*name) a YAML config may expand: a bound against "billion laughs" alias bombs. */
export const MAX_YAML_ALIASES = 100;
/** At most this many parser errors are listed, then "… and N more". */
const MAX_PARSE_ERRORS = 20;

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

/** The one line for a failed stat, open or read of a config path (exported for its tests: EACCES cannot happen to root). */
export function readError(path: string, err: unknown): ConfigError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new ConfigError(`${path}: no such file`);
  if (code === "EACCES" || code === "EPERM") return new ConfigError(`${path}: permission denied`);
  if (code === "ENOTDIR") return new ConfigError(`${path}: a part of the path is not a directory`);
  if (code === "ENAMETOOLONG") return new ConfigError(`${path.slice(0, 80)}…: file name too long`);
  if (code === "ELOOP") return new ConfigError(`${path}: too many levels of symbolic links`);
  return new ConfigError(`${path}: cannot read (${code ?? (err as Error).message})`);
}

/** Megabytes with one decimal, for size messages. */
function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The bytes of a config file, checked to be a regular file within MAX_CONFIG_BYTES.
 * The type is checked with stat before opening (opening a FIFO would block), and
 * at most MAX_CONFIG_BYTES + 1 bytes are read whatever the file claims.
 */
function readConfigBytes(path: string): Buffer {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw readError(path, err);
  }
  if (!st.isFile()) throw new ConfigError(`${path}: is ${kindOf(st)}, expected a YAML or JSON file`);
  if (st.size > MAX_CONFIG_BYTES) throw new ConfigError(`${path}: ${mb(st.size)} is over the ${mb(MAX_CONFIG_BYTES)} limit for a config file`);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    throw readError(path, err);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new ConfigError(`${path}: changed while being read, expected a YAML or JSON file`);
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let len = 0;
    for (;;) {
      const got = readSync(fd, buf, len, buf.length - len, null);
      if (got === 0) break;
      len += got;
      if (len > MAX_CONFIG_BYTES) throw new ConfigError(`${path}: over the ${mb(MAX_CONFIG_BYTES)} limit for a config file`);
    }
    return buf.subarray(0, len);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw readError(path, err);
  } finally {
    closeSync(fd);
  }
}

/**
 * Config bytes as text: refuse binary content (NUL bytes, invalid UTF-8) in one line.
 * @throws {ConfigError} `FILE: binary content (a NUL byte at byte 17), expected a YAML or JSON text file`
 */
export function decodeConfigText(bytes: Uint8Array, source: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new ConfigError(`${source}: binary content (a NUL byte at byte ${nul}), expected a YAML or JSON text file`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError(`${source}: not UTF-8 text (binary content?), expected a YAML or JSON text file`);
  }
}

/**
 * Read and parse a YAML or JSON config file.
 * @throws {ConfigError} `FILE: no such file`, `FILE: is a directory`, `FILE: is a character device`,
 *   `FILE: 2.0 MB is over the 1.0 MB limit`, `FILE: binary content`, `FILE:LINE:COL: <parser message>`,
 *   `FILE: expected a mapping at the top level`.
 * @example loadConfigFile("configs/default.yaml") // → { name: "default", ... }
 */
export function loadConfigFile(path: string): unknown {
  return parseConfigBytes(readConfigBytes(path), path);
}

/** Parse the bytes of a config file named `path`: strict JSON for `.json`, else YAML. @throws {ConfigError} */
export function parseConfigBytes(bytes: Uint8Array, path: string): unknown {
  const text = decodeConfigText(bytes, path);
  return /\.json$/i.test(path) ? parseJsonConfigText(text, path) : parseConfigText(text, path);
}

/**
 * Parse config text as strict JSON (no trailing commas, no unquoted keys, no comments).
 * @throws {ConfigError} `FILE:LINE:COL: <JSON.parse message>`
 */
export function parseJsonConfigText(text: string, source: string): unknown {
  checkFlowDepth(text, source);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /at position (\d+)/.exec(message);
    const where = position ? at(source, lineCounterOf(text), Number(position[1])) : source;
    // V8 may quote the text around the error, newlines included: keep the message to one line
    const what = message.replace(/ in JSON at position \d+.*$/s, "").replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, "")
      .replace(/^Unexpected end of JSON input$/, "unexpected end of the file").replace(/\s+/g, " ");
    throw new ConfigError(`${where}: invalid JSON: ${what}`);
  }
  const repeated = repeatedJsonKeys(text);
  if (repeated.length > 0) {
    const lines = lineCounterOf(text);
    throw new ConfigError(capLines(repeated.map((r) => `${at(source, lines, r.offset)}: ${r.path}: repeated key (first at line ${lineOf(lines, r.firstOffset)})`), MAX_PARSE_ERRORS));
  }
  return checkTopLevel(value, source);
}

/**
 * Refuse bracket nesting deeper than MAX_CONFIG_DEPTH before a parser reads it, in
 * one cheap pass: counts [ and { outside quoted strings and comments. Exact for
 * JSON. For YAML it is a fast first look (the yaml parser takes seconds on a
 * megabyte of brackets it cannot use): it may over-count (a bracket inside a plain
 * scalar) and under-count (a quote inside a plain scalar, `it's`, hides what
 * follows), so the parser's exact count (yaml-parse.ts) comes after it.
 */
function checkFlowDepth(text: string, source: string): void {
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92 && quote === 34) i++; // backslash escape in "…"
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 34 || c === 39) quote = c;
    else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) <= 32)) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++; // # comment
    } else if (c === 91 || c === 123) {
      if (++depth > MAX_CONFIG_DEPTH) throw new ConfigError(`${at(source, lineCounterOf(text), i)}: nesting deeper than ${MAX_CONFIG_DEPTH} levels`);
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
}

/** The deepest path of a parsed value, iteratively; refuse past MAX_CONFIG_DEPTH. */
function checkDepth(value: unknown, source: string): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth >= MAX_CONFIG_DEPTH) throw new ConfigError(`${source}: nesting deeper than ${MAX_CONFIG_DEPTH} levels`);
    for (const child of Object.values(v)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
}

function checkTopLevel(value: unknown, source: string): Record<string, unknown> {
  if (value === null || value === undefined) throw new ConfigError(`${source}: the file is empty`);
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(`${source}: expected a mapping of config keys at the top level`);
  }
  checkDepth(value, source);
  return value as Record<string, unknown>;
}

/** At most `max` lines, then one "… and N more". */
export function capLines(lines: readonly string[], max: number): string[] {
  return lines.length <= max ? [...lines] : [...lines.slice(0, max), `… and ${lines.length - max} more`];
}

/**
 * Parse config text as YAML (which includes JSON); `source` names it in messages.
 * Syntax errors are listed alone; tags, key types and repeated keys are only
 * looked for in a text that parses.
 * @throws {ConfigError} `FILE:LINE:COL: <parser message>`, `FILE:LINE:COL: nesting deeper than 32 levels`,
 *   `FILE:LINE:COL: problem: the YAML tag !!set is not supported (…)`, `FILE:LINE:COL: seed: repeated key (first at line 2)`
 */
export function parseConfigText(text: string, source: string): unknown {
  checkFlowDepth(text, source);
  const { doc, secondDocOffset, lines, tags } = parseYamlDocument(text, source, MAX_CONFIG_DEPTH);
  // warnings are errors in a config; an unresolved tag (!foo) is reported below, with its key path
  const problems = [...doc.errors, ...doc.warnings];
  const errors = problems.filter((e) => e.code !== "TAG_RESOLVE_FAILED").map((e) => yamlErrorLine(e, source, lines));
  if (secondDocOffset !== undefined) errors.push(`${at(source, lines, secondDocOffset)}: a second YAML document (a config is one document: remove the "---" line or split the file)`);
  if (errors.length === 0) {
    const issues = treeIssues(doc, source, lines, tags).sort((a, b) => a.offset - b.offset);
    errors.push(...issues.map((i) => i.line));
    // every unresolved tag is on a node the tree check sees; should one not be, the parser's line still refuses it
    if (errors.length === 0) errors.push(...problems.map((e) => yamlErrorLine(e, source, lines)));
  }
  if (errors.length > 0) throw new ConfigError(capLines(errors, MAX_PARSE_ERRORS));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new ConfigError(`${source}: too many YAML aliases (more than ${MAX_YAML_ALIASES} expansions; an alias bomb?)`);
    }
    if (err instanceof RangeError) throw new ConfigError(`${source}: nesting too deep`);
    throw err;
  }
  return checkTopLevel(value, source);
}
