// Regenerates the reference sections of README.md and docs/*.md (between their
// `<!-- generated:NAME -->` markers) from the built source: `npm run docs` (after `npm run build`).
// test/docs/generated.test.ts fails when a committed section differs from what this writes.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { generatedSections, fillSections } from "../dist/cli/docs.js";

const root = new URL("../", import.meta.url);
const files = ["README.md", ...readdirSync(new URL("docs/", root)).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const sections = await generatedSections();
for (const file of files) {
  const url = new URL(file, root);
  const before = readFileSync(url, "utf8");
  const after = fillSections(before, sections);
  if (after !== before) {
    writeFileSync(url, after);
    console.log(`updated ${file}`);
  }
}
