import { describe, expect, it } from "vitest";
import { deadlineSignal, NO_DEADLINE } from "../../../functions/shared/deadline.ts";

function deadlineIn(ms: number) {
  const end = Date.now() + ms;
  return { remainingMs: () => end - Date.now() };
}

describe("deadlineSignal", () => {
  it("is already aborted when no time is left, so no call starts", () => {
    // Act
    const signal = deadlineSignal({ remainingMs: () => 0 });

    // Assess
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).name).toBe("TimeoutError");
  });

  it("aborts when the deadline passes, not before", async () => {
    // Prepare
    const signal = deadlineSignal(deadlineIn(50));
    const before = signal.aborted;

    // Act
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));

    // Assess
    expect(before).toBe(false);
    expect(signal.aborted).toBe(true);
  });

  it("never aborts for NO_DEADLINE (no timer past setTimeout's range)", () => {
    // Act
    const signal = deadlineSignal(NO_DEADLINE);

    // Assess
    expect(signal.aborted).toBe(false);
  });
});
