import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { staticApiKey } from "../../../../functions/shared/vitable/api-key.ts";
import { VitableClient } from "../../../../functions/shared/vitable/client.ts";
import { RetryDeadlineError } from "../../../../functions/shared/vitable/errors.ts";
import {
  aGroup,
  failWith,
  GROUP_ID,
  OTHER_GROUP_ID,
  ok,
  type Reply,
  rejectionOf,
  scriptedFetch,
} from "./support/scripted-fetch.ts";

const START = 1_800_000_000_000;

/** Call A (GROUP_ID) and call B (OTHER_GROUP_ID) each follow their own script; timers are virtual. */
function setup(scripts: { a: Reply[]; b: Reply[] }, concurrency: number) {
  const http = scriptedFetch((url) => (url.endsWith(GROUP_ID) ? scripts.a : scripts.b));
  const client = new VitableClient({
    baseUrl: "https://api.example.test",
    apiKey: staticApiKey("vit_apk_pause_unit_key"),
    fetch: http.fetch,
    now: () => Date.now(),
    random: () => 0.5,
    concurrency,
  });
  const sentFor = (groupId: string) => http.sent.filter((request) => request.url.endsWith(groupId));
  return { client, http, sentFor };
}

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("VitableClient shared 429 pause", () => {
  it.each([
    { name: "a call started during the pause", concurrency: 5, startBLater: true },
    { name: "a call queued for the only slot", concurrency: 1, startBLater: false },
  ])("holds back $name until the pause ends", async ({ concurrency, startBLater }) => {
    // Prepare
    const { client, sentFor } = setup(
      { a: [failWith(429, { "retry-after": "2" }), ok()], b: [ok(aGroup({ id: OTHER_GROUP_ID }))] },
      concurrency,
    );

    // Act
    const callA = client.groups.retrieve(GROUP_ID);
    if (startBLater) {
      await vi.advanceTimersByTimeAsync(0);
    }
    const callB = client.groups.retrieve(OTHER_GROUP_ID);
    await vi.runAllTimersAsync();
    await Promise.all([callA, callB]);

    // Assess
    const [rateLimited, retried] = sentFor(GROUP_ID);
    const [fromB] = sentFor(OTHER_GROUP_ID);
    expect(rateLimited?.at).toBe(START);
    expect(fromB?.at).toBeGreaterThanOrEqual(START + 2000);
    expect(retried?.at).toBeGreaterThanOrEqual(START + 2000);
  });

  it("lets a call whose deadline ends inside the pause give up at once with the pause as retryAfterMs", async () => {
    // Prepare
    const { client, sentFor } = setup(
      { a: [failWith(429, { "retry-after-ms": "2000" }), ok()], b: [ok()] },
      5,
    );
    const callA = client.groups.retrieve(GROUP_ID);
    await vi.advanceTimersByTimeAsync(0);
    const endsAt = Date.now() + 1000;

    // Act
    const error = await rejectionOf(
      client.groups.retrieve(OTHER_GROUP_ID, { deadline: { remainingMs: () => endsAt - Date.now() } }),
    );
    await vi.runAllTimersAsync();
    await callA;

    // Assess
    expect(error).toBeInstanceOf(RetryDeadlineError);
    expect(error).toMatchObject({ attempts: 0, retryAfterMs: 2000 });
    expect(Date.now()).toBeGreaterThanOrEqual(START + 2000);
    expect(sentFor(OTHER_GROUP_ID)).toHaveLength(0);
  });

  it("does not pause other calls for a 503, even with a Retry-After", async () => {
    // Prepare
    const { client, sentFor } = setup(
      { a: [failWith(503, { "retry-after": "2" }), ok()], b: [ok(aGroup({ id: OTHER_GROUP_ID }))] },
      5,
    );

    // Act
    const callA = client.groups.retrieve(GROUP_ID);
    await vi.advanceTimersByTimeAsync(0);
    const callB = client.groups.retrieve(OTHER_GROUP_ID);
    await vi.runAllTimersAsync();
    await Promise.all([callA, callB]);

    // Assess
    expect(sentFor(OTHER_GROUP_ID)[0]?.at).toBe(START);
    expect(sentFor(GROUP_ID)[1]?.at).toBe(START + 2000);
  });
});

describe("VitableClient concurrency slots", () => {
  it("frees its slot while sleeping between retries", async () => {
    // Prepare
    const { client, sentFor } = setup(
      { a: [failWith(503, { "retry-after-ms": "1000" }), ok()], b: [ok(aGroup({ id: OTHER_GROUP_ID }))] },
      1,
    );

    // Act
    const callA = client.groups.retrieve(GROUP_ID);
    await vi.advanceTimersByTimeAsync(0);
    const callB = client.groups.retrieve(OTHER_GROUP_ID);
    await vi.runAllTimersAsync();
    await Promise.all([callA, callB]);

    // Assess
    const fromB = sentFor(OTHER_GROUP_ID)[0];
    const retryOfA = sentFor(GROUP_ID)[1];
    expect(fromB?.at).toBe(START);
    expect(retryOfA?.at).toBe(START + 1000);
  });
});
