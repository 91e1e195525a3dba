// Bundles the compiled CLI (dist/) into dist/bundle/: one file per command plus shared chunks, so a start-up
// parses a few files instead of hundreds (`validate` in about half the time). Run by `npm run build`.
// dist/bundle/ sits at the same depth as dist/cli/, so every `new URL("../../…", import.meta.url)` still
// resolves; the WebAssembly kernels are copied beside the chunks that load them.
import { createHash } from "node:crypto";
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("../", import.meta.url);
rmSync(new URL("dist/bundle/", root), { recursive: true, force: true }); // no stale chunks from an earlier build
await build({
  absWorkingDir: root.pathname,
  entryPoints: ["dist/cli/main.js", "dist/sweep/worker.js", "dist/linalg/threads/moments-worker.js"],
  entryNames: "[name]",
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // native or large packages loaded only by some commands stay in node_modules
  external: ["@resvg/resvg-js", "vega", "vega-lite", "mathjs"],
  // CommonJS dependencies bundled into ESM call require() for Node's built-ins
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: "warning",
});
copyFileSync(new URL("dist/linalg/wasm/kernels.wasm", root), new URL("dist/bundle/kernels.wasm", root));
// The formulas' mathjs instance (src/config/formula-math.ts), alone and with only the parts of mathjs it names:
// required (synchronously) on a config's first formula, it loads in tens of milliseconds where the whole
// library takes about a second. Minified (mathjs's code, read by no one here; its licence comments kept).
await build({
  absWorkingDir: root.pathname,
  entryPoints: ["dist/config/formula-math.js"],
  outfile: "dist/bundle/formula-math.cjs",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  logLevel: "warning",
});

// The build's fingerprint: a SHA-256 over every file of dist/bundle/ (names and contents), so the data cache
// files data under the exact program that drew them (src/pipeline/data-cache.ts says why the whole bundle).
// Computed here, once per build: at run time it is one small read, never a hash of the program.
const bundleDir = new URL("dist/bundle/", root);
const fingerprint = createHash("sha256");
for (const name of readdirSync(bundleDir).sort()) {
  fingerprint.update(`${name}\0${createHash("sha256").update(readFileSync(new URL(name, bundleDir))).digest("hex")}\n`);
}
writeFileSync(new URL("build-fingerprint.txt", bundleDir), `${fingerprint.digest("hex")}\n`);
