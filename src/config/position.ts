/**
 * Where something is in a config's text, as messages give it: `FILE:LINE:COL`.
 * One LineCounter per text (yaml's: a sorted list of line starts, searched in
 * O(log lines)), so naming many places costs no rescans of the text.
 */
import { LineCounter } from "yaml";

/** A LineCounter holding every line start of `text` (the YAML parser fills its own while it reads). */
export function lineCounterOf(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines.addNewLine(i + 1);
  return lines;
}

/** `source:line:col` of a character offset. */
export function at(source: string, lines: LineCounter, offset: number): string {
  const pos = lines.linePos(offset);
  return `${source}:${pos.line}:${pos.col}`;
}

/** The 1-based line of a character offset. */
export function lineOf(lines: LineCounter, offset: number): number {
  return lines.linePos(offset).line;
}
