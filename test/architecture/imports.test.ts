/**
 * The layering rules of CONTRIBUTING.md, measured on the source: no folder of
 * src/ imports one that imports it back (directly or round a longer loop), and
 * no two files import each other. Type-only imports count: a type lives in the
 * lowest folder that uses it.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = resolve(new URL("../../src", import.meta.url).pathname);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []);
}

/** Relative imports of a file (static, type-only and dynamic), as paths of .ts files under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
  return specs.map((s) => resolve(dirname(file), s).replace(/\.js$/, ".ts"));
}

/** The top folder of src/ a file belongs to ("." for files directly in src/). */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split("/");
  return parts.length === 1 ? "." : parts[0];
}

/** Every elementary loop of folders, as "a → b → a" strings (depth-first over the folder graph). */
export function folderCycles(edges: Map<string, Set<string>>): string[] {
  const cycles = new Set<string>();
  const visit = (start: string, node: string, path: string[]): void => {
    for (const next of edges.get(node) ?? []) {
      if (next === start) {
        const loop = [...path];
        const min = loop.indexOf([...loop].sort()[0]);
        const canonical = [...loop.slice(min), ...loop.slice(0, min)];
        cycles.add([...canonical, canonical[0]].join(" → "));
      } else if (!path.includes(next) && path.length < 8) visit(start, next, [...path, next]);
    }
  };
  for (const start of edges.keys()) visit(start, start, [start]);
  return [...cycles].sort();
}

describe("import layering of src/", () => {
  const files = sourceFiles(SRC);
  const imports = new Map(files.map((f) => [f, importsOf(f)]));

  it("reads the imports (the test would pass vacuously otherwise)", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(imports.get(join(SRC, "cli/main.ts"))?.length).toBeGreaterThan(3);
  });

  it("no two files import each other", () => {
    const pairs: string[] = [];
    for (const [file, targets] of imports) {
      for (const t of targets) {
        if (file < t && imports.get(t)?.includes(file)) pairs.push(`${relative(SRC, file)} ↔ ${relative(SRC, t)}`);
      }
    }
    expect(pairs).toEqual([]);
  });

  it("no folder imports one that imports it back", () => {
    const edges = new Map<string, Set<string>>();
    for (const [file, targets] of imports) {
      const from = folderOf(file);
      for (const t of targets) {
        const to = folderOf(t);
        if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    expect(folderCycles(edges)).toEqual([]);
  });

  it("finds a planted loop (the check can fail)", () => {
    const edges = new Map([["a", new Set(["b"])], ["b", new Set(["c"])], ["c", new Set(["a"])], ["d", new Set(["a"])]]);
    expect(folderCycles(edges)).toEqual(["a → b → c → a"]);
  });
});

/**
 * The packages a file loads when it is evaluated, and the files of src/ it loads: static value
 * imports only (`import type` is erased; a dynamic import( ) loads later, when called).
 */
function loadedBy(file: string): { packages: string[]; files: string[] } {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm)].map((m) => m[1]);
  return {
    packages: specs.filter((s) => !s.startsWith(".") && !s.startsWith("node:")),
    files: specs.filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s).replace(/\.js$/, ".ts")),
  };
}

/** Every package the evaluation of `entry` loads, with the first file of src/ that loads it. */
export function packagesLoadedFrom(entry: string): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const { packages, files } = loadedBy(file);
    for (const p of packages) if (!found.has(p)) found.set(p, relative(SRC, file));
    queue.push(...files);
  }
  return found;
}

describe("what a sweep worker loads (start-up of every worker thread, docs/speed.md)", () => {
  it("neither zod nor yaml: the config is resolved in the main thread", () => {
    const loaded = packagesLoadedFrom(join(SRC, "sweep/worker.ts"));
    expect(loaded.size).toBeGreaterThan(0); // csv-stringify and seedrandom at least: the walk reads imports
    expect([...loaded].filter(([p]) => /^(zod|yaml)(\/|$)/.test(p))).toEqual([]);
  });

  it("sees a package a file several imports away loads (the check can fail)", () => {
    const loaded = packagesLoadedFrom(join(SRC, "cli/main.ts"));
    expect(loaded.get("commander")).toBe("cli/main.ts");
    // config/resolve.ts is reached only through the lazily imported commands: not from main.ts
    expect(loaded.has("zod")).toBe(false);
    const validate = packagesLoadedFrom(join(SRC, "cli/commands/validate.ts"));
    expect(validate.has("zod") && validate.has("yaml")).toBe(true);
  });
});
