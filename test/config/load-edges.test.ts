/**
 * Reading a config at its edges: every kind of path that is not a file, each read
 * error's line, the size limit to the byte, NUL at the first byte, the bracket
 * counter's quotes and comments, the nesting limit to the level, positions in
 * JSON, and empty files. In-process, with the exact user-facing lines.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { loadConfigFile, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH, parseConfigText, parseJsonConfigText, readError } from "../../src/config/load.js";
import { configErrorLines } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "prune-sense-load-edges-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("paths that are not a regular file", () => {
  let server: Server;
  const socket = join(dir, "socket.yaml");
  beforeAll(() => new Promise<void>((done) => {
    server = createServer().listen(socket, done);
  }));
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it("names a directory", () => {
    const folder = join(dir, "folder.yaml");
    mkdirSync(folder);
    expect(configErrorLines(() => loadConfigFile(folder))).toEqual([`${folder}: is a directory, expected a YAML or JSON file`]);
  });

  it("names a socket", () => {
    expect(configErrorLines(() => loadConfigFile(socket))).toEqual([`${socket}: is a socket, expected a YAML or JSON file`]);
  });

  const block = ["/dev/loop0", "/dev/sda", "/dev/vda", "/dev/nvme0n1"].find((p) => existsSync(p) && statSync(p).isBlockDevice());
  it.skipIf(!block)(`names a block device (${block ?? "none on this machine"})`, () => {
    expect(configErrorLines(() => loadConfigFile(block!))).toEqual([`${block}: is a block device, expected a YAML or JSON file`]);
  });
});

describe("the line for each read error", () => {
  const lineOf = (err: unknown) => readError("c.yaml", err).message;

  it("names the cause users can act on", () => {
    expect(readError("c.yaml", { code: "ENOENT" })).toBeInstanceOf(ConfigError);
    expect(lineOf({ code: "ENOENT" })).toBe("c.yaml: no such file");
    // root (as in CI) reads any file, so permissions are checked on the mapping itself
    expect(lineOf({ code: "EACCES" })).toBe("c.yaml: permission denied");
    expect(lineOf({ code: "EPERM" })).toBe("c.yaml: permission denied");
    expect(lineOf({ code: "ENOTDIR" })).toBe("c.yaml: a part of the path is not a directory");
    expect(lineOf({ code: "ELOOP" })).toBe("c.yaml: too many levels of symbolic links");
    expect(readError("x".repeat(100), { code: "ENAMETOOLONG" }).message).toBe(`${"x".repeat(80)}…: file name too long`);
  });

  it("gives any other error's code, or its message when it has none", () => {
    expect(lineOf({ code: "EIO" })).toBe("c.yaml: cannot read (EIO)");
    expect(lineOf(new Error("disk on fire"))).toBe("c.yaml: cannot read (disk on fire)");
  });
});

describe("the size limit, to the byte", () => {
  // a valid mapping whose last byte matters: a shortened read would change the value
  const sized = (bytes: number) => {
    const tail = "\nseed: 12345";
    return `#${"x".repeat(bytes - 1 - tail.length)}${tail}`;
  };

  it(`reads a file of exactly ${MAX_CONFIG_BYTES} bytes whole`, () => {
    const path = join(dir, "exact.yaml");
    writeFileSync(path, sized(MAX_CONFIG_BYTES));
    expect(statSync(path).size).toBe(MAX_CONFIG_BYTES);
    expect(loadConfigFile(path)).toEqual({ seed: 12345 });
  });

  it("refuses one byte more", () => {
    const path = join(dir, "over.yaml");
    writeFileSync(path, sized(MAX_CONFIG_BYTES + 1));
    expect(configErrorLines(() => loadConfigFile(path))).toEqual([`${path}: 1.0 MB is over the 1.0 MB limit for a config file`]);
  });

  it("refuses a NUL at the very first byte", () => {
    const path = join(dir, "nul0.yaml");
    writeFileSync(path, Buffer.from([0, 0x61, 0x3a, 0x20, 0x31]));
    expect(configErrorLines(() => loadConfigFile(path))).toEqual([`${path}: binary content (a NUL byte at byte 0), expected a YAML or JSON text file`]);
  });
});

describe("the bracket counter (nesting checked before parsing)", () => {
  const deep = "[".repeat(40) + "]".repeat(40);

  it("skips comments, with or without a space after #, and at the start of the file", () => {
    expect(parseConfigText(`a: 1 #${deep}\n`, "c.yaml")).toEqual({ a: 1 });
    expect(parseConfigText(`#${deep}\na: 1\n`, "c.yaml")).toEqual({ a: 1 });
  });

  it("counts brackets after a # inside a word (not a comment)", () => {
    expect(configErrorLines(() => parseConfigText(`a: c#${deep}\n`, "c.yaml"))).toEqual(["c.yaml:1:38: nesting deeper than 32 levels"]);
  });

  it("ends a single-quoted string at its quote: a backslash escapes only in double quotes", () => {
    expect(configErrorLines(() => parseConfigText(`a: '\\'\nb: ${deep}\n`, "q.yaml"))).toEqual(["q.yaml:2:36: nesting deeper than 32 levels"]);
    expect(parseConfigText(`a: "\\" ${deep}"\n`, "q.yaml")).toEqual({ a: `" ${deep}` });
  });

  it("closes what it opened: many lists side by side are not deep", () => {
    const text = Array.from({ length: 3 * MAX_CONFIG_DEPTH }, (_, i) => `k${i}: [{a: [1]}]`).join("\n");
    expect(Object.keys(parseConfigText(text, "m.yaml") as object)).toHaveLength(3 * MAX_CONFIG_DEPTH);
  });
});

describe("the nesting limit, to the level (indentation: no brackets to count)", () => {
  const nested = (levels: number) => {
    let text = "";
    for (let i = 0; i < levels; i++) text += `${" ".repeat(i)}k${i}:\n`;
    return `${text}${" ".repeat(levels)}v\n`;
  };

  it(`accepts ${MAX_CONFIG_DEPTH} nested mappings and refuses ${MAX_CONFIG_DEPTH + 1}`, () => {
    let value = parseConfigText(nested(MAX_CONFIG_DEPTH), "n.yaml") as Record<string, unknown>;
    for (let i = 0; i < MAX_CONFIG_DEPTH - 1; i++) value = value[`k${i}`] as Record<string, unknown>;
    expect(value).toEqual({ [`k${MAX_CONFIG_DEPTH - 1}`]: "v" });
    expect(configErrorLines(() => parseConfigText(nested(MAX_CONFIG_DEPTH + 1), "n.yaml"))).toEqual(["n.yaml:33:33: nesting deeper than 32 levels"]);
  });
});

describe("positions and empty files", () => {
  it("gives the line and column of a JSON error on the error's own character", () => {
    // position 8 is the raw newline inside the string: still line 1, column 9
    expect(configErrorLines(() => parseJsonConfigText('{"a": "x\ny"}', "j.json"))).toEqual([
      "j.json:1:9: invalid JSON: Bad control character in string literal",
    ]);
  });

  it("calls a file with nothing but comments or blanks empty (YAML and JSON)", () => {
    expect(configErrorLines(() => parseConfigText("", "e.yaml"))).toEqual(["e.yaml: the file is empty"]);
    expect(configErrorLines(() => parseConfigText("# nothing yet\n\n", "e.yaml"))).toEqual(["e.yaml: the file is empty"]);
    expect(configErrorLines(() => parseJsonConfigText("null", "e.json"))).toEqual(["e.json: the file is empty"]);
  });

  it("lists syntax errors alone: repeated keys are only looked for in a file that parses", () => {
    expect(configErrorLines(() => parseConfigText("a: [1\nb: 2\nb: 3\n", "d.yaml"))).toEqual([
      "d.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
    expect(configErrorLines(() => parseConfigText("a: 1\nb: 2\nb: 3\n", "d.yaml"))).toEqual(["d.yaml:3:1: b: repeated key (first at line 2)"]);
  });
});
