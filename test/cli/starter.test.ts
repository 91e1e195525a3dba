/** `init`'s starter config: a bundled config with its $schema line pointing at the installed schema, never overwriting. */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { SCHEMA_FILE } from "../../src/package/assets.js";
import { bundledConfigNames, missingConfigLine, starterText, writeStarterConfig } from "../../src/cli/starter.js";
import { cli, ROOT } from "../e2e/cli.js";

const root = mkdtempSync(join(tmpdir(), "prune-sense-starter-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("starterText", () => {
  it("points an existing $schema line at the given schema, and adds one to a config without", () => {
    expect(starterText("# yaml-language-server: $schema=../x.json\nname: a\n", "/p/s.json")).toBe("# yaml-language-server: $schema=/p/s.json\nname: a\n");
    expect(starterText("name: a\n", "/p/s.json")).toBe("# yaml-language-server: $schema=/p/s.json\nname: a\n");
  });
});

describe("writeStarterConfig", () => {
  it("writes DIR/default.yaml, the bundled default config with the installed schema, creating DIR", () => {
    const dir = join(root, "new", "folder");
    const path = writeStarterConfig(dir);
    expect(path).toBe(join(dir, "default.yaml"));
    const text = readFileSync(path, "utf8");
    expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_FILE}`);
    expect(parse(text)).toEqual(parse(readFileSync(new URL("../../configs/default.yaml", import.meta.url), "utf8")));
  });

  it("refuses to overwrite a file in one line, unless forced", () => {
    const dir = join(root, "existing");
    writeStarterConfig(dir);
    writeFileSync(join(dir, "default.yaml"), "mine\n");
    expect(() => writeStarterConfig(dir)).toThrow(`${join(dir, "default.yaml")}: already exists (use --force to overwrite it)`);
    expect(readFileSync(join(dir, "default.yaml"), "utf8")).toBe("mine\n");
    writeStarterConfig(dir, { force: true });
    expect(readFileSync(join(dir, "default.yaml"), "utf8")).toContain("name: default");
  });

  it("copies any bundled config by name, and names them all when one is unknown", () => {
    expect(bundledConfigNames()).toEqual(expect.arrayContaining(["default", "quadratic-net", "paper/pruning"]));
    expect(writeStarterConfig(join(root, "paper"), { from: "paper/pruning" })).toBe(join(root, "paper", "pruning.yaml"));
    expect(() => writeStarterConfig(root, { from: "nope" })).toThrow(/^--from: no bundled config "nope" \(one of: default, /);
  });

  it("lists every bundled config, subfolders included, and takes a path under configs/ as its name", () => {
    const names = bundledConfigNames();
    for (const folder of ["", "methods/", "paper/"]) {
      const dir = join(ROOT, "configs", folder);
      for (const f of readdirSync(dir).filter((n) => n.endsWith(".yaml"))) expect(names).toContain(`${folder}${f.slice(0, -5)}`);
    }
    expect(writeStarterConfig(join(root, "as-path"), { from: "configs/methods/sgd.yaml" })).toBe(join(root, "as-path", "sgd.yaml"));
  });

  it("says when DIR is a file", () => {
    const file = join(root, "a-file");
    writeFileSync(file, "");
    expect(() => writeStarterConfig(file)).toThrow(`${file}: not a folder`);
  });
});

describe("init --from through the binary", () => {
  it("copies a config from any bundled folder (methods/, paper/); the copy validates where it lands", () => {
    for (const [from, file] of [["methods/penalties", "penalties.yaml"], ["paper/noise", "noise.yaml"]]) {
      const dir = join(root, "binary", from);
      const r = cli(["init", dir, "--from", from]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(join(dir, file));
      expect(parse(readFileSync(join(dir, file), "utf8"))).toEqual(parse(readFileSync(join(ROOT, "configs", `${from}.yaml`), "utf8")));
    }
    const v = cli(["validate", join(root, "binary", "methods/penalties", "penalties.yaml")]);
    expect(v.code, v.stderr).toBe(0);
  });
});

describe("a bundled config named where only a clone has it (an installed user copying --help)", () => {
  it("says how to get it, by path or by name; nothing for a file that exists or a name not bundled", () => {
    // the tests run from the clone's root, where configs/default.yaml exists and these do not
    expect(missingConfigLine("sweep-k-lambda-eps")).toBe(
      "sweep-k-lambda-eps: no such file; a bundled config of that name: `prune-sense init --from sweep-k-lambda-eps` copies it here as sweep-k-lambda-eps.yaml",
    );
    expect(missingConfigLine("./configs/paper/noise.yml")).toBeNull(); // not a bundled name (.yml)
    expect(missingConfigLine("paper/noise.yaml")).toMatch(/`prune-sense init --from paper\/noise` copies it here as noise\.yaml$/);
    expect(missingConfigLine("configs/default.yaml")).toBeNull();
    expect(missingConfigLine("no-such-config.yaml")).toBeNull();
  });
});
