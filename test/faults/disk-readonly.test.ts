/**
 * A read-only file system (a small tmpfs remounted read-only; root only, else
 * skipped with the reason): every command exits 2 with one line naming the
 * path (EROFS) and leaves the folder byte for byte as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { cli } from "../e2e/cli.js";
import { expectRefused as refused, FAULT_SWEEP, rawSnapshot, remount, useTmpfs } from "./harness.js";

const { root, reason } = useTmpfs("3m");

describe.skipIf(!root)("a read-only file system", () => {
  const dir = join(root, "ro");
  let first: number | null = null;
  beforeAll(() => {
    first = cli(["run", FAULT_SWEEP, "--out", dir, "--jobs", "1"]).code;
    remount(root, "ro");
  });
  afterAll(() => remount(root, "rw"));

  it.each([
    ["run", ["run", FAULT_SWEEP, "--out", "DIR", "--jobs", "1", "--force"]],
    ["merge", ["merge", "DIR"]],
    ["merge into it", ["merge", "DIR", "--out", "DIR/merged"]],
    ["plot", ["plot", "DIR"]],
    ["plot --out inside it", ["plot", "DIR", "--out", "DIR/figs"]],
  ])("%s: exit 2 naming the path (EROFS), the folder intact", (_what, args) => {
    expect(first).toBe(0);
    const before = rawSnapshot(dir);
    refused(cli(args.map((a) => a.replace("DIR", dir))), "EROFS");
    expect(rawSnapshot(dir)).toEqual(before);
  });
});

if (!root) {
  describe("read-only file system tests", () => {
    it.skip(`skipped: ${reason}`, () => {});
  });
}
