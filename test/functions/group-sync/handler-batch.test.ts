import { afterEach, describe, expect, it } from "vitest";
import { makeEvent, makeRecord } from "../../support/events.ts";
import { type HarnessOptions, type SyncHarness, startSyncHarness } from "../../support/sync-harness.ts";

const GROUP_A = "grp_AAAAAAAAAAAAAAAAAAAAAA";
const GROUP_B = "grp_BBBBBBBBBBBBBBBBBBBBBB";
const GROUP_C = "grp_CCCCCCCCCCCCCCCCCCCCCC";
/** The harness's source queue redrives after 5 deliveries. */
const LAST_DELIVERY = { receiveCount: 5 };
const receiveCountOf = (record: { attributes: { ApproximateReceiveCount: string } }) =>
  Number(record.attributes.ApproximateReceiveCount);
const seeds = [
  { id: GROUP_A, name: "Tier A", external_reference_id: "ref-a" },
  { id: GROUP_B, name: "Tier B", external_reference_id: "ref-b" },
  { id: GROUP_C, name: "Tier C", external_reference_id: "ref-c" },
];

let harness: SyncHarness | undefined;
async function start(options: HarnessOptions = {}): Promise<SyncHarness> {
  harness = await startSyncHarness({ groups: seeds, ...options });
  return harness;
}
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const patches = (h: SyncHarness) => h.emulator.journal.filter((entry) => entry.method === "PATCH");

