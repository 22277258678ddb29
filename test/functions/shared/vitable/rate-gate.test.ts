import { describe, expect, it } from "vitest";
import { RateGate } from "../../../../functions/shared/vitable/rate-gate.ts";

function manualClock(startMs = 1_000_000) {
  let nowMs = startMs;
  return { now: () => nowMs, advance: (ms: number) => (nowMs += ms) };
}

describe("RateGate", () => {
  it("is open until a pause is requested", () => {
    // Prepare
    const clock = manualClock();

    // Act
    const gate = new RateGate(clock.now);

    // Assess
    expect(gate.remainingPauseMs()).toBe(0);
  });

  it("counts a pause down with the clock and reopens at its end", () => {
    // Prepare
    const clock = manualClock();
    const gate = new RateGate(clock.now);

    // Act
    gate.pauseFor(2000);
    const atStart = gate.remainingPauseMs();
    clock.advance(1500);
    const midway = gate.remainingPauseMs();
    clock.advance(600);
    const after = gate.remainingPauseMs();

    // Assess
    expect([atStart, midway, after]).toEqual([2000, 500, 0]);
  });

  it.each([
    { name: "a longer pause extends", first: 1000, second: 3000, expected: 3000 },
    { name: "a shorter pause never shortens", first: 3000, second: 1000, expected: 3000 },
    { name: "a zero pause changes nothing", first: 1500, second: 0, expected: 1500 },
  ])("$name", ({ first, second, expected }) => {
    // Prepare
    const clock = manualClock();
    const gate = new RateGate(clock.now);

    // Act
    gate.pauseFor(first);
    gate.pauseFor(second);

    // Assess
    expect(gate.remainingPauseMs()).toBe(expected);
  });

  it("pauseUntil takes an absolute end and keeps the later one", () => {
    // Prepare
    const clock = manualClock();
    const gate = new RateGate(clock.now);

    // Act
    gate.pauseUntil(clock.now() + 4000);
    gate.pauseUntil(clock.now() + 1000);

    // Assess
    expect(gate.remainingPauseMs()).toBe(4000);
  });
});
