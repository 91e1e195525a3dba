/**
 * Property-based fuzzing of config parsing (fast-check): random mutations of the
 * bundled configs, as text and as parsed trees, and random byte strings go
 * through the path the CLI takes (bytes → text → YAML/JSON → shape → sweep →
 * resolve → limits). Every outcome is a plan or a user error of a few printable
 * lines; never another exception (exit 70 in the CLI). A handful go through the
 * real binary, which must exit 0 or 2, print no stack trace, and leave --out alone.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { printable, UserError } from "../../src/errors.js";
import { parseConfigBytes } from "../../src/config/load.js";
import { parseOverrides } from "../../src/sweep/expand.js";
import { planRuns } from "../../src/sweep/plan.js";
import { cli, ROOT, tempDir } from "../e2e/cli.js";

const dir = tempDir("fuzz");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Small limits keep each case fast (the bundled 108- and 144-run sweeps stop at the run count; the
 * 12-run fixture and the single-run configs resolve fully); they are the CLI's checks with other numbers.
 */
const LIMITS = { maxMemory: 2 * 1024 ** 3, maxRuns: 40 };

/** Cases per property, and the seed: fixed in CI; PRUNE_SENSE_FUZZ_RUNS=100000 PRUNE_SENSE_FUZZ_SEED=7 for a long session. */
const RUNS = Number(process.env.PRUNE_SENSE_FUZZ_RUNS ?? 500);
const SEED = Number(process.env.PRUNE_SENSE_FUZZ_SEED ?? 10);

const CONFIG_FILES = [
  ...readdirSync(join(ROOT, "configs")).filter((f) => f.endsWith(".yaml")).map((f) => join(ROOT, "configs", f)),
  ...readdirSync(join(ROOT, "configs", "paper")).map((f) => join(ROOT, "configs", "paper", f)),
  join(ROOT, "test", "fixtures", "configs", "tiny-sweep.yaml"),
];
const TEXTS = CONFIG_FILES.map((f) => readFileSync(f, "utf8"));

type Outcome = { ok: true; runs: number } | { ok: false; lines: string[] };

/** What the CLI does with a file's bytes, in-process: a plan, or the lines of a user error. Anything else throws. */
function outcome(bytes: Uint8Array, name: string): Outcome {
  try {
    return { ok: true, runs: planRuns(parseConfigBytes(bytes, name), [], LIMITS).runs.length };
  } catch (err) {
    if (err instanceof UserError) return { ok: false, lines: err.lines };
    throw err;
  }
}

function expectWellFormed(o: Outcome): void {
  if (o.ok) {
    expect(o.runs).toBeGreaterThan(0);
    return;
  }
  expect(o.lines.length).toBeGreaterThan(0);
  expect(o.lines.length).toBeLessThanOrEqual(100);
  for (const line of o.lines) {
    expect(typeof line).toBe("string");
    expect(printable(line)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(line).not.toMatch(/\n\s+at /);
  }
}

/** Fragments that have broken parsers and validators before. */
const NASTY = [
  ":", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "<<: *a", "!!binary ", "!!js/function ", "? ", "|\n", ">\n", "#", '"', "'",
  "\t", "\n", "\n  ", "\u0000", "\u001b[2J", "\u202e", "\ufeff", "é", "1e400", "-1", "0", ".nan", ".inf", "1e9", "null", "~", "true",
  '"sum(1:1e9)"', '"zeros(30000, 30000)"', "[]", "{}", "{ from: 1, to: 1e9, num: 1e9 }", "zip: []", "..", "__proto__: ", "constructor: ",
  "model.k: ", "sweep:\n  seed: ", "name: ", "train:\n  steps: ", "problem:\n  d: ",
  "!!omap ", "!!set ", "!!pairs ", "!!timestamp ", "!foo ", "!!str ", "!!map ", "--- !!omap\n", "%YAML 1.1\n---\n",
];

/** Whether a parsed value holds only what a config can (a Map, Set, Date or bytes would be read as something else). */
function isPlain(v: unknown): boolean {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return true;
  if (Array.isArray(v)) return v.every(isPlain);
  return Object.getPrototypeOf(v) === Object.prototype && Object.values(v as object).every(isPlain);
}

const textMutation = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), what: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 }), fc.string({ unit: "binary", maxLength: 4 })) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }),
);
type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function mutateText(text: string, edits: readonly TextMutation[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length ? e.at % (t.length + 1) : 0;
    if (e.kind === "insert") t = t.slice(0, at) + e.what + t.slice(at);
    else if (e.kind === "delete") t = t.slice(0, at) + t.slice(at + e.length);
    else t = t.slice(0, at) + t.slice(at, at + e.length) + t.slice(at);
  }
  return t;
}

