import { afterEach, describe, expect, it } from "vitest";
import { staticApiKey } from "../../../../functions/shared/vitable/api-key.ts";
import {
  InvalidGroupIdError,
  RetryDeadlineError,
  VitableApiError,
  VitableConnectionError,
  VitableTimeoutError,
} from "../../../../functions/shared/vitable/errors.ts";
import type { FaultAction } from "../../../../local/vitable-emulator/index.ts";
import {
  EMULATOR_KEY,
  emulatorWithClient,
  numberedGroups,
  stopEmulators,
} from "./support/emulator-client.ts";
import { rejectionOf } from "./support/scripted-fetch.ts";

const SEED = { id: "grp_zYxWvUtSrQpOnMlKjIhGfE", name: "Tier 1", external_reference_id: "mol_seg_001" };

afterEach(stopEmulators);

describe("VitableClient over HTTP: endpoints", () => {
  it("update renames the group and returns it, sending only the given fields", async () => {
    // Prepare
    const { emulator, client } = await emulatorWithClient({ groups: [SEED] });

    // Act
    const group = await client.groups.update(SEED.id, { name: "Tier 1 (renamed)" });

    // Assess
    expect(group).toEqual(emulator.group(SEED.id));
    expect(group).toMatchObject({ name: "Tier 1 (renamed)", external_reference_id: "mol_seg_001" });
    expect(emulator.journal).toMatchObject([
      { method: "PATCH", path: `/v1/groups/${SEED.id}`, body: { name: "Tier 1 (renamed)" }, status: 200 },
    ]);
  });

  it("update can change both fields in one call", async () => {
    // Prepare
    const { emulator, client } = await emulatorWithClient({ groups: [SEED] });

    // Act
    const group = await client.groups.update(SEED.id, {
      name: "Tier 1b",
      external_reference_id: "mol_seg_001_v2",
    });

    // Assess
    expect(emulator.group(SEED.id)).toMatchObject({
      name: "Tier 1b",
      external_reference_id: "mol_seg_001_v2",
    });
    expect(group.updated_at).toBe(emulator.group(SEED.id)?.updated_at);
  });

  it.each([
    { name: "a plain id", id: SEED.id },
    { name: "an id with + and = padding", id: "grp_ab+cd-ef_gh==" },
  ])("retrieve returns $name exactly as stored", async ({ id }) => {
    // Prepare
    const { emulator, client } = await emulatorWithClient({ groups: [{ ...SEED, id }] });

    // Act
    const group = await client.groups.retrieve(id);

    // Assess
    expect(group).toEqual(emulator.group(id));
    expect(emulator.journal).toHaveLength(1);
  });

  it.each([
    {
      params: {},
      expectedQuery: {},
      expectedCount: 20,
      expectedPagination: { page: 1, limit: 20, total: 45, total_pages: 3 },
    },
    {
      params: { limit: 10, page: 5 },
      expectedQuery: { limit: "10", page: "5" },
      expectedCount: 5,
      expectedPagination: { page: 5, limit: 10, total: 45, total_pages: 5 },
    },
    {
      params: { limit: 100, page: 2 },
      expectedQuery: { limit: "100", page: "2" },
      expectedCount: 0,
      expectedPagination: { page: 2, limit: 100, total: 45, total_pages: 1 },
    },
  ])(
    "list $params returns one page with its pagination",
    async ({ params, expectedQuery, expectedCount, expectedPagination }) => {
      // Prepare
      const { emulator, client } = await emulatorWithClient({ groups: numberedGroups(45) });

      // Act
      const page = await client.groups.list(params);

      // Assess
      expect(page.data).toHaveLength(expectedCount);
      expect(page.pagination).toEqual(expectedPagination);
      expect(emulator.journal[0]?.query).toEqual(expectedQuery);
    },
  );

  it("404 becomes a VitableApiError with status, app error code and trace id", async () => {
    // Prepare
    const { client } = await emulatorWithClient({ groups: [SEED] });

    // Act
    const error = await rejectionOf(client.groups.retrieve("grp_doesNotExist0000000000"));

    // Assess
    expect(error).toBeInstanceOf(VitableApiError);
    expect(error).toMatchObject({
      status: 404,
      appErrorCode: "not_found",
      message: "Group not found",
      attempts: 1,
    });
    expect((error as VitableApiError).traceId).toEqual(expect.any(String));
  });
});

describe("VitableClient over HTTP: group id checks", () => {
  const badIds = [
    "grp_x/../../employers",
    "../v1/groups",
    "grp_a?limit=100",
    "grp_a#frag",
    "grp_%2F",
    "grp_a b",
    "grp_",
    "",
    "empl_abc123",
    "GRP_abc",
    " grp_abc",
    "grp_abc\n",
  ];

  it.each(badIds)("rejects %j before any request", async (badId) => {
    // Prepare
    const { emulator, client } = await emulatorWithClient({ groups: [SEED] });

    // Act
    const errors = await Promise.all([
      rejectionOf(client.groups.update(badId, { name: "pwned" })),
      rejectionOf(client.groups.retrieve(badId)),
    ]);

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(InvalidGroupIdError);
    }
    expect(emulator.journal).toEqual([]);
    expect(emulator.group(SEED.id)?.name).toBe("Tier 1");
  });
});

