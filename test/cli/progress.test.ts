import { afterEach, describe, expect, it, vi } from "vitest";
import { Writable } from "node:stream";
import { createProgressView } from "../../src/cli/progress.js";
import { planRuns } from "../../src/sweep/plan.js";
import type { RunRecord } from "../../src/output/results.js";

/** A stream that keeps everything written to it; a terminal (isTTY) or a CI log. */
function fakeStream(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let out = "";
  const w = new Writable({
    write(chunk, _enc, done) {
      out += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  if (tty) Object.assign(w, { isTTY: true, columns: 100, rows: 30 });
  return { stream: w, text: () => out };
}

/** The terminal's frames as plain text: escape sequences become line breaks. */
const plainText = (s: string): string => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "\n");

const record = (id: string, status: RunRecord["status"] = "ok"): RunRecord => ({ run_id: id, status }) as RunRecord;

afterEach(() => {
  vi.useRealTimers();
});

describe("the terminal progress view", () => {
  const runs = planRuns({ train: { steps: 400 }, sweep: { seed: [1, 2, 3, 4] } }).runs;

  it("leaves the final state as its last frame: every run done, no worker bar behind", () => {
    const term = fakeStream(true);
    const view = createProgressView(runs.length, term.stream);
    for (const run of runs) {
      view.onStart?.(run, 0);
      view.onProgress?.(run, 0, "finetune", 0, 3000);
      view.onDone?.(record(run.id), 0);
    }
    view.stop();
    const plain = plainText(term.text());
    const frames = [...plain.matchAll(/(-?\d+)\/4 runs/g)].map((m) => m[1]);
    expect(frames[frames.length - 1]).toBe("4");
    const afterFinal = plain.slice(plain.lastIndexOf("4/4 runs"));
    expect(afterFinal).not.toMatch(/fine-tune|train \d/);
    // and it is not cleared away when the view stops
    const raw = term.text();
    expect(raw.slice(raw.lastIndexOf("4/4 runs"))).not.toContain("\u001b[0J");
  });

  it("shows each busy worker's run (id and swept values), its phase and step of the phase's total", () => {
    const term = fakeStream(true);
    const view = createProgressView(runs.length, term.stream);
    view.onStart?.(runs[1], 0);
    view.onProgress?.(runs[1], 0, "train", 120, 400);
    expect(plainText(term.text())).toContain(`train 120/400 · ${runs[1].id} seed=2`);
    view.onProgress?.(runs[1], 0, "finetune", 7, 50);
    expect(plainText(term.text())).toContain(`fine-tune 7/50 · ${runs[1].id} seed=2`);
    // a step past the total (the last report of a phase) shows as the total
    view.onProgress?.(runs[1], 0, "prune", 3, 1);
    expect(plainText(term.text())).toContain(`prune 1/1 · ${runs[1].id} seed=2`);
    view.stop();
  });

  it("shows two workers on two lines, and drops a worker's line when its run is done", () => {
    const term = fakeStream(true);
    const view = createProgressView(runs.length, term.stream);
    view.onStart?.(runs[0], 0);
    view.onStart?.(runs[1], 1);
    view.onProgress?.(runs[0], 0, "train", 10, 400);
    view.onProgress?.(runs[1], 1, "train", 20, 400);
    const both = plainText(term.text());
    expect(both).toContain(`train 10/400 · ${runs[0].id} seed=1`);
    expect(both).toContain(`train 20/400 · ${runs[1].id} seed=2`);
    const beforeDone = term.text().length;
    view.onDone?.(record(runs[0].id), 0);
    const mark = term.text().length;
    view.onProgress?.(runs[1], 1, "train", 30, 400);
    // the finished worker's line is erased (cleared below the bars that stay)
    expect(term.text().slice(beforeDone, mark)).toContain("\u001b[0J");
    const after = plainText(term.text().slice(mark));
    expect(after).toMatch(/[^-\d]1\/4 runs/);
    expect(after).toContain(`train 30/400 · ${runs[1].id} seed=2`);
    expect(after).not.toContain(runs[0].id);
    view.stop();
  });

  it("hides the cursor while drawing and shows it again when stopped", () => {
    const term = fakeStream(true);
    const view = createProgressView(runs.length, term.stream);
    view.onStart?.(runs[0], 0);
    view.onProgress?.(runs[0], 0, "train", 1, 400);
    expect(term.text()).toContain("\u001b[?25l");
    expect(term.text()).not.toContain("\u001b[?25h");
    view.stop();
    expect(term.text().lastIndexOf("\u001b[?25h")).toBeGreaterThan(term.text().lastIndexOf("\u001b[?25l"));
  });

  it("draws 24-character bars filled in proportion to the step", () => {
    const term = fakeStream(true);
    const view = createProgressView(runs.length, term.stream);
    view.onStart?.(runs[0], 0);
    view.onProgress?.(runs[0], 0, "train", 100, 400);
    const lines = plainText(term.text()).split("\n");
    const worker = lines.filter((l) => l.includes(`· ${runs[0].id}`)).pop()!;
    expect(worker).toMatch(/^[█░]{24} train 100\/400 · /);
    expect(worker.slice(0, 24)).toBe("█".repeat(6) + "░".repeat(18));
    view.stop();
  });

  it("shows a started run at step 0 of its training, and a run of no sweep by its id alone", () => {
    const term = fakeStream(true);
    const view = createProgressView(2, term.stream);
    const single = planRuns({ train: { steps: 400 } }).runs[0];
    view.onStart?.(single, 0);
    view.onStart?.(runs[1], 1);
    view.onProgress?.(runs[1], 1, "train", 20, 400);
    const lines = plainText(term.text()).split("\n");
    expect(lines).toContain(`${"░".repeat(24)} train 0/400 · ${single.id}`);
    view.stop();
  });

  it("takes the workers' bars away when stopped mid-run (Ctrl-C): the last frame is the runs bar alone", () => {
    const term = fakeStream(true);
    const view = createProgressView(runs.length, term.stream);
    view.onStart?.(runs[0], 0);
    view.onProgress?.(runs[0], 0, "train", 100, 400);
    view.onDone?.(record(runs[3].id), 1);
    view.stop();
    const plain = plainText(term.text());
    const afterFinal = plain.slice(plain.lastIndexOf("1/4 runs"));
    expect(afterFinal).not.toContain(runs[0].id);
    expect(plain.lastIndexOf("1/4 runs")).toBeGreaterThan(plain.lastIndexOf(`train 100/400 · ${runs[0].id}`));
  });

  it("counts skipped (already complete) runs as done", () => {
    const term = fakeStream(true);
    const view = createProgressView(runs.length, term.stream);
    view.onSkip(runs[0]);
    view.onSkip(runs[1]);
    view.stop();
    const plain = plainText(term.text());
    expect(plain).toMatch(/[^-\d]2\/4 runs/);
    expect(plain).not.toMatch(/3\/4 runs|-\d\/4 runs/);
  });
});

describe("the plain progress view (not a terminal: CI logs)", () => {
  const runs = planRuns({ sweep: { seed: [1, 2, 3, 4] } }).runs;

  it("prints one line for the first finished run, then at most one every 5 s, and always the last", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const log = fakeStream(false);
    const view = createProgressView(4, log.stream);
    vi.advanceTimersByTime(1200);
    view.onDone?.(record(runs[0].id), 0);
    expect(log.text()).toBe(`[1/4] 1.2s · last: ${runs[0].id} ok\n`);
    vi.advanceTimersByTime(4999);
    view.onDone?.(record(runs[1].id, "diverged"), 1);
    expect(log.text().split("\n")).toHaveLength(2);
    vi.advanceTimersByTime(1);
    view.onDone?.(record(runs[2].id, "failed"), 0);
    expect(log.text().split("\n")[1]).toBe(`[3/4] 6.2s · last: ${runs[2].id} failed`);
    vi.advanceTimersByTime(100);
    view.onDone?.(record(runs[3].id), 1);
    view.stop();
    expect(log.text()).toBe(`[1/4] 1.2s · last: ${runs[0].id} ok\n[3/4] 6.2s · last: ${runs[2].id} failed\n[4/4] 6.3s · last: ${runs[3].id} ok\n`);
  });

  it("counts skipped runs without a line of their own, and draws no bars", () => {
    const log = fakeStream(false);
    const view = createProgressView(3, log.stream);
    view.onSkip(runs[0]);
    view.onStart?.(runs[1], 0);
    view.onProgress?.(runs[1], 0, "train", 5, 10);
    expect(log.text()).toBe("");
    view.onDone?.(record(runs[1].id), 0);
    view.onSkip(runs[2]);
    view.stop();
    expect(log.text()).toMatch(new RegExp(`^\\[2/3\\] \\d+\\.\\ds · last: ${runs[1].id} ok\\n$`));
  });
});
