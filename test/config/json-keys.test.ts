/**
 * Repeated keys in a JSON config are refused as the YAML reader refuses them: one
 * line per repeat naming its key path and both lines (JSON.parse alone keeps the
 * last value without a word).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfigFile, parseJsonConfigText } from "../../src/config/load.js";
import { repeatedJsonKeys } from "../../src/config/json-keys.js";
import { configErrorLines } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "prune-sense-json-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("repeated keys in JSON", () => {
  it("refuses a repeated top-level key in a .json file, naming it and its first line", () => {
    const path = join(dir, "dup.json");
    writeFileSync(path, '{\n  "name": "a",\n  "seed": 1,\n  "name": "b"\n}\n');
    expect(configErrorLines(() => loadConfigFile(path))).toEqual([`${path}:4:3: name: repeated key (first at line 2)`]);
  });

  it("gives the key path at any depth, through lists of mappings", () => {
    const text = '{"train": {"lambda": 1, "beta": 2, "lambda": 3},\n"sweep": {"zip": [{"key": "a"}, {"key": "b", "key": "c"}]}}';
    expect(configErrorLines(() => parseJsonConfigText(text, "c.json"))).toEqual([
      "c.json:1:36: train.lambda: repeated key (first at line 1)",
      "c.json:2:46: sweep.zip.1.key: repeated key (first at line 2)",
    ]);
  });

  it('compares decoded keys: "seed" and "\\u0073eed" are one key', () => {
    expect(repeatedJsonKeys('{"seed": 1, "\\u0073eed": 2}')).toEqual([{ path: "seed", offset: 12, firstOffset: 1 }]);
  });

  it("is not fooled by values equal to keys, brackets and quotes inside strings, or equal keys in sibling objects", () => {
    const text = '{"a": "a", "b": {"a": 1}, "c": {"a": 2}, "d": ["{\\"a\\": [", "]}"], "e": {"x\\"y": 1, "x\\\\y": 2}}';
    expect(repeatedJsonKeys(text)).toEqual([]);
    expect(parseJsonConfigText(text, "c.json")).toMatchObject({ a: "a", b: { a: 1 } });
  });

  it("lists at most 20, then how many more", () => {
    const text = `{${Array.from({ length: 25 }, () => '"seed": 1').join(", ")}}`;
    const lines = configErrorLines(() => parseJsonConfigText(text, "c.json"));
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe("c.json:1:13: seed: repeated key (first at line 1)");
    expect(lines[20]).toBe("… and 4 more");
  });
});
