import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AdaptiveRateLimiter,
  type AdaptiveRateLimiterOptions,
} from "../../../../functions/shared/vitable/adaptive-rate-limiter.ts";

function manualClock(startMs = 1_000_000) {
  let nowMs = startMs;
  return { now: () => nowMs, advance: (ms: number) => (nowMs += ms) };
}

const OPTIONS: AdaptiveRateLimiterOptions = {
  decreaseFactor: 0.5,
  increasePerSecond: 2,
  minRatePerSecond: 1,
  burstMs: 0,
  forgetAfterMs: 60_000,
};

/**
 * Sends `count` requests evenly over the `ms` that end now (each reserved, started and accepted by the server),
 * returning their send numbers. The clock starts on a bucket boundary of the limiter's 50 ms buckets, so all of them count as "the
 * last second" when `ms` is at most 950.
 */
function sendEvenly(
  limiter: AdaptiveRateLimiter,
  clock: ReturnType<typeof manualClock>,
  count: number,
  ms: number,
): number[] {
  const sends: number[] = [];
  for (let i = 0; i < count; i++) {
    clock.advance(ms / count);
    const wait = limiter.reserve(Number.POSITIVE_INFINITY) ?? 0;
    clock.advance(wait);
    sends.push(limiter.sendStarted());
    limiter.accepted();
  }
  return sends;
}

