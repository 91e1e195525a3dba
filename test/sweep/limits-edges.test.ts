/**
 * The memory limits at their edges: how many workers fit (largest runs first, the
 * bound itself allowed, at least one), and byte sizes with decimals and exponents.
 */
import { describe, expect, it } from "vitest";
import { jobsWithinMemory, limitsFromOptions, parseByteSize } from "../../src/sweep/limits.js";

describe("workers that fit in memory at once", () => {
  it("counts the largest runs first, up to the bound itself", () => {
    // sorted 8, 5, 3: 8 fits in 11, 8 + 5 = 13 does not
    expect(jobsWithinMemory([5, 3, 8], 3, 11)).toBe(1);
    expect(jobsWithinMemory([5, 3, 8], 3, 13)).toBe(2);
    expect(jobsWithinMemory([5, 3, 8], 3, 16)).toBe(3);
    expect(jobsWithinMemory([8e9, 8e9, 8e9], 4, 20e9)).toBe(2);
  });

  it("never more than the jobs asked for or the runs there are, never fewer than one", () => {
    expect(jobsWithinMemory([1, 1, 1, 1], 2, 100)).toBe(2);
    expect(jobsWithinMemory([1, 1], 8, 100)).toBe(2);
    expect(jobsWithinMemory([50], 4, 10)).toBe(1);
    expect(jobsWithinMemory([], 4, 10)).toBe(1);
  });
});

describe("byte sizes", () => {
  it("take several decimals and multi-digit exponents", () => {
    expect(parseByteSize("1.25G", "--max-memory")).toBe(1.25 * 1024 ** 3);
    expect(parseByteSize("1e12", "--max-memory")).toBe(1e12);
  });

  it("name the --max-memory flag in an option's error", () => {
    expect(() => limitsFromOptions({ maxMemory: "8Q" })).toThrow("--max-memory 8Q: expected a size such as 512M, 8G or 1e9 (bytes)");
  });
});
