/**
 * Every prune-sense command shown in README.md, CONTRIBUTING.md and docs/ (in
 * shell blocks and inline code) parses with the real program: its command,
 * options and option values exist. The cheap ones also run through the binary:
 * `validate` as shown, and `run` as shown plus `--dry-run` (the config and
 * sweep resolve, nothing is trained).
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CommanderError } from "commander";
import { buildProgram } from "../../src/cli/main.js";
import { cli, ROOT, tempDir } from "../e2e/cli.js";

const FILES = ["README.md", "CONTRIBUTING.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const PREFIX = /^(?:\$ )?(?:npx (?:--yes )?prune-sense|node bin\/prune-sense\.js|prune-sense)\s+(.*)$/;

/** Shell words of one command line: quotes removed, stopping at a comment, pipe, redirection or next command. */
export function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const bare = m[3];
    if (bare !== undefined && (bare.startsWith("#") || ["|", ">", "&&", ";", "2>&1"].includes(bare) || bare.startsWith(">"))) break;
    out.push(m[1] ?? m[2] ?? bare!);
  }
  return out;
}

/** The prune-sense commands a Markdown text shows: lines of sh blocks, `$ ` lines of other blocks, and inline code spans. */
export function shownCommands(text: string): string[] {
  const lines: string[] = [];
  const prose: string[] = [];
  let fence: string | null = null; // the open block's language ("" for none), null outside blocks
  for (const line of text.replace(/\\\n\s*/g, " ").split("\n")) {
    if (line.startsWith("```")) {
      fence = fence === null ? line.slice(3).trim() : null;
    } else if (fence === null) {
      prose.push(line);
    } else if (fence === "sh" || fence === "bash" || line.startsWith("$ ")) {
      lines.push(line);
    }
  }
  // an inline span of a command's name alone (`prune-sense run`) names it, it is not a command line
  for (const span of prose.join("\n").matchAll(/`([^`\n]+)`/g)) if (/^\S+(?: \S+)?\s+\S+\s+\S/.test(span[1].replace(PREFIX, "x $1"))) lines.push(span[1]);
  return lines
    .flatMap((l) => l.split(/&&|;/))
    .map((l) => l.trim())
    .filter((l) => PREFIX.test(l))
    // usage lines with placeholders (`run [options] <config>`, `DIR…`) are not commands
    .filter((l) => !/[<[…]|\bDIR\b|\bCONFIG\b|\bKEY\b|\bNAME\b|\bFILE\b|\bID\b|\bSIZE\b|\bPATH\b/.test(l.replace(/\$schema=[^ ]*/, "")));
}

/** Parse `args` with the real program, every action replaced by a no-op: the parse error, or null. */
async function parseError(args: string[]): Promise<string | null> {
  const io = { out: () => undefined, info: () => undefined, warn: () => undefined, setExitCode: () => undefined };
  const program = await buildProgram(io, ["node", "prune-sense", ...args]);
  program.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  // subcommands too (plugin test)
  for (const cmd of program.commands.flatMap((c) => [c, ...c.commands])) cmd.action(() => undefined).configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  try {
    await program.parseAsync(["node", "prune-sense", ...args]);
    return null;
  } catch (e) {
    if (e instanceof CommanderError && (e.code === "commander.helpDisplayed" || e.code === "commander.version")) return null;
    return e instanceof Error ? e.message : String(e);
  }
}

const shown = FILES.flatMap((file) => shownCommands(readFileSync(join(ROOT, file), "utf8")).map((line) => ({ file, line, args: words(line.replace(PREFIX, "$1")) })));
// `check` is documented in docs/check.md by its own change; until the program has it, its lines are not ours to parse
const ours = shown.filter((c) => c.args[0] !== "check");

describe("commands shown in the docs", () => {
  it("are found (the README's tour and the reference pages)", () => {
    expect(ours.filter((c) => c.file === "README.md").map((c) => c.args[0])).toEqual(expect.arrayContaining(["run", "status", "summarize", "plot", "reproduce"]));
    expect(ours.length).toBeGreaterThan(20);
  });

  it.each(ours.map((c) => [c.file, c.line, c.args] as const))("%s: %s parses", async (_file, _line, args) => {
    expect(await parseError(args)).toBeNull();
  });

  it("finds a wrong option or a wrong command (the check can fail)", async () => {
    expect(await parseError(["run", "configs/default.yaml", "--jbos", "2"])).toMatch(/unknown option/);
    expect(await parseError(["rn", "configs/default.yaml"])).toMatch(/unknown command/);
    expect(shownCommands("```sh\nnpx prune-sense run a.yaml --set x=1   # note\n```\nthen `prune-sense status out`").map((l) => words(l.replace(PREFIX, "$1")))).toEqual([
      ["run", "a.yaml", "--set", "x=1"],
      ["status", "out"],
    ]);
  });

  const cheap = [...new Map(ours.filter((c) => (c.args[0] === "validate" || c.args[0] === "run") && c.args[1]?.startsWith("configs/")).map((c) => [c.args.join(" "), c])).values()];
  it.each(cheap.map((c) => [c.file, c.line, c.args] as const))("%s: %s runs (validate, or run --dry-run)", (_file, _line, args) => {
    const extra = args[0] === "run" ? ["--dry-run", "--out", tempDir("docs-run")] : [];
    const r = cli([...args, ...extra]);
    expect(r.code, r.stderr).toBe(0);
  });
});