describe("AdaptiveRateLimiter", () => {
  it("slows nothing before the first 429, however many requests go out", () => {
    // Prepare
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter(OPTIONS, clock.now);

    // Act
    const waits = Array.from({ length: 1000 }, () => {
      const wait = limiter.reserve(1);
      limiter.sendStarted();
      return wait;
    });

    // Assess
    expect(new Set(waits)).toEqual(new Set([0]));
    expect(limiter.ratePerSecond()).toBe(Number.POSITIVE_INFINITY);
  });

  it("after a 429 sets the rate to the decrease factor times the rate accepted over the last second", () => {
    // Prepare: 38 requests accepted within the last second, then a 429.
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter(OPTIONS, clock.now);
    const sends = sendEvenly(limiter, clock, 38, 950);

    // Act
    limiter.throttled(sends.at(-1) as number);

    // Assess
    expect(limiter.ratePerSecond()).toBeCloseTo(19, 5);
  });

  it("spaces sends at the learned rate and counts the wait against the caller's deadline", () => {
    // Prepare: learn 19/s (one send per 1000/19 ms), burst 0.
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter({ ...OPTIONS, increasePerSecond: 0 }, clock.now);
    limiter.throttled(sendEvenly(limiter, clock, 38, 950).at(-1) as number);

    // Act
    const interval = 1000 / 19;
    const waits = [limiter.reserve(1000), limiter.reserve(1000), limiter.reserve(1000)];
    const tooLate = limiter.reserve(3 * interval);
    const stillFits = limiter.reserve(3 * interval + 1);

    // Assess
    expect(waits.map((ms) => (ms ?? Number.NaN) / interval)).toEqual(
      [0, 1, 2].map((n) => expect.closeTo(n, 9)),
    );
    expect(tooLate).toBeUndefined();
    expect((stillFits ?? Number.NaN) / interval).toBeCloseTo(3, 9);
  });

  it("falls back to half the rate sent when nothing got through, as a container late to a full window", () => {
    // Prepare: 38 requests within the last second, every one answered 429.
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter(OPTIONS, clock.now);
    const sends = Array.from({ length: 38 }, () => {
      clock.advance(25);
      return limiter.sendStarted();
    });

    // Act
    for (const send of sends) limiter.throttled(send);

    // Assess: 0.5 × 38 / 2, not the floor.
    expect(limiter.ratePerSecond()).toBeCloseTo(9.5, 5);
  });

  it("cuts once for the 429s of requests already in flight at the cut", () => {
    // Prepare: ten requests in flight, all answered 429.
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter(OPTIONS, clock.now);
    sendEvenly(limiter, clock, 30, 1000);
    const inFlight = Array.from({ length: 10 }, () => limiter.sendStarted());

    // Act
    limiter.throttled(inFlight[0] as number);
    const afterFirst = limiter.ratePerSecond();
    for (const send of inFlight.slice(1)) limiter.throttled(send);
    const afterAll = limiter.ratePerSecond();
    limiter.throttled(limiter.sendStarted());
    const afterNewEpisode = limiter.ratePerSecond();

    // Assess
    expect(afterAll).toBe(afterFirst);
    expect(afterNewEpisode).toBeLessThan(afterFirst);
  });

  it("climbs back by the additive increase while it is used and no 429 comes", () => {
    // Prepare: learn 19/s.
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter(OPTIONS, clock.now);
    limiter.throttled(sendEvenly(limiter, clock, 38, 950).at(-1) as number);

    // Act: keep sending at the allowed pace for 5 s.
    const until = clock.now() + 5000;
    while (clock.now() < until) {
      clock.advance(limiter.reserve(Number.POSITIVE_INFINITY) ?? 0);
      limiter.sendStarted();
    }

    // Assess: 2/s per second over about 5 s.
    expect(limiter.ratePerSecond()).toBeGreaterThan(19 + 2 * 4.9);
    expect(limiter.ratePerSecond()).toBeLessThanOrEqual(19 + 2 * 5.1);
  });

  it("does not grow while idle: the rate stays within twice what was sent over the last second", () => {
    // Prepare: learn 19/s, then stay idle for most of a minute.
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter(OPTIONS, clock.now);
    limiter.throttled(sendEvenly(limiter, clock, 38, 950).at(-1) as number);

    // Act
    clock.advance(59_000);

    // Assess
    expect(limiter.ratePerSecond()).toBeCloseTo(19, 5);
  });

  it("forgets the learned rate after forgetAfterMs without a 429, and learns again at the next one", () => {
    // Prepare: learn 19/s.
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter(OPTIONS, clock.now);
    limiter.throttled(sendEvenly(limiter, clock, 38, 950).at(-1) as number);

    // Act
    clock.advance(OPTIONS.forgetAfterMs - 1);
    const justBefore = limiter.ratePerSecond();
    clock.advance(1);
    const after = limiter.ratePerSecond();
    const waits = Array.from({ length: 50 }, () => {
      const wait = limiter.reserve(1);
      limiter.sendStarted();
      return wait;
    });
    limiter.throttled(sendEvenly(limiter, clock, 20, 950).at(-1) as number);

    // Assess
    expect(justBefore).toBeCloseTo(19, 5);
    expect(after).toBe(Number.POSITIVE_INFINITY);
    expect(new Set(waits)).toEqual(new Set([0]));
    expect(limiter.ratePerSecond()).toBeLessThan(Number.POSITIVE_INFINITY);
  });

  it("lets up to burstMs of unused schedule go out at once", () => {
    // Prepare: learn 19/s with a 100 ms burst, then idle.
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter({ ...OPTIONS, increasePerSecond: 0, burstMs: 100 }, clock.now);
    limiter.throttled(sendEvenly(limiter, clock, 38, 950).at(-1) as number);
    clock.advance(5000);
    const interval = 1000 / 19;

    // Act
    const waits = Array.from({ length: 4 }, () => limiter.reserve(Number.POSITIVE_INFINITY));

    // Assess: the schedule restarts 100 ms in the past, so two sends go at once, then the pace resumes.
    const expected = [0, 0, 2 * interval - 100, 3 * interval - 100];
    expect(waits).toEqual(expected.map((ms) => expect.closeTo(ms, 9)));
  });

  it("gives no catch-up for a pause the server asked for: the schedule restarts when it ends", () => {
    // Prepare: 19/s with a 500 ms burst; a 429 asks for 800 ms.
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter({ ...OPTIONS, increasePerSecond: 0, burstMs: 500 }, clock.now);
    limiter.throttled(sendEvenly(limiter, clock, 38, 950).at(-1) as number, clock.now() + 800);
    const interval = 1000 / 19;

    // Act: every lane asks for a turn as the pause ends.
    clock.advance(800);
    const waits = Array.from({ length: 3 }, () => limiter.reserve(Number.POSITIVE_INFINITY));

    // Assess
    expect(waits).toEqual([0, interval, 2 * interval].map((ms) => expect.closeTo(ms, 9)));
  });

  it("cuts from the rate it set, not from a second that held its own pause", () => {
    // Prepare: 38 accepted in a second, a 429 (19/s) whose pause takes most of the next second, 5 more sends.
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter({ ...OPTIONS, increasePerSecond: 0 }, clock.now);
    limiter.throttled(sendEvenly(limiter, clock, 38, 950).at(-1) as number, clock.now() + 700);
    clock.advance(700);
    const sends = sendEvenly(limiter, clock, 5, 250);

    // Act: another episode within the second.
    limiter.throttled(sends.at(-1) as number);

    // Assess: 0.5 × 19, not 0.5 × the handful sent over the last second.
    expect(limiter.ratePerSecond()).toBeCloseTo(9.5, 5);
  });

  it.each([
    { decreaseFactor: 0 },
    { decreaseFactor: 1 },
    { increasePerSecond: -1 },
    { minRatePerSecond: 0 },
    { burstMs: Number.NaN },
    { forgetAfterMs: 0 },
  ])("rejects options %o", (bad) => {
    expect(() => new AdaptiveRateLimiter(bad)).toThrow(RangeError);
  });
});

