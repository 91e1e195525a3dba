/**
 * The package as users get it: `npm pack` a clean copy of the sources (its
 * prepack script builds dist/ and the WebAssembly kernels), install the tarball
 * into a temporary global prefix, and run every command through the installed
 * binary from a folder that has nothing but what `init` writes there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { kernelBackend } from "../../src/package/provenance.js";
import { DATA_STREAM } from "../../src/random/streams.js";
import { CLAIMS } from "../../src/reproduce/claims.js";
import { ROOT, tempDir } from "./cli.js";

/** Packing builds twice (prepack, prepare) and installing fetches dependencies (from the npm cache when it can). */
const SETUP_TIMEOUT = 600_000;
/** reproduce --quick takes ~11 s alone; on a busy 2-core machine running the rest of the suite, several times that. */
const COMMAND_TIMEOUT = 400_000;
/** Top-level entries of the repository a source copy leaves out: built, installed or generated. */
const NOT_SOURCES = new Set(["node_modules", "dist", ".git", "results"]);

interface PackedFile {
  path: string;
  size: number;
}
interface PackInfo {
  filename: string;
  size: number;
  entryCount: number;
  files: PackedFile[];
}

/** Environment for nested npm: this suite may itself run under `npm test`, whose lifecycle variables must not leak. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", CI: "true" };
  for (const key of Object.keys(env)) {
    if (/^npm_(lifecycle_|package_|command$|config_global$|config_prefix$)/i.test(key)) delete env[key];
  }
  return env;
}

interface Exit {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run a command without blocking the test worker (a long spawnSync starves vitest's own messages). */
function sh(cmd: string, args: string[], cwd: string, timeout = SETUP_TIMEOUT): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: npmEnv(), timeout, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function check(r: Exit, what: string): Exit {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/**
 * Copy the sources as a fresh clone would have them: the files git tracks or
 * would track (so nothing ignored, built or generated comes along), else
 * everything but NOT_SOURCES when git is unavailable.
 */
function copySources(dest: string): void {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  if (listed.status !== 0) {
    cpSync(ROOT, dest, { recursive: true, filter: (p) => !NOT_SOURCES.has(relative(ROOT, p).split(sep)[0]) });
    return;
  }
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue; // deleted but not yet committed
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dest, file));
  }
}

