/**
 * Repeated keys in JSON text. JSON.parse keeps the last of two equal keys without a
 * word; a config refuses them as its YAML reader does. One linear pass over text
 * JSON.parse has accepted, so only strings, brackets, colons and commas matter.
 */
import { keyForMessage } from "./issues.js";

/** A key given twice in one object: its dotted path, where it is repeated, and where it was first given. */
export interface RepeatedJsonKey {
  path: string;
  offset: number;
  firstOffset: number;
}

interface Frame {
  /** null for an array */
  keys: Map<string, number> | null;
  path: string;
  /** the last key read (objects) or the current index (arrays) */
  at: string | number;
}

/** The end of the JSON string starting at `i` (its closing quote). */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  while (text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
  return j;
}

/** `path.key`; an empty key shows as "". */
function join(path: string, key: string): string {
  const shown = key === "" ? '""' : key;
  return path === "" ? shown : `${path}.${shown}`;
}

/** Every repeated key of valid JSON `text`, in file order. */
export function repeatedJsonKeys(text: string): RepeatedJsonKey[] {
  const out: RepeatedJsonKey[] = [];
  const stack: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 34) {
      const end = stringEnd(text, i);
      if (expectKey && top?.keys) {
        // compare decoded keys: "a" and "\u0061" are one key (decoding only what holds an escape)
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
        const first = top.keys.get(key);
        if (first !== undefined) out.push({ path: join(top.path, keyForMessage(key)), offset: i, firstOffset: first });
        else top.keys.set(key, i);
        top.at = key;
        expectKey = false;
      }
      i = end;
    } else if (c === 123 || c === 91) {
      const path = top ? join(top.path, keyForMessage(String(top.at))) : "";
      stack.push({ keys: c === 123 ? new Map() : null, path, at: 0 });
      expectKey = c === 123;
    } else if (c === 125 || c === 93) {
      stack.pop();
    } else if (c === 44 && top) {
      if (top.keys) expectKey = true;
      else top.at = (top.at as number) + 1;
    }
  }
  return out;
}
