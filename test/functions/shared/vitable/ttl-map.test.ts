import { describe, expect, it } from "vitest";
import { TtlMap } from "../../../../functions/shared/vitable/ttl-map.ts";

function manualClock() {
  let nowMs = 0;
  return { now: () => nowMs, advance: (ms: number) => (nowMs += ms) };
}

describe("TtlMap", () => {
  it.each([
    { elapsedMs: 0, expected: "v" },
    { elapsedMs: 999, expected: "v" },
    { elapsedMs: 1000, expected: undefined },
    { elapsedMs: 5000, expected: undefined },
  ])("after $elapsedMs ms of a 1000 ms TTL returns $expected", ({ elapsedMs, expected }) => {
    // Prepare
    const clock = manualClock();
    const map = new TtlMap<string, string>({ ttlMs: 1000, now: clock.now });
    map.set("k", "v");

    // Act
    clock.advance(elapsedMs);

    // Assess
    expect(map.get("k")).toBe(expected);
  });

  it("evicts the oldest write when full", () => {
    // Prepare
    const map = new TtlMap<string, number>({ ttlMs: 60_000, maxEntries: 2 });

    // Act
    map.set("a", 1);
    map.set("b", 2);
    map.set("a", 3);
    map.set("c", 4);

    // Assess
    expect([map.get("a"), map.get("b"), map.get("c")]).toEqual([3, undefined, 4]);
  });

  it("keeps nothing when the TTL is zero", () => {
    // Prepare
    const map = new TtlMap<string, number>({ ttlMs: 0 });

    // Act
    map.set("a", 1);

    // Assess
    expect(map.get("a")).toBeUndefined();
  });

  it("deleteWhere removes only matching entries", () => {
    // Prepare
    const map = new TtlMap<string, number>({ ttlMs: 60_000 });
    map.set("a", 1);
    map.set("b", 2);
    map.set("c", 1);

    // Act
    map.deleteWhere((value) => value === 1);

    // Assess
    expect([map.get("a"), map.get("b"), map.get("c")]).toEqual([undefined, 2, undefined]);
  });
});