/** Values a mutated key may take: everything YAML or JSON can express, and the limits' edges. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, 1, 2.5, 1e9, 1e12, 1e400, -0, 8e6, 100000, null, true, "", "..", "sum(1:1e9)", "d^d^d", "sigma_r / 0", "log(-1)", "\u001b]0;x\u0007"),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.constant([]),
  fc.array(fc.oneof(fc.integer({ min: -5, max: 50 }), fc.string({ maxLength: 5 })), { maxLength: 5 }),
  fc.record({ from: fc.double(), to: fc.double(), num: fc.oneof(fc.integer({ min: -2, max: 50 }), fc.constant(1e9)) }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 3 }),
);

/** Dotted paths to touch: the real ones (so mutations reach the validators) and some that are not. */
const PATHS = [
  "name", "seed", "problem", "problem.kind", "problem.d", "problem.r", "problem.kappa", "problem.n", "problem.n_test", "problem.noise",
  "model", "model.k", "model.init_scale", "train", "train.lambda", "train.beta", "train.step_size", "train.steps", "train.grad_tol",
  "train.perturb", "train.perturb.radius", "train.perturb.every", "prune.threshold", "prune.relative_threshold", "finetune.steps",
  "finetune.step_size", "log.every", "sweep", "sweep.seed", "sweep.model.k", "sweep.zip", "sweep.train.lambda", "sweep.nope", "extra", "train.lamda",
];

