/**
 * YAML text to one yaml Document, with the nesting limit enforced while parsing.
 * The yaml package's composer (CST → nodes) and toJS recurse once per level, so a
 * few thousand levels of `- - - …`, `? ? ? …` or `[[[…` overflow the call stack;
 * its parser is stack-based. So the lexemes are fed to the parser one by one and
 * the collections open on its stack are counted: deep input is refused at the
 * collection that crosses the limit, having read only the text up to it (a text
 * pre-scan cannot tell block nesting, or a quote in a plain scalar, from a string).
 */
import { Composer, CST, Lexer, LineCounter, Parser, type Document, type YAMLError } from "yaml";
import { ConfigError } from "../errors.js";
import { at } from "./position.js";

/** A tag as written in the text (`!!set`, `!foo`, `!<tag:…>`) and where it starts. */
export interface TagToken {
  offset: number;
  source: string;
}

export interface ParsedYaml {
  /** The first document (the composer makes an empty one for an empty text). */
  doc: Document.Parsed;
  /** Where a second document starts, if the text holds more than one. */
  secondDocOffset?: number;
  /** Every line start, for positions in messages. */
  lines: LineCounter;
  /** Every tag in source order: a tagged node's tag is the last one at or before the node's start. */
  tags: TagToken[];
}

/** Offset of the collection on the parser's stack `maxDepth + 1` levels deep, or -1. */
function tooDeepOffset(stack: readonly CST.Token[], maxDepth: number): number {
  let depth = 0;
  for (const token of stack) {
    if (CST.isCollection(token) && ++depth > maxDepth) return token.offset;
  }
  return -1;
}

/**
 * Lex, parse (refusing nesting past `maxDepth`) and compose `text`.
 * @throws {ConfigError} `FILE:LINE:COL: nesting deeper than 32 levels`
 */
export function parseYamlDocument(text: string, source: string, maxDepth: number): ParsedYaml {
  const lines = new LineCounter();
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0); // Parser.parse() does this; next() is called directly here
  const tokens: CST.Token[] = [];
  const tags: TagToken[] = [];
  let afterScalarMark = false;
  for (const lexeme of new Lexer().lex(text)) {
    // a lexeme after the scalar mark is a scalar's text, even if it starts with "!"
    if (!afterScalarMark && CST.tokenType(lexeme) === "tag") tags.push({ offset: parser.offset, source: lexeme });
    afterScalarMark = lexeme === CST.SCALAR;
    for (const token of parser.next(lexeme)) tokens.push(token);
    // the stack holds the document and what is open in it: only a deep one needs counting
    if (parser.stack.length > maxDepth) {
      const offset = tooDeepOffset(parser.stack, maxDepth);
      if (offset >= 0) throw new ConfigError(`${at(source, lines, offset)}: nesting deeper than ${maxDepth} levels`);
    }
  }
  for (const token of parser.end()) tokens.push(token);
  // uniqueKeys: the yaml package's check is quadratic in the number of keys; yaml-tree.ts checks them linearly
  const composer = new Composer({ uniqueKeys: false });
  let doc: Document.Parsed | undefined;
  let secondDocOffset: number | undefined;
  for (const d of composer.compose(tokens, true, text.length)) {
    if (!doc) doc = d;
    else if (secondDocOffset === undefined) secondDocOffset = d.range[0];
  }
  return { doc: doc!, secondDocOffset, lines, tags };
}

/** One line for a yaml parse error or warning: `FILE:LINE:COL: message`, without the package's own position suffix. */
export function yamlErrorLine(e: YAMLError, source: string, lines: LineCounter): string {
  return `${at(source, lines, e.pos[0])}: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`;
}
