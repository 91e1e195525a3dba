import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { createProgressView } from "../../src/cli/progress.js";
import { planRuns } from "../../src/sweep/plan.js";
import type { RunRecord } from "../../src/output/results.js";

/** A terminal-like stream that keeps everything written to it. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = "";
  const w = new Writable({
    write(chunk, _enc, done) {
      out += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(w, { isTTY: true, columns: 100, rows: 30 });
  return { stream: w, text: () => out };
}

describe("the terminal progress view", () => {
  it("leaves the final state as its last frame: every run done, no worker bar behind", () => {
    const runs = planRuns({ sweep: { seed: [1, 2, 3, 4] } }).runs;
    const term = fakeTerminal();
    const view = createProgressView(runs.length, term.stream);
    for (const run of runs) {
      view.onStart?.(run, 0);
      view.onProgress?.(run, 0, "finetune", 0, 3000);
      view.onDone?.({ run_id: run.id } as RunRecord, 0);
    }
    view.stop();
    const plain = term.text().replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "\n");
    const frames = [...plain.matchAll(/(\d+)\/4 runs/g)].map((m) => m[1]);
    expect(frames[frames.length - 1]).toBe("4");
    const afterFinal = plain.slice(plain.lastIndexOf("4/4 runs"));
    expect(afterFinal).not.toMatch(/fine-tune|train \d/);
  });
});
