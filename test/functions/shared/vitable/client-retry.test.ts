import { describe, expect, it } from "vitest";
import { type ApiKeyProvider, staticApiKey } from "../../../../functions/shared/vitable/api-key.ts";
import {
  type AttemptInfo,
  VitableClient,
  type VitableClientOptions,
} from "../../../../functions/shared/vitable/client.ts";
import {
  RetryDeadlineError,
  VitableApiError,
  VitableConnectionError,
  VitableResponseError,
  VitableTimeoutError,
} from "../../../../functions/shared/vitable/errors.ts";
import {
  aGroup,
  failWith,
  GROUP_ID,
  networkError,
  ok,
  type Reply,
  rejectionOf,
  scriptedFetch,
  virtualTime,
} from "./support/scripted-fetch.ts";

const KEY = "vit_apk_retry_unit_key";

function setup(script: Reply[], overrides: Partial<VitableClientOptions> = {}) {
  const time = virtualTime();
  const http = scriptedFetch(script);
  const attempts: AttemptInfo[] = [];
  const client = new VitableClient({
    baseUrl: "https://api.example.test/",
    apiKey: staticApiKey(KEY),
    fetch: http.fetch,
    now: time.now,
    sleep: time.sleep,
    random: () => 0.5,
    onAttempt: (info) => attempts.push(info),
    ...overrides,
  });
  return { client, time, http, attempts };
}