describe("VitableClient over HTTP: transient faults", () => {
  const faults: { name: string; action: FaultAction; firstStatus: number | "reset" | "hang" }[] = [
    { name: "503", action: { type: "status", status: 503 }, firstStatus: 503 },
    {
      name: "502 with Retry-After",
      action: { type: "status", status: 502, retryAfterSeconds: 0.05 },
      firstStatus: 502,
    },
    {
      name: "429 with retry-after-ms",
      action: { type: "status", status: 429, retryAfterMs: 30 },
      firstStatus: 429,
    },
    {
      name: "429 with an HTTP date",
      action: { type: "status", status: 429, retryAfterSeconds: 1, retryAfterHttpDate: true },
      firstStatus: 429,
    },
    { name: "connection reset", action: { type: "reset" }, firstStatus: "reset" },
    { name: "hang past the attempt timeout", action: { type: "hang" }, firstStatus: "hang" },
  ];

  it.each(faults)(
    "recovers from one $name and applies the update once it gets through",
    async ({ action, firstStatus }) => {
      // Prepare
      // The client waits on a clock that its sleeps advance, so a Retry-After (up to 2 s for an HTTP date,
      // whose resolution is a second) costs no real time; the emulator's answers still cross real HTTP.
      let advancedMs = 0;
      const sleeps: number[] = [];
      const { emulator, client, attempts } = await emulatorWithClient(
        { groups: [SEED], faults: { script: [{ action, method: "PATCH" }] } },
        {
          attemptTimeoutMs: 300,
          now: () => Date.now() + advancedMs,
          sleep: async (ms) => {
            sleeps.push(ms);
            advancedMs += ms;
          },
        },
      );

      // Act
      const group = await client.groups.update(SEED.id, { name: "Recovered" });

      // Assess
      expect(group.name).toBe("Recovered");
      expect(emulator.group(SEED.id)?.name).toBe("Recovered");
      expect(emulator.journal.map((entry) => entry.status)).toEqual([firstStatus, 200]);
      expect(attempts.map((info) => info.attempt)).toEqual([1, 2]);
      expect(sleeps).toHaveLength(1);
    },
  );

  it("gets through the emulator's rate limiter", async () => {
    // Prepare
    const { emulator, client } = await emulatorWithClient(
      { groups: numberedGroups(6), faults: { rateLimit: { perSecond: 3 } } },
      { retry: { maxAttempts: 10 } },
    );
    const ids = emulator.groups().map((group) => group.id);

    // Act
    const groups = await Promise.all(ids.map((id) => client.groups.retrieve(id)));

    // Assess
    expect(groups.map((group) => group.id)).toEqual(ids);
    expect(emulator.journal.some((entry) => entry.fault === "rate_limit")).toBe(true);
  });
});

describe("VitableClient over HTTP: the API key never leaks", () => {
  const scenarios: {
    name: string;
    action?: FaultAction;
    clientKey?: string;
    deadlineMs?: number;
    expected: new (...args: never[]) => Error;
  }[] = [
    { name: "404", expected: VitableApiError },
    { name: "wrong key (401 twice)", clientKey: `${EMULATOR_KEY}_wrong`, expected: VitableApiError },
    { name: "503 every time", action: { type: "status", status: 503 }, expected: VitableApiError },
    { name: "reset every time", action: { type: "reset" }, expected: VitableConnectionError },
    { name: "hang every time", action: { type: "hang" }, expected: VitableTimeoutError },
    {
      name: "429 beyond the deadline",
      action: { type: "status", status: 429, retryAfterSeconds: 60 },
      deadlineMs: 5000,
      expected: RetryDeadlineError,
    },
  ];

  it.each(scenarios)("$name", async ({ action, clientKey, deadlineMs, expected }) => {
    // Prepare
    const key = clientKey ?? EMULATOR_KEY;
    const { emulator, client, attempts } = await emulatorWithClient(
      { groups: [SEED], faults: action ? { random: [{ rate: 1, action }] } : {} },
      { apiKey: staticApiKey(key), attemptTimeoutMs: 100, retry: { maxAttempts: 2, baseDelayMs: 1 } },
    );
    const endsAt = Date.now() + (deadlineMs ?? 60_000);
    const id = action || clientKey ? SEED.id : "grp_missing";

    // Act
    const error = await rejectionOf(
      client.groups.update(id, { name: "x" }, { deadline: { remainingMs: () => endsAt - Date.now() } }),
    );

    // Assess
    expect(error).toBeInstanceOf(expected);
    const visible = [
      String(error),
      (error as Error).stack,
      JSON.stringify(error),
      String((error as Error).cause),
      JSON.stringify(emulator.journal),
      JSON.stringify(attempts),
    ].join("\n");
    expect(visible).not.toContain(key);
    expect(visible).not.toContain(EMULATOR_KEY);
  });
});

describe("VitableClient over HTTP: concurrency", () => {
  it.each([1, 3, 5])("keeps at most %i requests in flight", async (concurrency) => {
    // Prepare
    let inFlight = 0;
    let maxInFlight = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const response = await fetch(input, init);
        const text = await response.text();
        return new Response(text, { status: response.status, headers: response.headers });
      } finally {
        inFlight -= 1;
      }
    };
    const { emulator, client } = await emulatorWithClient(
      { groups: numberedGroups(12), faults: { latencyMs: 40 } },
      { concurrency, fetch: countingFetch },
    );
    const ids = emulator.groups().map((group) => group.id);

    // Act
    const groups = await Promise.all(ids.map((id) => client.groups.retrieve(id)));

    // Assess
    expect(groups).toHaveLength(12);
    expect(maxInFlight).toBe(concurrency);
    expect(emulator.journal).toHaveLength(12);
  });
});
