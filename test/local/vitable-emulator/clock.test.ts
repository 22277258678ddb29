import { describe, expect, it } from "vitest";
import { MonotonicClock } from "../../../local/vitable-emulator/clock.ts";

describe("MonotonicClock", () => {
  it.each([
    { label: "a frozen clock", readings: [1_000, 1_000, 1_000], expected: [1_000, 1_001, 1_002] },
    { label: "a clock stepping back", readings: [5_000, 4_000, 4_500], expected: [5_000, 5_001, 5_002] },
    { label: "a clock moving on", readings: [1_000, 1_000, 9_000], expected: [1_000, 1_001, 9_000] },
  ])("issues strictly increasing timestamps with $label", ({ readings, expected }) => {
    // Prepare
    const pending = [...readings];
    const clock = new MonotonicClock(() => pending.shift() ?? Number.NaN);

    // Act
    const stamps = readings.map(() => clock.nextIso());

    // Assess
    expect(stamps).toEqual(expected.map((ms) => new Date(ms).toISOString()));
  });
});
