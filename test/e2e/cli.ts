/** Spawning the real binary, and reading what it wrote. */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname;
export const BIN = join(ROOT, "bin", "prune-sense.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `prune-sense ARGS` from the repository root, as CI does (no TTY, no colour). */
export function cli(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start `prune-sense ARGS` without waiting (for kill tests). */
export function cliAsync(args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" }, stdio: "pipe" });
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `prune-sense-${tag}-`));
}

/** Rows of a CSV file as objects (the files are plain: quotes only around text with commas). */
export function readCsv(path: string): Array<Record<string, string>> {
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  const split = (line: string): string[] => {
    const out: string[] = [];
    let cur = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") {
        out.push(cur);
        cur = "";
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const head = split(lines[0]);
  return lines.slice(1).map((l) => {
    const cells = split(l);
    return Object.fromEntries(head.map((h, i) => [h, cells[i]]));
  });
}

/** summary.csv text without its wall-clock `seconds` column (the one non-deterministic cell). */
export function summaryWithoutSeconds(path: string): string {
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  const idx = lines[0].split(",").indexOf("seconds");
  return lines.map((l) => l.split(",").filter((_, i) => i !== idx).join(",")).join("\n");
}
