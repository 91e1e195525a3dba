/**
 * Reading a config file: YAML (via the `yaml` package, which also reads JSON)
 * into a plain object. Only syntax is checked here; the schema comes next.
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { ConfigError } from "../errors.js";

/**
 * Read and parse a YAML or JSON config file.
 * @throws {ConfigError} `FILE: no such file`, `FILE: is a directory`,
 *   `FILE:LINE:COL: <parser message>`, `FILE: expected a mapping at the top level`.
 * @example loadConfigFile("configs/default.yaml") // → { name: "default", ... }
 */
export function loadConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ConfigError(`${path}: no such file`);
    if (code === "EISDIR") throw new ConfigError(`${path}: is a directory, expected a YAML or JSON file`);
    if (code === "EACCES") throw new ConfigError(`${path}: permission denied`);
    throw new ConfigError(`${path}: cannot read (${(err as Error).message})`);
  }
  return parseConfigText(text, path);
}

/** Parse config text; `source` names it in messages. */
export function parseConfigText(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? `${source}:${pos.line}:${pos.col}` : source;
        return `${where}: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`;
      }),
    );
  }
  const value = doc.toJS();
  if (value === null || value === undefined) throw new ConfigError(`${source}: the file is empty`);
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(`${source}: expected a mapping of config keys at the top level`);
  }
  return value;
}
