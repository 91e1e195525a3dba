/**
 * Special files at every path prune-sense reads or writes, in a results folder
 * and at --out targets: a FIFO, a device node made by the test (a null device
 * of its own, never /dev/null itself), a dangling and a looping symbolic link,
 * and (where a file is written) a link to a regular file, which is not written through.
 * Whatever the command, it ends within seconds (a FIFO never blocks it), the
 * special file is left exactly as it was (never replaced by a regular file),
 * and the command either treats it as damage (that run is not complete) or
 * refuses in one line naming it, exit 2, never a stack.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { cliP, readCsv } from "../e2e/cli.js";
import { cliWithinAsync, completeIds, FAULT_SWEEP, leftovers, scratch } from "./harness.js";

/** A command that has not ended by then hangs: killed, and the test fails (not the 120 s default). */
const WITHIN_MS = 10_000;
const TEST_MS = WITHIN_MS + 2_000;

type Kind = "fifo" | "device" | "dangling" | "loop" | "link";
const ALL: Kind[] = ["fifo", "device", "dangling", "loop"];
const FIFO: Kind[] = ["fifo"];

/** How each kind reads in a message. */
const WORDS: Record<Kind, string> = {
  fifo: "a FIFO (named pipe)",
  device: "a character device",
  dangling: "a dangling symbolic link",
  loop: "a symbolic link that loops",
  link: "a symbolic link to a regular file",
};

/** What the file a "link" case points to holds: it must hold it afterwards. */
const MINE = "the user's own file\n";

/** Why this machine cannot make device nodes ("" when it can): mknod needs root and CAP_MKNOD. */
function deviceReason(): string {
  if (process.getuid?.() !== 0) return "mknod needs root";
  const probe = join(scratch("mknod-probe"), "null");
  const r = spawnSync("mknod", [probe, "c", "1", "3"], { encoding: "utf8" });
  return r.status === 0 ? "" : `mknod is not allowed here (${(r.stderr || String(r.error)).trim()})`;
}
const NO_DEVICE = deviceReason();

