/**
 * Progress on stderr while a sweep runs: a cli-progress multibar on a terminal
 * (runs done / total with ETA, and one line per busy worker with its run's phase
 * and step); plain lines otherwise, one per finished run at most every few
 * seconds, so CI logs stay readable.
 */
import cliProgress from "cli-progress";
import type { LaunchEvents } from "../sweep/launch.js";
import type { PlannedRun } from "../sweep/plan.js";
import { describeSwept } from "../sweep/plan.js";

export interface ProgressView extends LaunchEvents {
  onSkip(run: PlannedRun): void;
  stop(): void;
}

/** Interval of plain progress lines when stderr is not a terminal (ms). */
const PLAIN_INTERVAL_MS = 5000;

export function createProgressView(total: number, stream: NodeJS.WriteStream = process.stderr): ProgressView {
  return stream.isTTY ? terminalView(total, stream) : plainView(total, stream);
}

function label(run: PlannedRun): string {
  const swept = describeSwept(run.swept);
  return swept ? `${run.id} ${swept}` : run.id;
}

function terminalView(total: number, stream: NodeJS.WriteStream): ProgressView {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      // the last frame stays: it is the final state (all runs done, no worker bar left behind)
      clearOnComplete: false,
      hideCursor: true,
      format: "{bar} {phase} {value}/{total} · {label}",
      barsize: 24,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const overall = multi.create(total, 0, {}, { format: "{bar} {value}/{total} runs · {duration_formatted} · ETA {eta_formatted}" });
  const slots = new Map<number, cliProgress.SingleBar>();
  let done = 0;
  let stopped = false;
  const slotBar = (slot: number): cliProgress.SingleBar => {
    let bar = slots.get(slot);
    if (!bar) {
      bar = multi.create(1, 0, { phase: "", label: "" });
      slots.set(slot, bar);
    }
    return bar;
  };
  return {
    onSkip() {
      overall.update(++done);
    },
    onStart(run, slot) {
      slotBar(slot).start(Math.max(1, run.config.train.steps), 0, { phase: "train", label: label(run) });
    },
    onProgress(run, slot, phase, step, t) {
      const bar = slotBar(slot);
      bar.setTotal(Math.max(1, t));
      bar.update(Math.min(step, t), { phase: phase === "finetune" ? "fine-tune" : phase, label: label(run) });
      // redraw now: a run in this thread (launchInProcess: tests, debugging) blocks the redraw timer;
      // updates arrive at most every PROGRESS_INTERVAL_MS, so this costs nothing
      (multi as unknown as { update(): void }).update();
    },
    onDone(_record, slot) {
      // a finished worker's bar goes: a bar left at its last frame would read as a run still going
      const bar = slots.get(slot);
      if (bar) {
        multi.remove(bar);
        slots.delete(slot);
      }
      overall.update(++done);
    },
    stop() {
      // once: a second stop would draw the last frame again (Ctrl-C after a sweep's end)
      if (stopped) return;
      stopped = true;
      for (const bar of slots.values()) multi.remove(bar);
      slots.clear();
      // redraw now: cli-progress redraws on a timer, so the frame on screen may be one update behind
      multi.update();
      multi.stop();
    },
  };
}

function plainView(total: number, stream: NodeJS.WriteStream): ProgressView {
  let done = 0;
  let last = 0;
  const start = Date.now();
  const line = (text: string): void => {
    stream.write(`${text}\n`);
  };
  return {
    onSkip() {
      done++;
    },
    onDone(record) {
      done++;
      const now = Date.now();
      if (now - last >= PLAIN_INTERVAL_MS || done === total) {
        last = now;
        const elapsed = ((now - start) / 1000).toFixed(1);
        line(`[${done}/${total}] ${elapsed}s · last: ${record.run_id} ${record.status}`);
      }
    },
    stop() {},
  };
}
