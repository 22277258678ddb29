import { describe, expect, it, vi } from "vitest";
import type { FaultAction } from "../../../local/vitable-emulator/index.ts";
import { call, errorOf, seed, startEmulator, stopEmulatorsAfterEach } from "./support.ts";

stopEmulatorsAfterEach();

const ID = "grp_faultTarget";
const oneGroup = () => [seed({ id: ID, name: "Before" })];
const status = (
  code: number,
  extra: Partial<Extract<FaultAction, { type: "status" }>> = {},
): FaultAction => ({
  type: "status",
  status: code,
  ...extra,
});

describe("status faults", () => {
  it.each([
    {
      label: "Retry-After in seconds",
      action: status(503, { retryAfterSeconds: 3 }),
      retryAfter: "3",
      retryAfterMs: null,
      shouldRetry: null,
    },
    {
      label: "fractional seconds rounded up",
      action: status(503, { retryAfterSeconds: 1.2 }),
      retryAfter: "2",
      retryAfterMs: null,
      shouldRetry: null,
    },
    {
      label: "retry-after-ms",
      action: status(429, { retryAfterMs: 1500 }),
      retryAfter: null,
      retryAfterMs: "1500",
      shouldRetry: null,
    },
    {
      label: "both hints",
      action: status(429, { retryAfterSeconds: 2, retryAfterMs: 1500 }),
      retryAfter: "2",
      retryAfterMs: "1500",
      shouldRetry: null,
    },
    {
      label: "x-should-retry true",
      action: status(400, { shouldRetry: true }),
      retryAfter: null,
      retryAfterMs: null,
      shouldRetry: "true",
    },
    {
      label: "x-should-retry false",
      action: status(500, { shouldRetry: false }),
      retryAfter: null,
      retryAfterMs: null,
      shouldRetry: "false",
    },
    { label: "no hints", action: status(502), retryAfter: null, retryAfterMs: null, shouldRetry: null },
  ])("answer with $label", async ({ action, retryAfter, retryAfterMs, shouldRetry }) => {
    // Prepare
    const emulator = await startEmulator({ groups: oneGroup(), faults: { script: [{ action }] } });
    const expectedStatus = action.type === "status" ? action.status : 0;

    // Act
    const response = await call(emulator, "GET", `/v1/groups/${ID}`);

    // Assess
    expect(response.status).toBe(expectedStatus);
    expect(response.headers.get("retry-after")).toBe(retryAfter);
    expect(response.headers.get("retry-after-ms")).toBe(retryAfterMs);
    expect(response.headers.get("x-should-retry")).toBe(shouldRetry);
    expect(errorOf(response)).toEqual({
      timestamp: expect.any(String),
      message: errorOf(response).message,
      error: errorOf(response).message,
      trace_id: expect.any(String),
    });
    expect(emulator.journal[0]).toMatchObject({
      status: expectedStatus,
      fault: `status:${expectedStatus}`,
      groupId: ID,
    });
  });

  it("gives Retry-After as an HTTP date no earlier than the configured pause", async () => {
    // Prepare
    const emulator = await startEmulator({
      faults: { script: [{ action: status(503, { retryAfterHttpDate: true, retryAfterSeconds: 120 }) }] },
    });
    const sentAt = Date.now();

    // Act
    const response = await call(emulator, "GET", "/v1/groups");

    // Assess
    const header = response.headers.get("retry-after") ?? "";
    expect(header).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(Date.parse(header)).toBeGreaterThanOrEqual(sentAt + 120_000);
    expect(Date.parse(header)).toBeLessThanOrEqual(Date.now() + 121_000);
  });

  it("carries the configured app_error_code", async () => {
    // Prepare
    const emulator = await startEmulator({
      faults: { script: [{ action: status(502, { appErrorCode: "upstream_unavailable" }) }] },
    });

    // Act
    const response = await call(emulator, "GET", "/v1/groups");

    // Assess
    expect(errorOf(response).app_error_code).toBe("upstream_unavailable");
  });
});

describe("connection faults", () => {
  it("reset drops the connection without an answer and changes nothing", async () => {
    // Prepare
    const emulator = await startEmulator({
      groups: oneGroup(),
      faults: { script: [{ action: { type: "reset" } }] },
    });
    const before = emulator.groups();

    // Act
    const attempt = call(emulator, "PATCH", `/v1/groups/${ID}`, { json: { name: "After" } });

    // Assess
    await expect(attempt).rejects.toThrow("fetch failed");
    expect(emulator.groups()).toEqual(before);
    expect(emulator.journal).toMatchObject([{ status: "reset", fault: "reset", body: { name: "After" } }]);
  });

  it("hang holds the request until the client aborts, and changes nothing", async () => {
    // Prepare
    const emulator = await startEmulator({
      groups: oneGroup(),
      faults: { script: [{ action: { type: "hang" } }] },
    });
    const before = emulator.groups();
    const abort = new AbortController();

    // Act
    const attempt = call(emulator, "PATCH", `/v1/groups/${ID}`, {
      json: { name: "After" },
      signal: abort.signal,
    });
    await vi.waitFor(() => expect(emulator.journal).toHaveLength(1));
    abort.abort();

    // Assess
    await expect(attempt).rejects.toThrow(/abort/i);
    expect(emulator.journal).toMatchObject([{ status: "hang", fault: "hang", groupId: ID }]);
    expect(emulator.groups()).toEqual(before);
    expect((await call(emulator, "GET", `/v1/groups/${ID}`)).status).toBe(200);
  });

  it("hang with ms drops the connection unanswered once the time is up", async () => {
    // Prepare
    const emulator = await startEmulator({
      groups: oneGroup(),
      faults: { script: [{ action: { type: "hang", ms: 20 } }] },
    });
    const before = emulator.groups();

    // Act
    const attempt = call(emulator, "PATCH", `/v1/groups/${ID}`, { json: { name: "After" } });

    // Assess
    await expect(attempt).rejects.toThrow("fetch failed");
    expect(emulator.groups()).toEqual(before);
  });
});

describe("rate limit", () => {
  it.each([
    { label: "the rest of the window", retryAfterMs: undefined },
    { label: "the configured pause", retryAfterMs: 2500 },
  ])("lets perSecond requests through, then answers 429 asking to wait $label", async ({ retryAfterMs }) => {
    // Prepare
    const rateLimit = retryAfterMs === undefined ? { perSecond: 3 } : { perSecond: 3, retryAfterMs };
    const emulator = await startEmulator({ faults: { rateLimit } });

    // Act
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof call>> | undefined;
    for (let index = 0; index < 4; index++) {
      const response = await call(emulator, "GET", "/v1/groups");
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }

    // Assess
    expect(statuses).toEqual([200, 200, 200, 429]);
    const waitMs = Number(limited?.headers.get("retry-after-ms"));
    const waitSeconds = Number(limited?.headers.get("retry-after"));
    if (retryAfterMs === undefined) {
      expect(waitMs).toBeGreaterThan(0);
      expect(waitMs).toBeLessThanOrEqual(1000);
    } else {
      expect(waitMs).toBe(retryAfterMs);
    }
    expect(waitSeconds).toBe(Math.ceil(waitMs / 1000));
    expect(errorOf({ body: limited?.body }).app_error_code).toBe("rate_limited");
    expect(emulator.journal.map((entry) => entry.fault)).toEqual([
      undefined,
      undefined,
      undefined,
      "rate_limit",
    ]);
  });
});
