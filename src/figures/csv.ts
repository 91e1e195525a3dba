/**
 * A small CSV reader for the files `prune-sense run` writes. They are plain
 * (no quotes), except that summary.csv's `error` column may hold quoted text,
 * so the reader follows RFC 4180 anyway: quoted fields, doubled quotes, commas
 * and newlines inside quotes, CRLF or LF line ends.
 */

/** A CSV row keyed by header name; every value is the raw field text. */
export type CsvRecord = Record<string, string>;

/**
 * Split CSV text into rows of fields.
 * @example parseCsvRows('a,b\n1,"x, ""y"""\n') // [["a","b"],["1",'x, "y"']]
 */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  // A row is pending once any character of it has been read, so a final line
  // without a newline still counts but a trailing newline adds no empty row.
  let pending = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
      continue;
    }
    if (c === '"') {
      quoted = true;
      pending = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
      pending = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (pending) rows.push([...row, field]);
      row = [];
      field = "";
      pending = false;
    } else {
      field += c;
      pending = true;
    }
  }
  if (pending) rows.push([...row, field]);
  return rows;
}

/**
 * Parse CSV text with a header line into records. Missing trailing fields read
 * as "" and extra fields are dropped, so one ragged line cannot shift columns.
 * @example parseCsv("a,b\n1,2\n") // [{ a: "1", b: "2" }]
 */
export function parseCsv(text: string): CsvRecord[] {
  const [header, ...body] = parseCsvRows(text.replace(/^\uFEFF/, ""));
  if (!header) return [];
  return body.map((fields) => Object.fromEntries(header.map((name, j) => [name, fields[j] ?? ""])));
}

/**
 * The number a results CSV field stands for: "NaN", "Inf"/"-Inf" (also
 * "Infinity"), a decimal, or null for an empty field. Unparseable text → NaN.
 * @example parseNumber("Inf") // Infinity
 */
export function parseNumber(field: string | undefined): number | null {
  const s = (field ?? "").trim();
  if (s === "") return null;
  if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  return Number(s); // "NaN" and junk both give NaN
}
