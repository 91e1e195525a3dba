import { describe, expect, it } from "vitest";
import { pickGroup } from "../../src/sweep/launch.js";

// Which queued training group a free worker takes; the queue lists each group's data set.
describe("pickGroup (which group a free worker takes)", () => {
  it("keeps a worker on the data set it last worked on while that data set has groups", () => {
    expect(pickGroup(["A", "B", "B", "A"], 1, ["A", "B"], [true, false])).toBe(1);
    expect(pickGroup(["A", "A", "B"], 1, ["A", "B"], [true, false])).toBe(2);
  });

  it("sends the workers of a fresh sweep to different data sets", () => {
    // worker 0 took A; worker 1 starts: the first group on data nobody is on
    expect(pickGroup(["A", "A", "A", "B", "B"], 1, ["A", undefined], [true, false])).toBe(3);
    expect(pickGroup(["A", "B"], 0, [undefined, undefined], [false, false])).toBe(0);
  });

  it("shares a data set only when nothing else is left, and ignores workers that are idle", () => {
    expect(pickGroup(["A", "A"], 1, ["A", "B"], [true, false])).toBe(0);
    expect(pickGroup(["A", "B"], 1, ["A", "C"], [false, false])).toBe(0); // worker 0 is idle: A is free
  });
});
