/**
 * Checks on a parsed YAML tree before it becomes a plain object, one line each
 * with its place (`FILE:LINE:COL: key.path: …`):
 * - tags the schema cannot read. A config holds mappings, lists, text, numbers,
 *   true/false and null; yaml turns `!!omap`/`!!set` into a JS Map/Set (which
 *   reads as an empty object: the defaults would run), `!!binary` into bytes,
 *   `!!timestamp` into a Date, and keeps the text of a `!foo` it does not know.
 *   The core-schema tags (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map`,
 *   `!!seq`, and the non-specific `!`) are accepted where the value is of that
 *   type: they only say which plain type a value is, and the schema judges it next.
 * - keys that are lists or mappings (JS would stringify them);
 * - repeated keys, compared as the property names they become (`1` and `"1"` are one key).
 * Iterative (a stack, no recursion) and linear in the number of nodes.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import { keyForMessage } from "./issues.js";
import { at, lineOf } from "./position.js";
import type { TagToken } from "./yaml-parse.js";

const CORE = "tag:yaml.org,2002:";

/** The core-schema scalar tags, each with the JS type its value must have. */
const SCALAR_TAGS: Readonly<Record<string, (v: unknown) => boolean>> = {
  [`${CORE}str`]: (v) => typeof v === "string",
  [`${CORE}int`]: (v) => typeof v === "number" && Number.isInteger(v),
  [`${CORE}float`]: (v) => typeof v === "number",
  [`${CORE}bool`]: (v) => typeof v === "boolean",
  [`${CORE}null`]: (v) => v === null,
  "!": (v) => typeof v === "string",
};

/** One problem and where it starts (for sorting into file order). */
export interface TreeIssue {
  offset: number;
  line: string;
}

/** Whether a scalar's value is one of the plain types a config holds. */
function isPlainValue(v: unknown): boolean {
  return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

/** The written tag of a tagged node starting at `start`: the last tag token at or before it (binary search). */
function writtenTag(tags: readonly TagToken[], start: number): TagToken | undefined {
  let lo = 0;
  let hi = tags.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tags[mid].offset <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? tags[lo - 1] : undefined;
}

/** `tag:yaml.org,2002:set` → `!!set`; other tags as resolved. */
function shortTag(tag: string): string {
  return tag.startsWith(CORE) ? `!!${tag.slice(CORE.length)}` : tag;
}

/**
 * What is wrong with a node's type, if anything: an unsupported tag, a core tag its
 * value does not fit, or (untagged) a value an older schema turned into a non-plain
 * type (`%YAML 1.1` reads 2001-12-14 as a date).
 */
function typeProblem(node: Node, doc: Document.Parsed, tags: readonly TagToken[]): { offset: number; what: string } | undefined {
  const start = node.range?.[0] ?? 0;
  if (node.tag === undefined) {
    if (!isScalar(node) || isPlainValue(node.value)) return undefined;
    const implied = doc.schema.tags.find((t) => t.identify?.(node.value))?.tag;
    return { offset: start, what: `the value reads as ${implied ? shortTag(implied) : typeof node.value}, which a config cannot hold (quote it to keep it as text)` };
  }
  const fits = isScalar(node)
    ? SCALAR_TAGS[node.tag]?.(node.value)
    : (isMap(node) && (node.tag === `${CORE}map` || node.tag === "!")) || (isSeq(node) && (node.tag === `${CORE}seq` || node.tag === "!"));
  if (fits) return undefined;
  const written = writtenTag(tags, start);
  const offset = written?.offset ?? start;
  const name = keyForMessage(written?.source ?? shortTag(node.tag));
  const known = SCALAR_TAGS[node.tag] !== undefined || node.tag === `${CORE}map` || node.tag === `${CORE}seq`;
  return {
    offset,
    what: known
      ? `the value does not read as ${name} (remove the tag, or write a value of that type)`
      : `the YAML tag ${name} is not supported (a config holds only mappings, lists, text, numbers, true/false and null)`,
  };
}

/** The property name a scalar key becomes in JS (as yaml's toJS makes it), or undefined for a list or mapping key. */
function keyName(key: unknown, doc: Document.Parsed): string | undefined {
  const node = isAlias(key) ? key.resolve(doc) : key;
  if (node === null || node === undefined) return "";
  if (!isScalar(node)) return undefined;
  return node.value === null ? "" : String(node.value);
}

/** `path.key`; an empty key shows as "" (a null key becomes one too). */
function childPath(path: string, key: string): string {
  const shown = key === "" ? '""' : key;
  return path === "" ? shown : `${path}.${shown}`;
}

/** Every tag, key-type and repeated-key problem in `doc`, in no particular order. */
export function treeIssues(doc: Document.Parsed, source: string, lines: LineCounter, tags: readonly TagToken[]): TreeIssue[] {
  const issues: TreeIssue[] = [];
  const push = (offset: number, path: string, what: string) =>
    issues.push({ offset, line: `${at(source, lines, offset)}: ${path === "" ? "(top level)" : path}: ${what}` });
  const stack: Array<{ node: unknown; path: string }> = [{ node: doc.contents, path: "" }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (!node || isAlias(node)) continue; // an alias's target is checked where it is defined
    const problem = typeProblem(node as Node, doc, tags);
    if (problem) {
      push(problem.offset, path, problem.what);
      continue; // one line for a refused node, not one per item inside it
    }
    if (isMap(node)) {
      const first = new Map<string, number>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const keyStart = keyNode?.range?.[0] ?? node.range?.[0] ?? 0;
        // a merge key (`<<`, YAML 1.1) holds a symbol: it merges, it is not a property
        if (isScalar(keyNode) && typeof keyNode.value === "symbol") {
          stack.push({ node: pair.value, path });
          continue;
        }
        const keyProblem = keyNode && !isAlias(keyNode) ? typeProblem(keyNode, doc, tags) : undefined;
        if (keyProblem) {
          push(keyProblem.offset, path, `a key: ${keyProblem.what}`);
          continue;
        }
        const name = keyName(keyNode, doc);
        if (name === undefined) {
          push(keyStart, path, `a key must be plain text, got ${isSeq(keyNode) || (isAlias(keyNode) && isSeq(keyNode.resolve(doc))) ? "a list" : "a mapping"}`);
          continue;
        }
        const key = keyForMessage(name);
        const seen = first.get(name);
        if (seen !== undefined) push(keyStart, childPath(path, key), `repeated key (first at line ${lineOf(lines, seen)})`);
        else first.set(name, keyStart);
        stack.push({ node: pair.value, path: childPath(path, key) });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, path: childPath(path, String(i)) }));
    }
  }
  return issues;
}