describe("sync handler: batch semantics", () => {
  it("applies a rename as one PATCH carrying only the changed fields", async () => {
    // Prepare
    const h = await start();
    const record = makeRecord(makeEvent({ group: { id: GROUP_A }, changes: { name: "Tier A (renamed)" } }));

    // Act
    const response = await h.run([record]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(h.reportFor(record.messageId)?.result).toEqual({ outcome: "applied", fields: ["name"] });
    expect(patches(h).map((p) => p.body)).toEqual([{ name: "Tier A (renamed)" }]);
    expect(h.emulator.group(GROUP_A)?.name).toBe("Tier A (renamed)");
    expect(h.emulator.group(GROUP_A)?.external_reference_id).toBe("ref-a");
  });

  it("resolves a group by its external reference id", async () => {
    // Prepare
    const h = await start();
    const record = makeRecord(
      makeEvent({
        group: { external_reference_id: "ref-b" },
        changes: { external_reference_id: "ref-b-v2" },
      }),
    );

    // Act
    await h.run([record]);

    // Assess
    expect(h.reportFor(record.messageId)?.groupId).toBe(GROUP_B);
    expect(h.emulator.group(GROUP_B)?.external_reference_id).toBe("ref-b-v2");
  });

  it("in a FIFO message group, stops at the first record left for retry and does not attempt the later ones", async () => {
    // Prepare: one message group holds events for A then B; A's PATCH fails with a 503
    const h = await start({
      client: { retry: { maxAttempts: 1 } },
      faults: {
        script: [
          { action: { type: "status", status: 503 }, method: "PATCH", pathPrefix: `/v1/groups/${GROUP_A}` },
        ],
      },
    });
    const first = makeRecord(makeEvent({ group: { id: GROUP_A } }), { messageGroupId: "tenant-1" });
    const second = makeRecord(makeEvent({ group: { id: GROUP_B } }), { messageGroupId: "tenant-1" });
    const otherGroup = makeRecord(makeEvent({ group: { id: GROUP_C } }), { messageGroupId: "tenant-2" });

    // Act
    const response = await h.run([first, second, otherGroup]);

    // Assess
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [first.messageId, second.messageId].sort(),
    );
    expect(h.reportFor(first.messageId)?.result).toMatchObject({
      outcome: "retry_later",
      reason: "api_unavailable",
      httpStatus: 503,
    });
    expect(h.reportFor(second.messageId)?.result).toMatchObject({
      outcome: "retry_later",
      reason: "blocked_by_earlier_failure",
    });
    expect(patches(h).some((p) => p.path.includes(GROUP_B))).toBe(false);
    expect(h.reportFor(otherGroup.messageId)?.result.outcome).toBe("applied");
  });

  it("on a standard queue, runs records of different groups independently", async () => {
    // Prepare
    const h = await start({
      client: { retry: { maxAttempts: 1 } },
      faults: {
        script: [
          { action: { type: "status", status: 500 }, method: "PATCH", pathPrefix: `/v1/groups/${GROUP_A}` },
        ],
      },
    });
    const failing = makeRecord(makeEvent({ group: { id: GROUP_A } }), { fifo: false });
    const fine = makeRecord(makeEvent({ group: { id: GROUP_B } }), { fifo: false });

    // Act
    const response = await h.run([failing, fine]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }]);
    expect(h.reportFor(fine.messageId)?.result.outcome).toBe("applied");
  });

  it("gives each record of a mixed batch its own outcome and dead-letters the permanent failures with their reasons", async () => {
    // Prepare
    const h = await start();
    await h.run([
      makeRecord(
        makeEvent({
          event_id: "seen-before",
          occurred_at: "2026-02-01T00:00:00Z",
          group: { id: GROUP_C },
          changes: { name: "C2" },
        }),
      ),
    ]);
    const cases = {
      applied: makeRecord(
        makeEvent({ occurred_at: "2026-02-02T00:00:00Z", group: { id: GROUP_A }, changes: { name: "A2" } }),
      ),
      duplicate: makeRecord(
        makeEvent({
          event_id: "seen-before",
          occurred_at: "2026-02-01T00:00:00Z",
          group: { id: GROUP_C },
          changes: { name: "C2" },
        }),
      ),
      stale: makeRecord(
        makeEvent({
          occurred_at: "2026-01-01T00:00:00Z",
          group: { id: GROUP_C },
          changes: { name: "C-old" },
        }),
      ),
      invalidJson: makeRecord("{not json"),
      invalidMessage: makeRecord(JSON.stringify({ ...makeEvent(), changes: { name: null } })),
      unsupportedVersion: makeRecord(JSON.stringify({ ...makeEvent(), schema_version: 2 })),
      // These three may heal while deliveries remain; on the last one they keep their own reason.
      notFound: makeRecord(makeEvent({ group: { id: "grp_ZZZZZZZZZZZZZZZZZZZZZZ" } }), LAST_DELIVERY),
      unknownRef: makeRecord(
        makeEvent({ group: { external_reference_id: "nobody-has-this" } }),
        LAST_DELIVERY,
      ),
      conflict: makeRecord(
        makeEvent({ group: { id: GROUP_B }, changes: { external_reference_id: "ref-a" } }),
        LAST_DELIVERY,
      ),
    };

    // Act
    const response = await h.run(Object.values(cases));

    // Assess
    const outcome = (key: keyof typeof cases) => h.reportFor(cases[key].messageId)?.result;
    expect(outcome("applied")).toEqual({ outcome: "applied", fields: ["name"] });
    expect(outcome("duplicate")).toEqual({ outcome: "skipped", reason: "duplicate" });
    expect(outcome("stale")).toEqual({ outcome: "skipped", reason: "stale" });
    expect(outcome("invalidJson")).toMatchObject({ outcome: "dead_lettered", reason: "invalid_json" });
    expect(outcome("invalidMessage")).toMatchObject({ outcome: "dead_lettered", reason: "invalid_message" });
    expect(outcome("unsupportedVersion")).toMatchObject({
      outcome: "dead_lettered",
      reason: "unsupported_schema_version",
    });
    expect(outcome("notFound")).toMatchObject({
      outcome: "dead_lettered",
      reason: "group_not_found",
      httpStatus: 404,
    });
    expect(outcome("unknownRef")).toMatchObject({ outcome: "dead_lettered", reason: "group_not_found" });
    expect(outcome("conflict")).toMatchObject({
      outcome: "dead_lettered",
      reason: "conflict",
      httpStatus: 409,
    });
    expect(response.batchItemFailures).toEqual([]);

    const dlq = await h.drainDlq();
    const bySource = new Map(dlq.map((m) => [m.MessageAttributes?.source_message_id?.StringValue, m]));
    const deadLettered = [
      "invalidJson",
      "invalidMessage",
      "unsupportedVersion",
      "notFound",
      "unknownRef",
      "conflict",
    ] as const;
    expect(dlq).toHaveLength(deadLettered.length);
    for (const key of deadLettered) {
      const message = bySource.get(cases[key].messageId);
      expect(message?.Body).toBe(cases[key].body);
      expect(message?.MessageAttributes?.failure_reason?.StringValue).toBe(
        (outcome(key) as { reason: string }).reason,
      );
      expect(message?.MessageAttributes?.failure_detail?.StringValue).not.toBe("");
      expect(Date.parse(message?.MessageAttributes?.failed_at?.StringValue ?? "")).not.toBeNaN();
      expect(message?.MessageAttributes?.attempts?.StringValue).toBe(String(receiveCountOf(cases[key])));
      expect(message?.Attributes?.MessageGroupId).toBe(cases[key].attributes.MessageGroupId);
    }
    expect(bySource.get(cases.notFound.messageId)?.MessageAttributes?.http_status?.StringValue).toBe("404");
    expect(bySource.get(cases.invalidJson.messageId)?.MessageAttributes?.http_status).toBeUndefined();
  });

  it("coalesces a group's events into one PATCH and reports the overtaken ones as superseded", async () => {
    // Prepare
    const h = await start();
    const older = makeRecord(
      makeEvent({ occurred_at: "2026-03-01T00:00:00Z", group: { id: GROUP_A }, changes: { name: "First" } }),
    );
    const newer = makeRecord(
      makeEvent({ occurred_at: "2026-03-02T00:00:00Z", group: { id: GROUP_A }, changes: { name: "Second" } }),
    );

    // Act
    await h.run([older, newer]);

    // Assess
    expect(patches(h).map((p) => p.body)).toEqual([{ name: "Second" }]);
    expect(h.reportFor(older.messageId)?.result).toEqual({ outcome: "skipped", reason: "superseded" });
    expect(h.reportFor(newer.messageId)?.result).toEqual({ outcome: "applied", fields: ["name"] });
  });

  it("falls back to one PATCH per event when a coalesced PATCH is refused, so only the culprit is dead-lettered", async () => {
    // Prepare: the second event takes an external id that group B already holds (409)
    const h = await start({ client: { retry: { maxAttempts: 1, maxConflictRetries: 0 } } });
    const rename = makeRecord(
      makeEvent({
        occurred_at: "2026-03-01T00:00:00Z",
        group: { id: GROUP_A },
        changes: { name: "Renamed A" },
      }),
    );
    const clash = makeRecord(
      makeEvent({
        occurred_at: "2026-03-02T00:00:00Z",
        group: { id: GROUP_A },
        changes: { external_reference_id: "ref-b" },
      }),
    );

    // Act
    const response = await h.run([rename, clash]);

    // Assess
    expect(h.reportFor(rename.messageId)?.result).toEqual({ outcome: "applied", fields: ["name"] });
    expect(h.reportFor(clash.messageId)?.result).toMatchObject({
      outcome: "retry_later",
      reason: "conflict",
      httpStatus: 409,
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: clash.messageId }]);
    expect(h.emulator.group(GROUP_A)).toMatchObject({ name: "Renamed A", external_reference_id: "ref-a" });
  });

  it("dead-letters a record that still fails on its last delivery, with the last error attached", async () => {
    // Prepare
    const h = await start({
      maxReceiveCount: 3,
      client: { retry: { maxAttempts: 1 } },
      faults: { script: [{ action: { type: "status", status: 502 }, method: "PATCH" }] },
    });
    const record = makeRecord(makeEvent({ group: { id: GROUP_A } }), { receiveCount: 3 });

    // Act
    const response = await h.run([record]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(h.reportFor(record.messageId)?.result).toMatchObject({
      outcome: "dead_lettered",
      reason: "retries_exhausted",
      httpStatus: 502,
    });
    const [message] = await h.drainDlq();
    expect(message?.MessageAttributes?.failure_reason?.StringValue).toBe("retries_exhausted");
    expect(message?.MessageAttributes?.failure_detail?.StringValue).toContain("api_unavailable");
    expect(message?.MessageAttributes?.attempts?.StringValue).toBe("3");
  });

  it("never acks a permanent failure it could not store: a failed DLQ send leaves the record for retry", async () => {
    // Prepare
    const h = await start({ dlqUrl: "http://127.0.0.1:1/000000000000/missing-dlq.fifo" });
    const record = makeRecord("{broken");

    // Act
    const response = await h.run([record]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(h.reportFor(record.messageId)?.result).toMatchObject({
      outcome: "retry_later",
      reason: "dlq_send_failed",
      detail: expect.stringContaining("invalid_json"),
    });
  });

  it("treats 401 and 403 as retry_later, never as a dead letter", async () => {
    // Prepare
    const h = await start({
      client: { retry: { maxAttempts: 1 } },
      faults: { script: [{ action: { type: "status", status: 403 }, method: "PATCH" }] },
    });
    const record = makeRecord(makeEvent({ group: { id: GROUP_A } }));

    // Act
    const response = await h.run([record]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(h.reportFor(record.messageId)?.result).toMatchObject({
      outcome: "retry_later",
      reason: "unauthorized",
      httpStatus: 403,
    });
    expect(await h.drainDlq()).toEqual([]);
  });

  it("stops before the deadline and leaves the record for redelivery", async () => {
    // Prepare: every attempt hangs, and the invocation has 1.5 s left with a 0.5 s safety margin
    const h = await start({
      safetyMarginMs: 500,
      client: { attemptTimeoutMs: 10_000, retry: { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 50 } },
      faults: { random: [{ rate: 1, action: { type: "hang" }, methods: ["PATCH"] }] },
    });
    const record = makeRecord(makeEvent({ group: { id: GROUP_A } }));

    // Act
    const response = await h.run([record], 1_500);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(h.reportFor(record.messageId)?.result).toMatchObject({
      outcome: "retry_later",
      reason: "deadline",
    });
  });
});
