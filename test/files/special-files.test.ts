/**
 * The one place that decides what prune-sense may open or replace: regular
 * files only, links followed for reading but never written through. (FIFOs
 * are tested through the binary, test/faults/special-files.test.ts: a reader
 * that regressed would block this test process where no timeout reaches it.)
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../../src/output/atomic.js";
import { entryKind, makeFolder, readRegularText, refuseNonFolder, refuseSpecialTarget, SpecialFileError } from "../../src/files/special-files.js";

function folder(): string {
  return mkdtempSync(join(tmpdir(), "prune-sense-special-"));
}

/** A FIFO at `path` (never opened here: only looked at with lstat). */
function fifo(path: string): string {
  expect(spawnSync("mkfifo", [path]).status).toBe(0);
  return path;
}

/** The error `fn` throws, which must be a SpecialFileError. */
function refusal(fn: () => unknown): SpecialFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpecialFileError) return err;
    throw err;
  }
  throw new Error("expected a SpecialFileError");
}

const canMknod = process.getuid?.() === 0;

/** A Unix socket file at `path`, left by a process that exits without closing it. */
function socket(path: string): string {
  const r = spawnSync(process.execPath, ["-e", `require("node:net").createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`], { timeout: 4_000 });
  expect(r.status).toBe(0);
  expect(lstatSync(path).isSocket()).toBe(true);
  return path;
}

describe("entryKind", { timeout: 5_000 }, () => {
  it("names what is there without following links: dangling, looping, to a folder", () => {
    const dir = folder();
    symlinkSync(join(dir, "nowhere"), join(dir, "dangling"));
    symlinkSync("loop", join(dir, "loop"));
    symlinkSync(".", join(dir, "here"));
    expect(entryKind(join(dir, "absent"))).toBe(null);
    expect(entryKind(dir)).toEqual({ kind: "a folder", regular: false, folder: true });
    expect(entryKind(join(dir, "dangling"))).toEqual({ kind: `a dangling symbolic link (to ${join(dir, "nowhere")})`, regular: false, folder: false });
    expect(entryKind(join(dir, "loop"))?.kind).toBe("a symbolic link that loops (loop)");
    expect(entryKind(join(dir, "here"))).toEqual({ kind: "a symbolic link to a folder (.)", regular: false, folder: true });
    expect(entryKind(fifo(join(dir, "pipe")))?.kind).toBe("a FIFO (named pipe)");
  });
});

describe("readRegularText", { timeout: 5_000 }, () => {
  it("reads a regular file, also through a link", () => {
    const dir = folder();
    writeFileSync(join(dir, "a.csv"), "x\n");
    symlinkSync("a.csv", join(dir, "b.csv"));
    expect(readRegularText(join(dir, "b.csv"))).toBe("x\n");
  });

  it("refuses a folder and a link that leads nowhere, naming what they are; a missing file stays ENOENT", () => {
    const dir = folder();
    symlinkSync("loop", join(dir, "loop"));
    expect(refusal(() => readRegularText(dir)).message).toBe(`${dir}: is a folder, expected a regular file`);
    expect(refusal(() => readRegularText(join(dir, "loop"))).kind).toBe("a symbolic link that loops (loop)");
    expect(() => readRegularText(join(dir, "absent"))).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });

  it.skipIf(!canMknod)("refuses a device node without opening it (root only: mknod)", () => {
    const dev = join(folder(), "null");
    // a null device of the test's own (never /dev/null itself): read like a file it is empty, so a regression fails, never hangs
    expect(spawnSync("mknod", [dev, "c", "1", "3"]).status).toBe(0);
    expect(refusal(() => readRegularText(dev)).message).toBe(`${dev}: is a character device, expected a regular file`);
  });
});

describe("writing only over a regular file or at a new path", { timeout: 5_000 }, () => {
  it("writeFileAtomic refuses a FIFO, a folder and a link (not written through), and leaves each as it was", () => {
    const dir = folder();
    const pipe = fifo(join(dir, "pipe.csv"));
    mkdirSync(join(dir, "folder.csv"));
    writeFileSync(join(dir, "mine.csv"), "mine\n");
    symlinkSync("mine.csv", join(dir, "link.csv"));
    expect(refusal(() => writeFileAtomic(pipe, "new\n")).message).toBe(
      `${pipe}: is a FIFO (named pipe), left as it is (prune-sense writes only over a regular file or at a new path; remove it or choose another path)`,
    );
    expect(refusal(() => writeFileAtomic(join(dir, "folder.csv"), "new\n")).kind).toBe("a folder");
    expect(refusal(() => writeFileAtomic(join(dir, "link.csv"), "new\n")).message).toMatch(/link\.csv: is a symbolic link to a regular file \(mine\.csv\), left as it is \(.*give the path of the file itself\)$/);
    expect(lstatSync(pipe).isFIFO()).toBe(true);
    expect(lstatSync(join(dir, "link.csv")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "mine.csv"), "utf8")).toBe("mine\n");
    expect(readdirSync(dir).sort()).toEqual(["folder.csv", "link.csv", "mine.csv", "pipe.csv"]);
  });

  it("refuses a socket, reading or writing, and leaves it", () => {
    const sock = socket(join(folder(), "summary.csv"));
    expect(refusal(() => readRegularText(sock)).message).toBe(`${sock}: is a socket, expected a regular file`);
    expect(refusal(() => writeFileAtomic(sock, "new\n")).kind).toBe("a socket");
    expect(lstatSync(sock).isSocket()).toBe(true);
  });

  it("replaces a regular file and writes a new path", () => {
    const dir = folder();
    writeFileSync(join(dir, "old.csv"), "old\n");
    refuseSpecialTarget(join(dir, "old.csv"));
    refuseSpecialTarget(join(dir, "new.csv"));
    writeFileAtomic(join(dir, "old.csv"), "new\n");
    expect(readFileSync(join(dir, "old.csv"), "utf8")).toBe("new\n");
  });
});

describe("folders", { timeout: 5_000 }, () => {
  it("makeFolder names the part of the path that is a dangling link or a FIFO", () => {
    const dir = folder();
    symlinkSync(join(dir, "nowhere"), join(dir, "runs"));
    fifo(join(dir, "pipe"));
    expect(refusal(() => makeFolder(join(dir, "runs", "r1"))).message).toBe(`${join(dir, "runs")}: is a dangling symbolic link (to ${join(dir, "nowhere")}), expected a folder`);
    expect(refusal(() => makeFolder(join(dir, "pipe", "x"))).message).toBe(`${join(dir, "pipe")}: is a FIFO (named pipe), expected a folder`);
    makeFolder(join(dir, "a", "b"));
    expect(lstatSync(join(dir, "a", "b")).isDirectory()).toBe(true);
  });

  it("refuseNonFolder accepts nothing, a folder or a link to one", () => {
    const dir = folder();
    symlinkSync(".", join(dir, "here"));
    refuseNonFolder(join(dir, "absent"));
    refuseNonFolder(join(dir, "here"));
    writeFileSync(join(dir, "file"), "");
    expect(refusal(() => refuseNonFolder(join(dir, "file"))).message).toBe(`${join(dir, "file")}: is a regular file, expected a folder`);
  });
});