describe("VitableClient retry", () => {
  it.each([
    { name: "503", first: failWith(503) },
    { name: "500", first: failWith(500) },
    { name: "502", first: failWith(502) },
    { name: "408", first: failWith(408) },
    { name: "429 without a hint", first: failWith(429) },
    { name: "409", first: failWith(409) },
    { name: "400 with x-should-retry: true", first: failWith(400, { "x-should-retry": "true" }) },
    { name: "connection reset", first: networkError("ECONNRESET") },
    { name: "connection refused", first: networkError("ECONNREFUSED") },
  ])("retries after $name and returns the group", async ({ first }) => {
    // Prepare
    const renamed = aGroup({ name: "Tier 1 (renamed)" });
    const { client, http } = setup([first, ok(renamed)]);

    // Act
    const group = await client.groups.update(GROUP_ID, { name: "Tier 1 (renamed)" });

    // Assess
    expect(group).toEqual(renamed);
    expect(http.sent).toHaveLength(2);
    expect(http.sent.map((request) => request.body)).toEqual([
      JSON.stringify({ name: "Tier 1 (renamed)" }),
      JSON.stringify({ name: "Tier 1 (renamed)" }),
    ]);
  });

  it.each([
    { name: "400", reply: failWith(400), status: 400 },
    { name: "403", reply: failWith(403), status: 403 },
    {
      name: "403 even with x-should-retry: true",
      reply: failWith(403, { "x-should-retry": "true" }),
      status: 403,
    },
    { name: "404", reply: failWith(404), status: 404 },
    { name: "422", reply: failWith(422), status: 422 },
    {
      name: "500 with x-should-retry: false",
      reply: failWith(500, { "x-should-retry": "false" }),
      status: 500,
    },
  ])("does not retry $name", async ({ reply, status }) => {
    // Prepare
    const { client, http, time } = setup([reply, ok()]);

    // Act
    const error = await rejectionOf(client.groups.retrieve(GROUP_ID));

    // Assess
    expect(error).toBeInstanceOf(VitableApiError);
    expect(error).toMatchObject({
      status,
      attempts: 1,
      appErrorCode: `code_${status}`,
      traceId: `trace_${status}`,
    });
    expect(http.sent).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it.each([1, 2, 4, 6])(
    "makes at most maxAttempts=%i attempts, then throws the last error",
    async (maxAttempts) => {
      // Prepare
      const { client, http } = setup([failWith(503)], { retry: { maxAttempts } });

      // Act
      const error = await rejectionOf(client.groups.retrieve(GROUP_ID));

      // Assess
      expect(error).toBeInstanceOf(VitableApiError);
      expect(error).toMatchObject({ status: 503, attempts: maxAttempts });
      expect(http.sent).toHaveLength(maxAttempts);
    },
  );

  it("reports a connection failure that outlasts every attempt with its code", async () => {
    // Prepare
    const { client, http } = setup([networkError("ECONNRESET")]);

    // Act
    const error = await rejectionOf(client.groups.retrieve(GROUP_ID));

    // Assess
    expect(error).toBeInstanceOf(VitableConnectionError);
    expect(error).toMatchObject({ code: "ECONNRESET", attempts: 4 });
    expect(http.sent).toHaveLength(4);
  });

  it.each<{
    maxConflictRetries: number;
    maxAttempts: number;
    expectedAttempts: number;
    headers: Record<string, string>;
  }>([
    { maxConflictRetries: 0, maxAttempts: 4, expectedAttempts: 1, headers: {} },
    { maxConflictRetries: 1, maxAttempts: 4, expectedAttempts: 2, headers: {} },
    { maxConflictRetries: 2, maxAttempts: 4, expectedAttempts: 3, headers: {} },
    { maxConflictRetries: 9, maxAttempts: 4, expectedAttempts: 4, headers: {} },
    { maxConflictRetries: 2, maxAttempts: 6, expectedAttempts: 3, headers: { "x-should-retry": "true" } },
    { maxConflictRetries: 2, maxAttempts: 6, expectedAttempts: 1, headers: { "x-should-retry": "false" } },
  ])(
    "bounds 409 retries: maxConflictRetries=$maxConflictRetries, maxAttempts=$maxAttempts, headers=$headers -> $expectedAttempts attempts",
    async ({ maxConflictRetries, maxAttempts, expectedAttempts, headers }) => {
      // Prepare
      const { client, http } = setup([failWith(409, headers)], {
        retry: { maxConflictRetries, maxAttempts },
      });

      // Act
      const error = await rejectionOf(client.groups.update(GROUP_ID, { name: "x" }));

      // Assess
      expect(error).toMatchObject({ status: 409, attempts: expectedAttempts });
      expect(http.sent).toHaveLength(expectedAttempts);
    },
  );

  it.each<{ name: string; headers: Record<string, string>; expectedSleep: number | undefined }>([
    { name: "retry-after-ms", headers: { "retry-after-ms": "1234" }, expectedSleep: 1234 },
    { name: "Retry-After seconds", headers: { "retry-after": "2" }, expectedSleep: 2000 },
    { name: "fractional Retry-After", headers: { "retry-after": "0.75" }, expectedSleep: 750 },
    {
      name: "retry-after-ms over Retry-After",
      headers: { "retry-after-ms": "40", "retry-after": "9" },
      expectedSleep: 40,
    },
    { name: "Retry-After: 0", headers: { "retry-after": "0" }, expectedSleep: undefined },
    { name: "no hint: jittered backoff", headers: {}, expectedSleep: 125 },
  ])("waits as the server asked ($name) before retrying", async ({ headers, expectedSleep }) => {
    // Prepare
    const { client, time } = setup([failWith(503, headers), ok()]);

    // Act
    await client.groups.retrieve(GROUP_ID);

    // Assess
    expect(time.sleeps).toEqual(expectedSleep === undefined ? [] : [expectedSleep]);
  });

  it("grows the backoff exponentially with full jitter", async () => {
    // Prepare
    const { client, time } = setup([failWith(500), failWith(500), failWith(500), ok()], {
      retry: { baseDelayMs: 100, maxDelayMs: 300 },
      random: () => 0.5,
    });

    // Act
    await client.groups.retrieve(GROUP_ID);

    // Assess
    expect(time.sleeps).toEqual([50, 100, 150]);
  });

  it("reports every attempt, with the delay before the next one", async () => {
    // Prepare
    const { client, attempts } = setup([failWith(503, { "retry-after-ms": "10" }), ok()]);

    // Act
    await client.groups.retrieve(GROUP_ID);

    // Assess
    expect(attempts).toEqual([
      { operation: "groups.retrieve", attempt: 1, status: 503, durationMs: 0, retryDelayMs: 10 },
      { operation: "groups.retrieve", attempt: 2, status: 200, durationMs: 0 },
    ]);
  });

  it.each([
    { name: "HTML", reply: { status: 200, bodyText: "<html>maintenance</html>" } },
    { name: "JSON without data", reply: { status: 200, body: { group: aGroup() } } },
    { name: "a group without a name", reply: { status: 200, body: { data: { ...aGroup(), name: null } } } },
    { name: "an empty 204", reply: { status: 204 } },
  ])("rejects an odd 2xx body ($name) without retrying", async ({ reply }) => {
    // Prepare
    const { client, http } = setup([reply]);

    // Act
    const error = await rejectionOf(client.groups.retrieve(GROUP_ID));

    // Assess
    expect(error).toBeInstanceOf(VitableResponseError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(http.sent).toHaveLength(1);
  });
});

describe("VitableClient on 401", () => {
  function rotatingKey(keys: string[]) {
    let index = 0;
    let refreshes = 0;
    const provider: ApiKeyProvider = {
      get: async () => keys[index] ?? "",
      refresh: async () => {
        refreshes += 1;
        index = Math.min(index + 1, keys.length - 1);
        return keys[index] ?? "";
      },
    };
    return { provider, refreshes: () => refreshes };
  }

  it("refreshes the key once and retries at once with the new key", async () => {
    // Prepare
    const keys = rotatingKey(["vit_apk_old", "vit_apk_new"]);
    const { client, http, time } = setup([failWith(401), ok()], { apiKey: keys.provider });

    // Act
    const group = await client.groups.retrieve(GROUP_ID);

    // Assess
    expect(group.id).toBe(GROUP_ID);
    expect(keys.refreshes()).toBe(1);
    expect(http.sent.map((request) => request.authorization)).toEqual([
      "Bearer vit_apk_old",
      "Bearer vit_apk_new",
    ]);
    expect(time.sleeps).toEqual([]);
  });

  it("throws the second 401 without refreshing again", async () => {
    // Prepare
    const keys = rotatingKey(["vit_apk_old", "vit_apk_new"]);
    const { client, http } = setup([failWith(401)], { apiKey: keys.provider });

    // Act
    const error = await rejectionOf(client.groups.retrieve(GROUP_ID));

    // Assess
    expect(error).toBeInstanceOf(VitableApiError);
    expect(error).toMatchObject({ status: 401, attempts: 2 });
    expect(keys.refreshes()).toBe(1);
    expect(http.sent).toHaveLength(2);
  });

  it("refreshes again on a later call", async () => {
    // Prepare
    const keys = rotatingKey(["vit_apk_1", "vit_apk_2", "vit_apk_3"]);
    const { client } = setup([failWith(401), ok(), failWith(401), ok()], { apiKey: keys.provider });

    // Act
    await client.groups.retrieve(GROUP_ID);
    await client.groups.retrieve(GROUP_ID);

    // Assess
    expect(keys.refreshes()).toBe(2);
  });
});

describe("VitableClient deadline", () => {
  it("stops before a Retry-After that ends past the deadline, without sleeping", async () => {
    // Prepare
    const time = virtualTime();
    const { client, http } = setup([failWith(429, { "retry-after": "5" }), ok()], {
      now: time.now,
      sleep: time.sleep,
    });

    // Act
    const error = await rejectionOf(client.groups.retrieve(GROUP_ID, { deadline: time.deadline(3000) }));

    // Assess
    expect(error).toBeInstanceOf(RetryDeadlineError);
    const deadlineError = error as RetryDeadlineError;
    expect(deadlineError.retryAfterMs).toBe(5000);
    expect(deadlineError.attempts).toBe(1);
    expect(deadlineError.lastError).toBeInstanceOf(VitableApiError);
    expect(deadlineError.lastError).toMatchObject({ status: 429 });
    expect(time.sleeps).toEqual([]);
    expect(http.sent).toHaveLength(1);
  });

  it.each([
    { budgetMs: 1000, expectedSleeps: [250, 500], expectedAttempts: 3 },
    { budgetMs: 700, expectedSleeps: [250], expectedAttempts: 2 },
    { budgetMs: 200, expectedSleeps: [], expectedAttempts: 1 },
    { budgetMs: 100_000, expectedSleeps: [250, 500, 1000], expectedAttempts: 4 },
  ])(
    "with $budgetMs ms left, backs off $expectedSleeps and never sleeps into the deadline",
    async ({ budgetMs, expectedSleeps, expectedAttempts }) => {
      // Prepare
      const time = virtualTime();
      const { client, http } = setup([failWith(503)], {
        now: time.now,
        sleep: time.sleep,
        random: () => 1 - 1e-12,
      });

      // Act
      const error = await rejectionOf(
        client.groups.retrieve(GROUP_ID, { deadline: time.deadline(budgetMs) }),
      );

      // Assess
      expect(time.sleeps.map(Math.round)).toEqual(expectedSleeps);
      expect(time.elapsedMs()).toBeLessThan(budgetMs);
      expect(http.sent).toHaveLength(expectedAttempts);
      expect(error).toMatchObject({ attempts: expectedAttempts });
      if (expectedAttempts < 4) {
        expect(error).toBeInstanceOf(RetryDeadlineError);
        expect((error as RetryDeadlineError).lastError).toMatchObject({ status: 503 });
        expect((error as RetryDeadlineError).retryAfterMs).toBeUndefined();
      } else {
        expect(error).toBeInstanceOf(VitableApiError);
      }
    },
  );

  it.each([0, -5])("sends nothing when %i ms are left", async (remaining) => {
    // Prepare
    const { client, http } = setup([ok()]);

    // Act
    const error = await rejectionOf(
      client.groups.retrieve(GROUP_ID, { deadline: { remainingMs: () => remaining } }),
    );

    // Assess
    expect(error).toBeInstanceOf(RetryDeadlineError);
    expect(error).toMatchObject({ attempts: 0, lastError: undefined });
    expect(http.sent).toHaveLength(0);
  });

  it("cuts the per-attempt timeout to the time left", async () => {
    // Prepare: a server that never answers, a 10 s attempt timeout and 60 ms of deadline (real clock).
    const neverAnswers = (_input: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const endsAt = Date.now() + 60;
    const client = new VitableClient({
      baseUrl: "https://api.example.test",
      apiKey: staticApiKey(KEY),
      fetch: neverAnswers as typeof fetch,
      attemptTimeoutMs: 10_000,
    });

    // Act
    const error = await rejectionOf(
      client.groups.retrieve(GROUP_ID, { deadline: { remainingMs: () => endsAt - Date.now() } }),
    );

    // Assess
    expect(error).toBeInstanceOf(RetryDeadlineError);
    const lastError = (error as RetryDeadlineError).lastError;
    expect(lastError).toBeInstanceOf(VitableTimeoutError);
    expect((lastError as VitableTimeoutError).timeoutMs).toBeGreaterThan(0);
    expect((lastError as VitableTimeoutError).timeoutMs).toBeLessThanOrEqual(60);
  });
});