/** Put a special file of `kind` at `path` (replacing what is there). */
function place(path: string, kind: Kind): void {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(dirname(path), { recursive: true });
  if (kind === "dangling") return symlinkSync(join(dirname(path), "nowhere"), path);
  if (kind === "loop") return symlinkSync(basename(path), path);
  if (kind === "link") {
    writeFileSync(`${path}.target`, MINE);
    return symlinkSync(`${basename(path)}.target`, path);
  }
  // a null device of the test's own (1, 3): writing to it would lose the bytes, never harm the machine
  const [cmd, args] = kind === "fifo" ? ["mkfifo", [path]] : ["mknod", [path, "c", "1", "3"]];
  const r = spawnSync(cmd as string, args as string[], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${path}: ${r.stderr}`);
}

/** What is at `path`, to see it is left as it was: type, inode, device number, link text. */
function identity(path: string): string {
  const st = lstatSync(path);
  const type = st.isFIFO() ? "fifo" : st.isCharacterDevice() ? "char" : st.isSymbolicLink() ? "link" : st.isFile() ? "file" : "other";
  return `${type} ino=${st.ino} rdev=${st.rdev}${st.isSymbolicLink() ? ` -> ${readlinkSync(path)}` : ""}`;
}

interface Case {
  /** Where the special files go: inside the folder copy DIR (`#2` is its third run's id, PLAN its plan file, FIGURE a figure file) or in OUT. */
  at: string[];
  /** The command; DIR, BASE (an intact results folder), OUT (a scratch folder) and CONFIGS are filled in. */
  args: string[];
  code: number;
  kinds: Kind[];
  /** More to check afterwards, given the folder and the special files' paths. */
  then?: (dir: string, paths: string[], kind: Kind) => void;
}

const RUN = ["run", FAULT_SWEEP, "--out", "DIR", "--jobs", "1"];
const PLOT = ["plot", "DIR", "--no-png"];
/** One special file in each of five runs: the run's folder itself, and each of its four files. */
const PER_RUN = ["runs/#0", "runs/#1/result.json", "runs/#2/trace.csv", "runs/#3/columns.csv", "runs/#4/config.json"];

/** The ids of the base folder's runs (sorted), known once it is made. */
let ids: string[] = [];

/** `run` over PER_RUN: each of the five runs is failed in summary.csv naming its special file; the other three stay ok. */
function eachRunFailsAlone(dir: string, paths: string[], kind: Kind): void {
  const rows = readCsv(join(dir, "summary.csv"));
  expect(rows).toHaveLength(8);
  for (const [i, path] of paths.entries()) {
    const row = rows.find((x) => x.run_id === ids[i])!;
    expect(row.status).toBe("failed");
    expect(row.error).toContain(`${path}: is ${WORDS[kind]}`);
  }
  expect(rows.filter((x) => x.status === "ok").map((x) => x.run_id).sort()).toEqual(ids.slice(5));
}

const CASES: Case[] = [
  // the results folder's shared files
  { at: ["summary.csv"], args: ["summarize", "DIR"], code: 2, kinds: ALL },
  { at: ["summary.csv"], args: RUN, code: 2, kinds: [...ALL, "link"] },
  { at: ["summary.csv"], args: PLOT, code: 2, kinds: FIFO },
  { at: ["summary.csv"], args: ["merge", "DIR"], code: 2, kinds: FIFO },
  { at: ["summary-shard-1-of-2.csv"], args: [...RUN, "--shard", "1/2"], code: 2, kinds: ALL },
  { at: ["sweep.json"], args: RUN, code: 2, kinds: ALL },
  { at: ["sweep.json"], args: ["status", "DIR"], code: 0, kinds: FIFO },
  { at: ["PLAN"], args: ["status", "DIR"], code: 0, kinds: ALL },
  { at: ["PLAN"], args: RUN, code: 0, kinds: FIFO },
  { at: [".lock"], args: RUN, code: 2, kinds: ALL },
  { at: [".lock"], args: ["merge", "DIR"], code: 2, kinds: FIFO },
  { at: ["runs"], args: RUN, code: 2, kinds: ALL },
  { at: ["runs"], args: ["status", "DIR"], code: 1, kinds: FIFO },
  { at: ["runs"], args: ["merge", "DIR"], code: 2, kinds: FIFO },
  // each run's folder and files: damage (not complete), then refused where a write would replace them
  { at: PER_RUN, args: RUN, code: 2, kinds: ALL, then: eachRunFailsAlone },
  { at: PER_RUN, args: ["status", "DIR"], code: 1, kinds: FIFO },
  { at: PER_RUN, args: ["merge", "BASE", "--out", "DIR"], code: 2, kinds: ALL },
  { at: PER_RUN, args: ["merge", "DIR", "--out", "OUT/merged"], code: 1, kinds: FIFO },
  { at: PER_RUN, args: PLOT, code: 0, kinds: FIFO },
  // files of plot and summarize in the folder
  { at: ["figures/plot-files.json"], args: PLOT, code: 2, kinds: ALL },
  { at: ["figures/FIGURE"], args: PLOT, code: 2, kinds: FIFO },
  { at: ["summary-by-train.lambda.csv"], args: ["summarize", "DIR"], code: 2, kinds: ALL },
  // paths the user names
  { at: ["OUT/table.csv"], args: ["summarize", "DIR", "--out", "OUT/table.csv"], code: 2, kinds: [...ALL, "link"] },
  { at: ["OUT/figs"], args: [...PLOT, "--out", "OUT/figs"], code: 2, kinds: ALL },
  { at: ["OUT/merged"], args: ["merge", "DIR", "--out", "OUT/merged"], code: 2, kinds: ALL },
  { at: ["OUT/results"], args: ["run", FAULT_SWEEP, "--out", "OUT/results"], code: 2, kinds: ALL },
  { at: ["OUT/default.yaml"], args: ["init", "OUT", "--force"], code: 2, kinds: [...ALL, "link"] },
  { at: ["OUT/default.yaml"], args: ["init", "OUT"], code: 2, kinds: FIFO },
  { at: ["OUT/reference.json"], args: ["reproduce", "--quick", "--compare", "OUT"], code: 2, kinds: ALL },
  { at: ["OUT/reference.json"], args: ["reproduce", "--configs", "CONFIGS", "--out", "OUT/paper", "--update-reference", "OUT"], code: 2, kinds: ALL },
  { at: ["OUT/REPORT.md"], args: ["reproduce", "--configs", "CONFIGS", "--out", "OUT"], code: 2, kinds: ALL },
];

const table = CASES.flatMap((c) => c.kinds.map((kind) => ({ ...c, kind, name: `${c.args[0]} with ${kind} at ${c.at.length > 1 ? "a folder and each file of five runs" : c.at[0]}` })));

describe("special files where prune-sense reads or writes", () => {
  const base = scratch("special-base");
  const configs = scratch("special-configs");
  let plan = "";
  let figure = "";
  beforeAll(async () => {
    expect((await cliP(["run", FAULT_SWEEP, "--out", base, "--jobs", "1"])).code).toBe(0);
    expect((await cliP(["plot", base, "--no-png"])).code).toBe(0);
    ids = completeIds(base);
    plan = `sweeps/${readdirSync(join(base, "sweeps"))[0]}`;
    figure = (JSON.parse(readFileSync(join(base, "figures", "plot-files.json"), "utf8")) as { files: string[] }).files[0];
    // the smallest reproduction: one config of two short runs
    writeFileSync(join(configs, "tiny.yaml"), readFileSync(FAULT_SWEEP, "utf8").replace("seed: [1, 2, 3, 4]", "seed: [1]"));
  }, 60_000);

  /** Place the case's special files in a copy of the base folder, run the command, check what it did. */
  async function check({ at, args, code, kind, then }: (typeof table)[number]): Promise<void> {
    const dir = scratch("special");
    cpSync(base, dir, { recursive: true });
    const out = scratch("special-out");
    const paths = at.map((p) => {
      if (p.startsWith("OUT/")) return join(out, p.slice(4));
      return join(dir, p.replace(/#(\d)/, (_, i: string) => ids[Number(i)]).replace("PLAN", plan).replace("FIGURE", figure));
    });
    for (const p of paths) place(p, kind);
    const before = paths.map(identity);
    const fill = (a: string) => a.replace(/^DIR$/, dir).replace(/^BASE$/, base).replace(/^CONFIGS$/, configs).replace(/^OUT/, out);
    const r = await cliWithinAsync(args.map(fill), WITHIN_MS);
    expect(r.signal, `killed after ${WITHIN_MS} ms: it hangs\n${r.stderr}`).toBe(null);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.code, r.stderr).toBe(code);
    expect(paths.map(identity)).toEqual(before);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
    if (code === 2) {
      // one line, naming a special file (or the run whose place it takes) and what it is
      expect(errors, r.stderr).toHaveLength(1);
      expect(paths.some((p) => errors[0].includes(p)), errors[0]).toBe(true);
      expect(errors[0]).toContain(WORDS[kind]);
    } else {
      expect(errors).toEqual([]);
    }
    expect(leftovers(dir).filter((l) => !paths.includes(join(dir, l)))).toEqual([]);
    if (kind === "link") for (const p of paths) expect(readFileSync(`${p}.target`, "utf8")).toBe(MINE);
    then?.(dir, paths, kind);
  }

  const NAME = "$name: exit $code within seconds, the special file left as it was";
  it.each(table.filter((c) => c.kind !== "device"))(NAME, check, TEST_MS);
  describe.skipIf(NO_DEVICE !== "")(`device nodes${NO_DEVICE ? ` (skipped: ${NO_DEVICE})` : ""}`, () => {
    it.each(table.filter((c) => c.kind === "device"))(NAME, check, TEST_MS);
  });
});
