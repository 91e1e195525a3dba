/**
 * The files the installed package ships beside its code: package.json, the
 * bundled configs, the JSON Schema. Every path is resolved from this module's
 * own location (dist/package/ once built, src/package/ under the tests), never
 * from the current folder, so a global or local install works from anywhere.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The package's root folder (the one holding package.json). */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A path inside the installed package, e.g. packagePath("configs", "default.yaml"). */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** The bundled configs (configs/*.yaml) and the paper's claim configs (configs/paper/). */
export const CONFIGS_DIR = packagePath("configs");
export const PAPER_CONFIGS_DIR = packagePath("configs", "paper");
/** The reference outputs of `reproduce` (reference.json; the SVGs beside it in a clone): `reproduce --compare`'s default. */
export const REFERENCE_DIR = packagePath("results", "reference");
/** The JSON Schema of config files, as published (`prune-sense schema` writes the same text). */
export const SCHEMA_FILE = packagePath("prune-sense.schema.json");

let cachedVersion: string | undefined;

/** The version in the installed package.json. */
export function packageVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }).version;
  return cachedVersion;
}