describe("the npm package, packed and installed", () => {
  const root = tempDir("package");
  const user = join(root, "user");
  const prefix = join(root, "prefix");
  let pack: PackInfo;
  let bin: string;

  /** `prune-sense ARGS` through the installed binary, from the user's folder. */
  const installed = (args: string[]) => sh(bin, args, user, COMMAND_TIMEOUT);

  beforeAll(async () => {
    const src = join(root, "src");
    copySources(src);
    symlinkSync(join(ROOT, "node_modules"), join(src, "node_modules"), "dir");
    mkdirSync(join(root, "pack"));
    const packed = check(await sh("npm", ["pack", "--json", "--pack-destination", join(root, "pack")], src), "npm pack");
    pack = (JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as PackInfo[])[0];
    const tarball = join(root, "pack", pack.filename);
    check(await sh("npm", ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", tarball], root), "npm install -g");
    bin = join(prefix, "bin", "prune-sense");
    mkdirSync(user);
  }, SETUP_TIMEOUT);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("holds the built code, the kernels, the configs, the schema, README and LICENSE, and no tests", () => {
    const paths = pack.files.map((f) => f.path);
    for (const needed of ["bin/prune-sense.js", "dist/bundle/main.js", "dist/bundle/worker.js", "dist/bundle/kernels.wasm", "dist/bundle/formula-math.cjs", "dist/bundle/build-fingerprint.txt", "configs/default.yaml",
      "configs/paper/pruning.yaml", "prune-sense.schema.json", "README.md", "LICENSE", "package.json"]) {
      expect(paths, needed).toContain(needed);
    }
    // the reference outputs (reproduce --compare's default) and the user docs ship; nothing else of results/
    for (const needed of ["results/reference/reference.json", "docs/configs.md", "CHANGELOG.md"]) expect(paths, needed).toContain(needed);
    // the example plug-ins, their configs and claims ship (docs/plugins.md runs them from the package)
    for (const needed of ["docs/plugins.md", "examples/plugins/mcp.mjs", "examples/plugins/matrix-completion.yaml", "examples/plugins/claims.yaml"]) expect(paths, needed).toContain(needed);
    // the bundle only: nothing loads the unbundled compiled modules
    const stray = paths.filter((p) => p !== "results/reference/reference.json" && /^(test|src|wasm|\.ci|results)\/|^dist\/(?!bundle\/)|\.test\.|\.map$|^tsconfig|^vitest/.test(p));
    expect(stray).toEqual([]);
    // bloat guard, not the exact figure: docs/install.md states the measured size and count
    // (dist/bundle/ holds the dependencies a command loads: most of the size; 0.2.1 ships it alone)
    expect(pack.size).toBeLessThan(600_000);
    expect(pack.entryCount).toBeLessThan(150);
    // and docs/install.md's "about N kB, M files" is that measurement, within 5%
    const [, kB, files] = /about (\d+) kB,\s+(\d+) files/.exec(readFileSync(join(ROOT, "docs/install.md"), "utf8")) ?? [];
    expect(Math.abs(pack.size / 1000 / Number(kB) - 1)).toBeLessThan(0.05);
    expect(Math.abs(pack.entryCount / Number(files) - 1)).toBeLessThan(0.05);
    expect(paths.some((p) => p.startsWith("docs/figures/"))).toBe(false);
  });

  it("prints its version and what it runs on", async () => {
    const r = check(await installed(["--version", "--verbose"]), "--version --verbose");
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(r.stdout).toContain(`prune-sense ${version}\ndata stream ${DATA_STREAM}\nnode ${process.version}\nkernels ${kernelBackend()}\n`);
  });

  it("init writes a starter config whose $schema is the installed schema, and refuses to overwrite it", async () => {
    const r = check(await installed(["init"]), "init");
    expect(r.stdout.trim()).toBe("default.yaml");
    const first = readFileSync(join(user, "default.yaml"), "utf8").split("\n")[0];
    const schema = join(prefix, "lib", "node_modules", "prune-sense", "prune-sense.schema.json");
    expect(first).toBe(`# yaml-language-server: $schema=${schema}`);
    expect(existsSync(schema)).toBe(true);
    const again = await installed(["init"]);
    expect(again.status).toBe(2);
    expect(again.stderr.trim().split("\n")).toEqual(["error: default.yaml: already exists (use --force to overwrite it)"]);
  });

  it("validates, runs, plots and prints the schema from the user's folder", async () => {
    expect(check(await installed(["validate", "default.yaml"]), "validate").stdout).toMatch(/^# default\.yaml: valid, 1 run/);
    check(await installed(["run", "default.yaml", "--set", "train.steps=300", "--set", "finetune.steps=100"]), "run");
    const [runId] = readdirSync(join(user, "results", "default", "runs"));
    const record = JSON.parse(readFileSync(join(user, "results", "default", "runs", runId, "result.json"), "utf8"));
    expect(record.provenance).toMatchObject({ node: process.version, kernels: kernelBackend() });
    const plotted = check(await installed(["plot", "results/default"]), "plot").stdout.trim().split("\n");
    expect(plotted.length).toBeGreaterThanOrEqual(2);
    for (const png of plotted) expect(existsSync(join(user, png)), png).toBe(true);
    const schema = JSON.parse(check(await installed(["schema"]), "schema").stdout);
    expect(schema).toEqual(JSON.parse(readFileSync(join(ROOT, "prune-sense.schema.json"), "utf8")));
  }, COMMAND_TIMEOUT);

  it("runs the example plug-ins from the installed package: plugin test passes on each, a config naming one runs", async () => {
    const examples = join(prefix, "lib", "node_modules", "prune-sense", "examples", "plugins");
    const files = ["mcp", "adam", "taylor-prune", "matrix-completion"].map((f) => join(examples, `${f}.mjs`));
    const tested = check(await installed(["plugin", "test", ...files]), "plugin test");
    expect(tested.stdout).not.toContain("FAIL");
    check(await installed(["run", join(examples, "matrix-completion.yaml"), "--out", "mc", "--jobs", "2", "--set", "train.steps=300", "--set", "finetune.steps=100"]), "run");
    const summary = readFileSync(join(user, "mc", "summary.csv"), "utf8");
    expect(summary.trim().split("\n").slice(1).every((row) => row.includes(",ok,matrix-completion,"))).toBe(true);
  }, COMMAND_TIMEOUT);

  it("reproduces the paper (--quick) into --out anywhere, with the bundled claim configs", async () => {
    // --compare alone: the reference inside the installed package, no clone needed
    const r = await installed(["reproduce", "--quick", "--out", "X", "--jobs", "2", "--compare"]);
    // only the claims known to fail (findings, docs/claims.md) read FAIL
    const findings = CLAIMS.filter((c) => c.finding).map((c) => c.id);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("FAIL") && !findings.some((id) => l.startsWith(`FAIL  ${id} `)))).toEqual([]);
    expect(r.stdout).toContain(`against ${join(prefix, "lib", "node_modules", "prune-sense", "results", "reference")}`);
    expect(r.status).toBe(0);
    const report = readFileSync(join(user, "X", "REPORT.md"), "utf8");
    expect(report).toContain(`Produced by prune-sense `);
    expect(existsSync(join(user, "X", "report.html"))).toBe(true);
  }, COMMAND_TIMEOUT);
});