type Step = { kind: "wait"; ms: number } | { kind: "send" } | { kind: "throttle" };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 3000 }) }),
  fc.constant({ kind: "send" as const }),
  fc.constant({ kind: "throttle" as const }),
);

const options: fc.Arbitrary<AdaptiveRateLimiterOptions> = fc.record({
  decreaseFactor: fc.double({ min: 0.05, max: 0.99, noNaN: true }),
  increasePerSecond: fc.double({ min: 0, max: 20, noNaN: true }),
  minRatePerSecond: fc.double({ min: 0.1, max: 10, noNaN: true }),
  burstMs: fc.integer({ min: 0, max: 1000 }),
  // Also forever (Infinity) and within the reach of a few waits, so the properties hold across a forgotten rate.
  forgetAfterMs: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 1000, max: 120_000 })),
});

describe("AdaptiveRateLimiter properties", () => {
  it("never drops below the floor, never grows faster than the increase, never past twice the sent rate", () => {
    fc.assert(
      fc.property(options, fc.array(step, { maxLength: 200 }), (opts, steps) => {
        const clock = manualClock();
        const limiter = new AdaptiveRateLimiter(opts, clock.now);
        const sent: number[] = [];
        let lastSend = 0;
        let previous = limiter.ratePerSecond();
        for (const s of steps) {
          const before = clock.now();
          if (s.kind === "wait") clock.advance(s.ms);
          if (s.kind === "send") {
            clock.advance(limiter.reserve(Number.POSITIVE_INFINITY) ?? 0);
            lastSend = limiter.sendStarted();
            sent.push(clock.now());
          }
          if (s.kind === "throttle" && lastSend > 0) limiter.throttled(lastSend);
          const rate = limiter.ratePerSecond();
          if (rate === Number.POSITIVE_INFINITY) continue;
          expect(rate).toBeGreaterThanOrEqual(opts.minRatePerSecond);
          if (s.kind !== "throttle" && previous !== Number.POSITIVE_INFINITY) {
            const elapsedS = (clock.now() - before) / 1000;
            expect(rate).toBeLessThanOrEqual(previous + opts.increasePerSecond * elapsedS + 1e-9);
            const sentLastSecond = sent.filter((at) => at > clock.now() - 1000).length;
            // A bucket of the sliding count may reach up to 50 ms further back than one second.
            const sentLastSpan = sent.filter((at) => at > clock.now() - 1050).length;
            if (rate > previous) expect(rate).toBeLessThanOrEqual(2 * Math.max(sentLastSecond, sentLastSpan));
          }
          previous = rate;
        }
      }),
    );
  });

  it("recovers after the 429s stop: a busy container regains the increase per second", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 200 }),
        fc.integer({ min: 1, max: 5 }),
        (sentPerSecond, throttles) => {
          const clock = manualClock();
          const limiter = new AdaptiveRateLimiter(OPTIONS, clock.now);
          for (let i = 0; i < throttles; i++) {
            limiter.throttled(sendEvenly(limiter, clock, sentPerSecond, 1000).at(-1) as number);
          }
          const low = limiter.ratePerSecond();
          const until = clock.now() + 10_000;
          while (clock.now() < until) {
            clock.advance(limiter.reserve(Number.POSITIVE_INFINITY) ?? 0);
            limiter.sendStarted();
          }
          // 10 s without a 429 at 2/s per second, while sending as fast as allowed.
          expect(limiter.ratePerSecond()).toBeGreaterThanOrEqual(low + 2 * 10 * 0.95);
        },
      ),
    );
  });
});
