import { describe, expect, it } from "vitest";
import { createPacer } from "../../cli/pacer.ts";

/** A clock whose sleeps advance time, plus the actions' own duration between waits. */
function fakeClock() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    },
    work: (ms: number) => {
      now += ms;
    },
    sleeps,
  };
}

describe("createPacer", () => {
  it.each([
    { rate: 4, workMs: 0, expected: [250, 250, 250] },
    { rate: 4, workMs: 100, expected: [150, 150, 150] },
    { rate: 0.5, workMs: 0, expected: [2_000, 2_000, 2_000] },
    // Slower work than the rate allows: never a pause, and no burst to catch up.
    { rate: 10, workMs: 300, expected: [] },
  ])(
    "at $rate/s with $workMs ms of work per action, sleeps $expected",
    async ({ rate, workMs, expected }) => {
      // Prepare
      const { clock, work, sleeps } = fakeClock();
      const pacer = createPacer(rate, clock);

      // Act
      for (let i = 0; i < 4; i += 1) {
        await pacer.wait();
        work(workMs);
      }

      // Assess
      expect(sleeps).toEqual(expected);
    },
  );
});
