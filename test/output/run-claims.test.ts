/** Run claims: exclusive, with the folder lock's owner rules; a live claim from another host stays live while refreshed. */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FOREIGN_STALE_MS, HOST } from "../../src/files/owner.js";
import { CLAIM_REFRESH_MS, claimHeld, claimPath, claimRun, refreshClaims, releaseAllClaims, releaseRun, removeStaleClaims } from "../../src/output/run-claims.js";
import { breakOwnedFile, createOwnedFile, readOwnedFile } from "../../src/output/owned-file.js";

const folder = (): string => mkdtempSync(join(tmpdir(), "prune-sense-claims-"));

/** Put a claim of `owner` at run `id`, last written `ageMs` ago. */
function plant(dir: string, id: string, owner: object, ageMs = 0): void {
  mkdirSync(join(dir, ".claims"), { recursive: true });
  writeFileSync(claimPath(dir, id), JSON.stringify(owner));
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(claimPath(dir, id), t, t);
}

describe("run claims", () => {
  it("claims a run once (making .claims/), names this process in it, and removes it on release", () => {
    const dir = folder();
    expect(claimRun(dir, "r1").state).toBe("mine");
    expect(JSON.parse(readFileSync(claimPath(dir, "r1"), "utf8"))).toMatchObject({ pid: process.pid, host: HOST });
    expect(claimRun(dir, "r1").state).toBe("mine");
    expect(claimHeld(dir, "r1")).toBe(false);
    releaseRun(dir, "r1");
    expect(existsSync(claimPath(dir, "r1"))).toBe(false);
  });

  it("leaves a live owner's claim alone; takes over a dead owner's", () => {
    const dir = folder();
    // this test's parent process is alive and started before the claim was written
    plant(dir, "live", { pid: process.ppid, host: HOST, started: "then" });
    expect(claimRun(dir, "live").state).toBe("held");
    expect(claimHeld(dir, "live")).toBe(true);
    const dead = Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
    plant(dir, "dead", { pid: dead, host: HOST, started: "then" });
    expect(claimHeld(dir, "dead")).toBe(false);
    expect(claimRun(dir, "dead").state).toBe("mine");
    expect(JSON.parse(readFileSync(claimPath(dir, "dead"), "utf8")).pid).toBe(process.pid);
    releaseAllClaims();
    expect(existsSync(claimPath(dir, "dead"))).toBe(false);
    expect(existsSync(claimPath(dir, "live"))).toBe(true);
  });

  it("another host's claim is live until it goes FOREIGN_STALE_MS without a refresh", () => {
    const dir = folder();
    plant(dir, "fresh", { pid: 1, host: "elsewhere", started: "then" }, FOREIGN_STALE_MS - 60_000);
    plant(dir, "old", { pid: 1, host: "elsewhere", started: "then" }, FOREIGN_STALE_MS + 60_000);
    expect(claimRun(dir, "fresh").state).toBe("held");
    expect(claimRun(dir, "old").state).toBe("mine");
    releaseAllClaims();
  });

  it("refreshes the claims it holds once CLAIM_REFRESH_MS has passed, so other hosts keep them live", () => {
    const dir = folder();
    expect(claimRun(dir, "long").state).toBe("mine");
    const old = (Date.now() - FOREIGN_STALE_MS / 2) / 1000;
    utimesSync(claimPath(dir, "long"), old, old);
    refreshClaims(); // not due yet
    expect(statSync(claimPath(dir, "long")).mtimeMs).toBeCloseTo(old * 1000, -3);
    refreshClaims(Date.now() + CLAIM_REFRESH_MS);
    expect(Date.now() - statSync(claimPath(dir, "long")).mtimeMs).toBeLessThan(FOREIGN_STALE_MS / 4);
    releaseAllClaims();
  });

  it("a special file where a claim goes is no claim: never opened, never removed, not held", () => {
    const dir = folder();
    mkdirSync(join(dir, ".claims"));
    expect(spawnSync("mkfifo", [claimPath(dir, "fifo")]).status).toBe(0);
    const outcome = claimRun(dir, "fifo");
    expect(outcome).toEqual({ state: "special", line: `${claimPath(dir, "fifo")}: is a FIFO (named pipe), not a claim of prune-sense (left as it is)` });
    expect(claimHeld(dir, "fifo")).toBe(false);
    expect(statSync(claimPath(dir, "fifo")).isFIFO()).toBe(true);
  });

  it("removeStaleClaims drops a gone owner's claim (its run may be complete: no one claims it again), keeps live ones", () => {
    const dir = folder();
    const dead = Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
    plant(dir, "dead", { pid: dead, host: HOST, started: "then" });
    removeStaleClaims(dir);
    expect(existsSync(join(dir, ".claims"))).toBe(false);
    plant(dir, "dead", { pid: dead, host: HOST, started: "then" });
    plant(dir, "live", { pid: process.ppid, host: HOST, started: "then" });
    removeStaleClaims(dir);
    expect(existsSync(claimPath(dir, "dead"))).toBe(false);
    expect(existsSync(claimPath(dir, "live"))).toBe(true);
  });
});

describe("breaking a stale owned file (claims and the folder lock)", () => {
  it("never breaks a live file that got the stale one's inode: file systems reuse a freed inode at once", () => {
    const path = join(mkdtempSync(join(tmpdir(), "prune-sense-break-")), "owned");
    expect(createOwnedFile(path)).toBe(true);
    const live = readOwnedFile(path)!;
    // another breaker deleted a dead owner's file and made this live one, on the same inode number
    const dead = { pid: 2 ** 22 + 17, host: HOST, started: "2020-01-01T00:00:00.000Z" };
    breakOwnedFile(path, { ino: live.ino, owner: dead });
    expect(readOwnedFile(path)?.owner).toEqual(live.owner);
    // what was judged stale is what is there: broken
    breakOwnedFile(path, live);
    expect(existsSync(path)).toBe(false);
  });
});
