/**
 * The generated reference sections of README.md and docs/ (config keys from the
 * schema, commands and options from the program) match the source: a stale
 * section fails here, and `npm run docs` rewrites it.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fillSections, generatedSections, markers } from "../../src/cli/docs.js";
import { ROOT } from "../e2e/cli.js";

const FILES = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

describe("generated doc sections", async () => {
  const sections = await generatedSections();

  it("are each present somewhere in the docs", () => {
    const all = FILES.map((f) => readFileSync(join(ROOT, f), "utf8")).join("\n");
    for (const name of Object.keys(sections)) expect(all, name).toContain(markers(name)[0]);
  });

  it.each(FILES)("%s is up to date (else: npm run docs)", (file) => {
    const text = readFileSync(join(ROOT, file), "utf8");
    expect(fillSections(text, sections)).toBe(text);
  });

  it("name every config key of the schema and every command of the program", () => {
    const keys = sections["config-keys"].join("\n");
    for (const key of ["`problem.kappa`", "`train.penalty.kind`", "`train.optimizer.batch_size`", "`prune.gap`", "`sweep`"]) expect(keys).toContain(key);
    expect(keys).toMatch(/\| `model\.k` \| integer > 0 \| `40` \|/);
    const commands = sections.commands.join("\n");
    for (const flag of ["--configs <dir>", "--max-memory", "--where", "--by <keys>"]) expect(commands).toContain(flag);
  });

  it("fill only between their markers, and refuse a start marker without its end", () => {
    const [start, end] = markers("x");
    expect(fillSections(`a\n${start}\nold\n${end}\nb`, { x: ["new"] })).toBe(`a\n${start}\nnew\n${end}\nb`);
    expect(() => fillSections(`a\n${start}\nold`, { x: ["new"] })).toThrow(/no/);
  });
});
