/**
 * Reading a config file: every way a path can fail is one line naming the file,
 * JSON is strict and YAML is checked (nesting, duplicates) before anything else
 * sees it. In-process; the messages are the exact user-facing ones.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { capLines, loadConfigFile, MAX_CONFIG_DEPTH, parseConfigBytes, parseConfigText, parseJsonConfigText } from "../../src/config/load.js";
import { configErrorLines } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "prune-sense-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errorsOf = configErrorLines;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("paths that are not a readable config file", () => {
  it("names a path through a file as not a directory", () => {
    const f = file("plain.yaml", "seed: 1\n");
    expect(errorsOf(() => loadConfigFile(join(f, "c.yaml")))).toEqual([`${f}/c.yaml: a part of the path is not a directory`]);
  });

  it("shortens a file name that is too long to its first 80 characters", () => {
    const long = join(dir, "x".repeat(5000));
    expect(errorsOf(() => loadConfigFile(long))).toEqual([`${long.slice(0, 80)}…: file name too long`]);
  });

  it("names a loop of symbolic links", () => {
    const a = join(dir, "loop-a.yaml");
    const b = join(dir, "loop-b.yaml");
    symlinkSync(b, a);
    symlinkSync(a, b);
    expect(errorsOf(() => loadConfigFile(a))).toEqual([`${a}: too many levels of symbolic links`]);
  });

  it("reads a config through a symbolic link", () => {
    const target = file("target.yaml", "seed: 4\n");
    const link = join(dir, "link.yaml");
    symlinkSync(target, link);
    expect(loadConfigFile(link)).toEqual({ seed: 4 });
  });
});

describe("JSON or YAML by the file name", () => {
  it("parses .json (any case) as strict JSON, anything else as YAML", () => {
    const text = new TextEncoder().encode('{"seed": 1,}');
    expect(errorsOf(() => parseConfigBytes(text, "C.JSON"))).toEqual(["C.JSON:1:12: invalid JSON: Expected double-quoted property name"]);
    // YAML's flow mappings allow the trailing comma
    expect(parseConfigBytes(text, "c.yaml")).toEqual({ seed: 1 });
    expect(parseConfigBytes(new TextEncoder().encode("seed: 2\n"), "c.json.yaml")).toEqual({ seed: 2 });
  });

  it("keeps a JSON error to one line, even when the parser quotes text across lines", () => {
    expect(errorsOf(() => parseJsonConfigText('{\n  "seed": 1,\n  "name": x\n}', "c.json"))).toEqual(["c.json: invalid JSON: Unexpected token 'x'"]);
    expect(errorsOf(() => parseJsonConfigText('{\n  "seed": 1,\n}', "c.json"))).toEqual(["c.json:3:1: invalid JSON: Expected double-quoted property name"]);
  });

  it("refuses JSON that is not a mapping at the top level, or is null", () => {
    expect(errorsOf(() => parseJsonConfigText("[1]", "c.json"))).toEqual(["c.json: expected a mapping of config keys at the top level"]);
    expect(errorsOf(() => parseJsonConfigText("null", "c.json"))).toEqual(["c.json: the file is empty"]);
    expect(errorsOf(() => parseConfigText("5\n", "c.yaml"))).toEqual(["c.yaml: expected a mapping of config keys at the top level"]);
  });
});

describe("nesting", () => {
  const flow = (depth: number) => `a: ${"[".repeat(depth - 1)}1${"]".repeat(depth - 1)}\n`;

  it(`accepts ${MAX_CONFIG_DEPTH} levels and refuses one more, counting only brackets outside strings and comments`, () => {
    expect(() => parseConfigText(flow(MAX_CONFIG_DEPTH), "c.yaml")).not.toThrow();
    // the top-level mapping is a level, then 32 brackets
    expect(errorsOf(() => parseConfigText(`a: ${"[".repeat(MAX_CONFIG_DEPTH + 1)}${"]".repeat(MAX_CONFIG_DEPTH + 1)}\n`, "c.yaml"))).toEqual([
      `c.yaml:1:${4 + MAX_CONFIG_DEPTH}: nesting deeper than ${MAX_CONFIG_DEPTH} levels`,
    ]);
    const many = "[".repeat(40);
    expect(parseConfigText(`name: "${many}"\n`, "c.yaml")).toEqual({ name: many });
    expect(parseConfigText(`name: '${many}'\n`, "c.yaml")).toEqual({ name: many });
    expect(parseConfigText(`name: "\\"${many}"\n`, "c.yaml")).toEqual({ name: `"${many}` });
    expect(parseConfigText(`seed: 1 # ${many}\n# ${many}\n`, "c.yaml")).toEqual({ seed: 1 });
    // closing brackets free their level: many shallow lists in a row are fine
    expect(parseConfigText(`a: [${"[1], ".repeat(40)}[1]]\n`, "c.yaml")).toEqual({ a: Array.from({ length: 41 }, () => [1]) });
    expect(parseJsonConfigText(`{"a": [${"[1], ".repeat(40)}[1]], "b": "${many}"}`, "c.json")).toMatchObject({ b: many });
  });

  it("refuses deep block nesting (indentation, no brackets) in one line", () => {
    let text = "";
    for (let i = 0; i < MAX_CONFIG_DEPTH + 2; i++) text += `${"  ".repeat(i)}k${i}:\n`;
    text += `${"  ".repeat(MAX_CONFIG_DEPTH + 2)}1\n`;
    expect(errorsOf(() => parseConfigText(text, "deep.yaml"))).toEqual([`deep.yaml:${MAX_CONFIG_DEPTH + 1}:${2 * MAX_CONFIG_DEPTH + 1}: nesting deeper than ${MAX_CONFIG_DEPTH} levels`]);
    let ok = "";
    for (let i = 0; i < MAX_CONFIG_DEPTH - 1; i++) ok += `${"  ".repeat(i)}k${i}:\n`;
    ok += `${"  ".repeat(MAX_CONFIG_DEPTH - 1)}1\n`;
    expect(() => parseConfigText(ok, "ok.yaml")).not.toThrow();
  });
});

describe("YAML errors", () => {
  it("reports repeated keys at any depth, in file order, one line each", () => {
    expect(errorsOf(() => parseConfigText("train:\n  lambda: 1\n  lambda: 2\nseed: 1\nseed: 2\n", "c.yaml"))).toEqual([
      "c.yaml:3:3: train.lambda: repeated key (first at line 2)",
      "c.yaml:5:1: seed: repeated key (first at line 4)",
    ]);
    expect(errorsOf(() => parseConfigText("sweep:\n  zip:\n    - { a: [1], a: [2] }\n", "c.yaml"))).toEqual(["c.yaml:3:17: sweep.zip.0.a: repeated key (first at line 3)"]);
  });

  it("lists at most 20 errors, then how many more", () => {
    const text = Array.from({ length: 26 }, () => "seed: 1\n").join("");
    const lines = errorsOf(() => parseConfigText(text, "c.yaml"));
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe("c.yaml:2:1: seed: repeated key (first at line 1)");
    expect(lines[20]).toBe("… and 5 more");
  });

  it("caps any list of lines the same way", () => {
    expect(capLines(["a", "b"], 2)).toEqual(["a", "b"]);
    expect(capLines(["a", "b", "c"], 2)).toEqual(["a", "b", "… and 1 more"]);
  });
});
