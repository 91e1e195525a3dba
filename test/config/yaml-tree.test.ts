/**
 * Tags, key types and repeated keys in a YAML config: what the schema cannot read
 * is refused in one line naming the tag (as written) or key, its line and its key
 * path; the core-schema tags are accepted where the value is of their type.
 * In-process, through parseConfigText (the path `run` and `validate` take).
 */
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load.js";
import { planRuns } from "../../src/sweep/plan.js";
import { configErrorLines } from "../helpers.js";

const NOT_SUPPORTED = "is not supported (a config holds only mappings, lists, text, numbers, true/false and null)";
const linesOf = (text: string) => configErrorLines(() => parseConfigText(text, "c.yaml"));

describe("tags the schema cannot read", () => {
  it("refuses a tagged collection at the top level instead of running the defaults", () => {
    expect(linesOf("--- !!omap\n- name: x\n- seed: 3\n")).toEqual([`c.yaml:1:5: (top level): the YAML tag !!omap ${NOT_SUPPORTED}`]);
  });

  it.each([
    ["!!set", "problem: !!set\n  ? d\n"],
    ["!!omap", "problem: !!omap\n- d: 3\n"],
    ["!!pairs", "problem: !!pairs\n- d: 3\n"],
    ["!foo", "problem: !foo\n  d: 3\n"],
  ])("refuses a section tagged %s, on the tag's line", (tag, body) => {
    expect(linesOf(`name: x\n${body}`)).toEqual([`c.yaml:2:10: problem: the YAML tag ${tag} ${NOT_SUPPORTED}`]);
  });

  it("names !!binary and !!timestamp values by their tag, not as a mapping", () => {
    expect(linesOf("seed: !!timestamp 2001-12-14\nmodel:\n  k: !!binary aGVsbG8=\n")).toEqual([
      `c.yaml:1:7: seed: the YAML tag !!timestamp ${NOT_SUPPORTED}`,
      `c.yaml:3:6: model.k: the YAML tag !!binary ${NOT_SUPPORTED}`,
    ]);
  });

  it("gives the tag as written: a %TAG handle, a verbatim tag, inside lists and flow mappings", () => {
    expect(linesOf("%TAG !e! tag:example.com,2000:\n---\nsweep:\n  zip:\n    - {key: !e!axis [1]}\n")).toEqual([
      `c.yaml:5:13: sweep.zip.0.key: the YAML tag !e!axis ${NOT_SUPPORTED}`,
    ]);
    expect(linesOf("train: !<tag:yaml.org,2002:set> {lambda}\n")).toEqual([
      `c.yaml:1:8: train: the YAML tag !<tag:yaml.org,2002:set> ${NOT_SUPPORTED}`,
    ]);
  });

  it("refuses a tagged key, and an anchored tagged node once (where it is defined, not at each alias)", () => {
    expect(linesOf("!!binary aGk=: 1\n")).toEqual([`c.yaml:1:1: (top level): a key: the YAML tag !!binary ${NOT_SUPPORTED}`]);
    expect(linesOf("a: &s !!set {x}\nb: *s\nc: *s\n")).toEqual([`c.yaml:1:7: a: the YAML tag !!set ${NOT_SUPPORTED}`]);
  });

  it("refuses a %YAML 1.1 timestamp written without a tag, saying how to keep it as text", () => {
    expect(linesOf("%YAML 1.1\n---\nname: 2001-12-14\n")).toEqual([
      "c.yaml:3:7: name: the value reads as !!timestamp, which a config cannot hold (quote it to keep it as text)",
    ]);
    expect(parseConfigText("%YAML 1.1\n---\nname: '2001-12-14'\n", "c.yaml")).toEqual({ name: "2001-12-14" });
  });

  it("lists every refused tag in file order, a refused collection once (not its items)", () => {
    expect(linesOf("a: !!set {x, y, z}\nb: !!omap [{c: !foo 1}]\nc: !bar 1\n")).toEqual([
      `c.yaml:1:4: a: the YAML tag !!set ${NOT_SUPPORTED}`,
      `c.yaml:2:4: b: the YAML tag !!omap ${NOT_SUPPORTED}`,
      `c.yaml:3:4: c: the YAML tag !bar ${NOT_SUPPORTED}`,
    ]);
  });
});

describe("the core-schema tags", () => {
  it("accepts them where the value is of their type: they only say which plain type it is", () => {
    expect(parseConfigText("a: !!str 5\nb: !!int 3\nc: !!float 1.5\nd: !!bool true\ne: !!null ~\nf: !!map {x: 1}\ng: !!seq [1]\nh: ! 12\n", "c.yaml")).toEqual({
      a: "5", b: 3, c: 1.5, d: true, e: null, f: { x: 1 }, g: [1], h: "12",
    });
    expect(parseConfigText("--- !!map\nseed: !!int 4\n", "c.yaml")).toEqual({ seed: 4 });
  });

  it("leaves the value's type to the schema: !!str on a number field is the schema's one line", () => {
    expect(configErrorLines(() => planRuns(parseConfigText("seed: !!str 5\n", "c.yaml"), [], { maxMemory: 2 ** 31, maxRuns: 10 }))).toEqual([
      'seed: expected number, got "5"',
    ]);
  });

  it("refuses one whose value is not of its type", () => {
    const hint = "(remove the tag, or write a value of that type)";
    expect(linesOf("a: !!int 3.5\nb: !!map [1]\nc: !!seq {x: 1}\nd: !!bool maybe\n")).toEqual([
      `c.yaml:1:4: a: the value does not read as !!int ${hint}`,
      `c.yaml:2:4: b: the value does not read as !!map ${hint}`,
      `c.yaml:3:4: c: the value does not read as !!seq ${hint}`,
      `c.yaml:4:4: d: the value does not read as !!bool ${hint}`,
    ]);
  });
});

describe("keys", () => {
  it("refuses a list or mapping as a key (JS would stringify it), with no process warning", () => {
    expect(linesOf("? [a, b]\n: 1\nname: x\n")).toEqual(["c.yaml:1:3: (top level): a key must be plain text, got a list"]);
    expect(linesOf("model:\n  ? {k: 1}\n  : 2\n")).toEqual(["c.yaml:2:5: model: a key must be plain text, got a mapping"]);
  });

  it("compares keys as the names they become: 1 and \"1\", ~ and \"\", an alias and its value", () => {
    expect(linesOf('1: a\n"1": b\n')).toEqual(["c.yaml:2:1: 1: repeated key (first at line 1)"]);
    expect(linesOf('~: a\n"": b\n')).toEqual(['c.yaml:2:1: "": repeated key (first at line 1)']);
    expect(linesOf("x: &k seed\nm:\n  seed: 1\n  *k : 2\n")).toEqual(["c.yaml:4:3: m.seed: repeated key (first at line 3)"]);
  });

  it("refuses repeated keys in JSON-looking YAML, naming the key", () => {
    expect(linesOf('{"name": "a",\n "model": {"k": 4, "k": 8}, "name": "b"}\n')).toEqual([
      "c.yaml:2:20: model.k: repeated key (first at line 2)",
      "c.yaml:2:29: name: repeated key (first at line 1)",
    ]);
  });

  it("refuses a second document in one line", () => {
    expect(linesOf("name: x\n---\nseed: 2\n")).toEqual(['c.yaml:2:1: a second YAML document (a config is one document: remove the "---" line or split the file)']);
  });
});
