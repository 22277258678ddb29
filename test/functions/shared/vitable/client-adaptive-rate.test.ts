import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { staticApiKey } from "../../../../functions/shared/vitable/api-key.ts";
import { VitableClient } from "../../../../functions/shared/vitable/client.ts";
import { RetryDeadlineError } from "../../../../functions/shared/vitable/errors.ts";
import {
  failWith,
  GROUP_ID,
  OTHER_GROUP_ID,
  ok,
  type Reply,
  rejectionOf,
  scriptedFetch,
} from "./support/scripted-fetch.ts";

const START = 1_800_000_000_000;
const ACCEPTED = 20;
// 0.5 × 20 accepted over the last second: one send per 100 ms.
const INTERVAL_MS = 100;

/**
 * A client that got 20 requests through, then a 429 with a 100 ms pause: it learns 10 requests/s (decrease factor
 * 0.5, no climb, no burst). `OTHER_GROUP_ID` always answers 200; `GROUP_ID` follows `script`.
 */
async function clientThatLearned(script: Reply[]) {
  const http = scriptedFetch((url) => (url.endsWith(GROUP_ID) ? script : [ok()]));
  const client = new VitableClient({
    baseUrl: "https://api.example.test",
    apiKey: staticApiKey("vit_apk_adaptive_unit_key"),
    fetch: http.fetch,
    now: () => Date.now(),
    random: () => 0.5,
    adaptiveRate: { decreaseFactor: 0.5, increasePerSecond: 0, burstMs: 0 },
  });
  for (let i = 0; i < ACCEPTED; i++) await client.groups.retrieve(OTHER_GROUP_ID);
  const throttled = client.groups.retrieve(GROUP_ID);
  await vi.runAllTimersAsync();
  await throttled;
  return { client, http };
}

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("VitableClient adaptive rate", () => {
  it("sends every call at once before any 429", async () => {
    // Prepare
    const http = scriptedFetch([ok()]);
    const client = new VitableClient({
      baseUrl: "https://api.example.test",
      apiKey: staticApiKey("vit_apk_adaptive_unit_key"),
      fetch: http.fetch,
      now: () => Date.now(),
    });

    // Act
    await Promise.all(Array.from({ length: 10 }, () => client.groups.retrieve(GROUP_ID)));

    // Assess
    expect(http.sent.map((request) => request.at)).toEqual(Array(10).fill(START));
  });

  it("after a 429, spaces the calls of every lane at the learned rate", async () => {
    // Prepare
    const { client, http } = await clientThatLearned([failWith(429, { "retry-after-ms": "100" }), ok()]);
    const before = http.sent.length;

    // Act: three lanes at once.
    const calls = Promise.all([1, 2, 3].map(() => client.groups.retrieve(OTHER_GROUP_ID)));
    await vi.runAllTimersAsync();
    await calls;

    // Assess
    const at = http.sent.slice(before).map((request) => request.at);
    const gaps = at.slice(1).map((sentAt, index) => sentAt - (at[index] ?? Number.NaN));
    expect(gaps).toEqual([expect.closeTo(INTERVAL_MS, 6), expect.closeTo(INTERVAL_MS, 6)]);
  });

  it("never waits for its turn past the deadline: gives up at once with RetryDeadlineError, sending nothing", async () => {
    // Prepare: one call takes the next turn, so the following one is 100 ms away.
    const { client, http } = await clientThatLearned([failWith(429, { "retry-after-ms": "100" }), ok()]);
    const first = client.groups.retrieve(OTHER_GROUP_ID);
    const before = http.sent.length;
    const startedAt = Date.now();

    // Act: no timer runs while the call is judged, so it cannot have slept.
    const error = await rejectionOf(
      client.groups.retrieve(OTHER_GROUP_ID, { deadline: { remainingMs: () => 50 } }),
    );
    const gaveUpAt = Date.now();
    await vi.runAllTimersAsync();
    await first;

    // Assess
    expect(error).toBeInstanceOf(RetryDeadlineError);
    expect(error).toMatchObject({ attempts: 0 });
    expect(gaveUpAt).toBe(startedAt);
    expect(http.sent.length - before).toBe(1);
  });

  it("keeps only the 429 pause when the limiter is turned off", async () => {
    // Prepare
    const script = [failWith(429, { "retry-after-ms": "100" }), ok()];
    const http = scriptedFetch((url) => (url.endsWith(GROUP_ID) ? script : [ok()]));
    const client = new VitableClient({
      baseUrl: "https://api.example.test",
      apiKey: staticApiKey("vit_apk_adaptive_unit_key"),
      fetch: http.fetch,
      now: () => Date.now(),
      adaptiveRate: false,
    });
    for (let i = 0; i < ACCEPTED; i++) await client.groups.retrieve(OTHER_GROUP_ID);
    const throttled = client.groups.retrieve(GROUP_ID);
    await vi.runAllTimersAsync();
    await throttled;
    const before = http.sent.length;

    // Act
    await Promise.all([1, 2, 3].map(() => client.groups.retrieve(OTHER_GROUP_ID)));

    // Assess
    const at = http.sent.slice(before).map((request) => request.at);
    expect(new Set(at).size).toBe(1);
  });
});