function setDotted(obj: Record<string, unknown>, path: string, v: unknown, remove: boolean): void {
  // sweep keys are themselves dotted: "sweep.model.k" sets key "model.k" of sweep
  const parts = path.startsWith("sweep.") ? ["sweep", path.slice(6)] : path.split(".");
  let node: Record<string, unknown> = obj;
  for (const p of parts.slice(0, -1)) {
    if (node[p] === null || typeof node[p] !== "object" || Array.isArray(node[p])) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  if (remove) delete node[parts[parts.length - 1]];
  else node[parts[parts.length - 1]] = v;
}

describe("fuzzing config parsing", () => {
  it("random text mutations of the bundled configs give a plan or a few printable error lines", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEXTS.keys()), fc.array(textMutation, { minLength: 1, maxLength: 6 }), fc.boolean(), (i, edits, asJson) => {
        const text = mutateText(asJson ? JSON.stringify(parseYaml(TEXTS[i])) : TEXTS[i], edits);
        expectWellFormed(outcome(Buffer.from(text, "utf8"), asJson ? "c.json" : "c.yaml"));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);

  it("a parsed config holds only mappings, lists and plain values, whatever tags are put before its values", () => {
    const TAGS = ["!!omap", "!!set", "!!pairs", "!!binary", "!!timestamp", "!foo", "!!str", "!!int", "!!float", "!!map", "!!seq", "!"];
    fc.assert(
      fc.property(fc.constantFrom(...TEXTS.keys()), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...TAGS)), { minLength: 1, maxLength: 3 }), (i, tags) => {
        let text = TEXTS[i];
        for (const [n, tag] of tags) {
          // after the colon of a key, where a tag applies to the value that follows
          const colons = [...text.matchAll(/:(?=[ \n])/g)].map((m) => m.index + 1);
          const at = colons[n % colons.length];
          text = `${text.slice(0, at)} ${tag}${text.slice(at)}`;
        }
        let value: unknown;
        try {
          value = parseConfigBytes(Buffer.from(text, "utf8"), "c.yaml");
        } catch (err) {
          if (err instanceof UserError) return;
          throw err;
        }
        expect(isPlain(value)).toBe(true);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);

  it("random mutations of the parsed configs (any value at any path) give a plan or a user error", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TEXTS.keys()),
        fc.array(fc.record({ path: fc.constantFrom(...PATHS), value, remove: fc.boolean() }), { minLength: 1, maxLength: 5 }),
        (i, edits) => {
          const obj = parseYaml(TEXTS[i]) as Record<string, unknown>;
          for (const e of edits) setDotted(obj, e.path, e.value, e.remove);
          // through JSON text, as a user's file would come (1e400 and -0 become what JSON makes of them)
          const text = JSON.stringify(obj) ?? "null";
          expectWellFormed(outcome(Buffer.from(text, "utf8"), "c.json"));
          expectWellFormed(outcome(Buffer.from(text, "utf8"), "c.yaml"));
        },
      ),
      { numRuns: RUNS, seed: SEED + 1 },
    );
  }, 120_000);

  it("random --set overrides give a plan or a user error", () => {
    const setArg = fc.tuple(
      fc.oneof(fc.constantFrom(...PATHS.filter((p) => !p.startsWith("sweep"))), fc.string({ maxLength: 10 })),
      fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 12 }), fc.array(fc.integer({ min: -3, max: 60 }), { minLength: 1, maxLength: 4 }).map((a) => a.join(","))),
      fc.boolean(),
    ).map(([k, v, eq]) => (eq ? `${k}=${v}` : `${k}${v}`));
    fc.assert(
      fc.property(fc.constantFrom(...TEXTS.keys()), fc.array(setArg, { minLength: 1, maxLength: 4 }), (i, sets) => {
        let o: Outcome;
        try {
          o = { ok: true, runs: planRuns(parseConfigBytes(Buffer.from(TEXTS[i]), "c.yaml"), parseOverrides(sets), LIMITS).runs.length };
        } catch (err) {
          if (!(err instanceof UserError)) throw err;
          o = { ok: false, lines: err.lines };
        }
        expectWellFormed(o);
      }),
      { numRuns: RUNS / 2, seed: SEED + 3 },
    );
  }, 120_000);

  it("random byte strings give one error or a plan, never anything else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom("c.yaml", "c.json"), (bytes, name) => {
        expectWellFormed(outcome(bytes, name));
      }),
      { numRuns: 2 * RUNS, seed: SEED + 2 },
    );
  }, 120_000);

  it("a handful through the real binary: exit 0 or 2, no stack trace, --out untouched", () => {
    const samples = fc.sample(fc.tuple(fc.constantFrom(...TEXTS.keys()), fc.array(textMutation, { minLength: 1, maxLength: 6 })), { numRuns: 4, seed: 13 });
    samples.push(...fc.sample(fc.uint8Array({ maxLength: 200 }), { numRuns: 1, seed: 14 }).map((b) => [-1, b] as never));
    samples.forEach((sample, n) => {
      const [i, edits] = sample as [number, TextMutation[] | Uint8Array];
      const content = i < 0 ? (edits as Uint8Array) : mutateText(TEXTS[i], edits as TextMutation[]);
      const path = join(dir, `fuzz-${n}.yaml`);
      writeFileSync(path, content);
      const out = join(dir, `out-${n}`);
      // run only what the in-process check refuses (a valid config would really run); validate everything
      const refused = !outcome(Buffer.from(content), path).ok;
      const r = cli(refused ? ["run", path, "--out", out] : ["validate", path]);
      expect([0, 2], r.stderr).toContain(r.code);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
      expect(existsSync(out)).toBe(false);
    });
  }, 120_000);
});
