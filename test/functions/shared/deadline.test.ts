import { describe, expect, it } from "vitest";
import { NO_DEADLINE, signalFor } from "../../../functions/shared/deadline.ts";

function deadlineIn(ms: number) {
  const end = Date.now() + ms;
  return { remainingMs: () => end - Date.now() };
}

describe("signalFor", () => {
  it("is already aborted when no time is left, so no call starts", () => {
    // Act
    const signal = signalFor({ remainingMs: () => 0 });

    // Assess
    expect(signal.aborted).toBe(true);
  });

  it("aborts when the deadline passes, not before", async () => {
    // Prepare
    const signal = signalFor(deadlineIn(50));
    const before = signal.aborted;

    // Act
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));

    // Assess
    expect(before).toBe(false);
    expect(signal.aborted).toBe(true);
  });

  it.each([
    { name: "NO_DEADLINE", deadline: NO_DEADLINE },
    { name: "a deadline beyond setTimeout's range", deadline: { remainingMs: () => 3_000_000_000 } },
  ])("never aborts for $name", async ({ deadline }) => {
    // Act
    const signal = signalFor(deadline);
    await new Promise((resolve) => setTimeout(resolve, 20));

    // Assess
    expect(signal.aborted).toBe(false);
  });
});
