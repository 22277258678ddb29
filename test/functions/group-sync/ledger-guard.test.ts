import { afterEach, describe, expect, it } from "vitest";
import { makeEvent, makeRecord } from "../../support/events.ts";
import { type SyncHarness, startSyncHarness } from "../../support/sync-harness.ts";

const GROUP = "grp_LLLLLLLLLLLLLLLLLLLLLL";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});
async function start(options: { ledgerHorizonMs?: number } = {}): Promise<SyncHarness> {
  harness = await startSyncHarness({
    groups: [{ id: GROUP, name: "Seed", external_reference_id: "ref-old" }],
    ...options,
  });
  return harness;
}

describe("ledger guard: replays and reordering never overwrite newer values", () => {
  it("skips a replayed older event as stale after a newer one was applied", async () => {
    // Prepare
    const h = await start();
    const newer = makeRecord(
      makeEvent({ occurred_at: "2026-05-02T00:00:00Z", group: { id: GROUP }, changes: { name: "Newer" } }),
    );
    const older = makeRecord(
      makeEvent({ occurred_at: "2026-05-01T00:00:00Z", group: { id: GROUP }, changes: { name: "Older" } }),
    );
    await h.run([newer]);

    // Act
    await h.run([older]);

    // Assess
    expect(h.reportFor(older.messageId)?.result).toEqual({ outcome: "skipped", reason: "stale" });
    expect(h.emulator.group(GROUP)?.name).toBe("Newer");
  });

  it("reports a redelivered event as a duplicate, even after a newer event overtook it", async () => {
    // Prepare
    const first = makeEvent({
      occurred_at: "2026-05-01T00:00:00Z",
      group: { id: GROUP },
      changes: { name: "First" },
    });
    const h = await start();
    await h.run([makeRecord(first)]);
    await h.run([
      makeRecord(
        makeEvent({ occurred_at: "2026-05-03T00:00:00Z", group: { id: GROUP }, changes: { name: "Third" } }),
      ),
    ]);
    const redelivery = makeRecord(first);

    // Act
    await h.run([redelivery]);

    // Assess
    expect(h.reportFor(redelivery.messageId)?.result).toEqual({ outcome: "skipped", reason: "duplicate" });
    expect(h.emulator.group(GROUP)?.name).toBe("Third");
  });

  it("breaks a tie of equal occurred_at by event id, whichever arrives first", async () => {
    // Prepare
    const h = await start();
    const high = makeRecord(
      makeEvent({
        event_id: "evt-b",
        occurred_at: "2026-05-01T00:00:00Z",
        group: { id: GROUP },
        changes: { name: "B wins" },
      }),
    );
    const low = makeRecord(
      makeEvent({
        event_id: "evt-a",
        occurred_at: "2026-05-01T00:00:00Z",
        group: { id: GROUP },
        changes: { name: "A loses" },
      }),
    );

    // Act
    await h.run([high]);
    await h.run([low]);

    // Assess
    expect(h.reportFor(low.messageId)?.result).toEqual({ outcome: "skipped", reason: "stale" });
    expect(h.emulator.group(GROUP)?.name).toBe("B wins");
  });

  it("compares occurred_at across time zone offsets as instants", async () => {
    // Prepare: 10:30+05:30 is 05:00Z, earlier than 06:00Z although its wall time is later
    const h = await start();
    const utc = makeRecord(
      makeEvent({ occurred_at: "2026-05-01T06:00:00Z", group: { id: GROUP }, changes: { name: "06:00Z" } }),
    );
    const india = makeRecord(
      makeEvent({
        occurred_at: "2026-05-01T10:30:00+05:30",
        group: { id: GROUP },
        changes: { name: "05:00Z" },
      }),
    );

    // Act
    await h.run([utc]);
    await h.run([india]);

    // Assess
    expect(h.reportFor(india.messageId)?.result).toEqual({ outcome: "skipped", reason: "stale" });
    expect(h.emulator.group(GROUP)?.name).toBe("06:00Z");
  });

  it("applies only the newer fields of a partly stale event", async () => {
    // Prepare
    const h = await start();
    await h.run([
      makeRecord(
        makeEvent({
          occurred_at: "2026-05-05T00:00:00Z",
          group: { id: GROUP },
          changes: { name: "Newest name" },
        }),
      ),
    ]);
    const mixed = makeRecord(
      makeEvent({
        occurred_at: "2026-05-03T00:00:00Z",
        group: { id: GROUP },
        changes: { name: "Old name", external_reference_id: "ref-new" },
      }),
    );

    // Act
    await h.run([mixed]);

    // Assess
    expect(h.reportFor(mixed.messageId)?.result).toEqual({
      outcome: "applied",
      fields: ["external_reference_id"],
    });
    expect(h.emulator.group(GROUP)).toMatchObject({ name: "Newest name", external_reference_id: "ref-new" });
  });

  it("resolves an event that targets the group by the external id an earlier event of the batch gave it", async () => {
    // Prepare
    const h = await start();
    const rename = makeRecord(
      makeEvent({
        occurred_at: "2026-05-01T00:00:00Z",
        group: { id: GROUP },
        changes: { external_reference_id: "ref-new" },
      }),
      { messageGroupId: "tenant" },
    );
    const byNewRef = makeRecord(
      makeEvent({
        occurred_at: "2026-05-02T00:00:00Z",
        group: { external_reference_id: "ref-new" },
        changes: { name: "Via new ref" },
      }),
      { messageGroupId: "tenant" },
    );

    // Act
    await h.run([rename, byNewRef]);

    // Assess
    expect(h.reportFor(byNewRef.messageId)?.result).toEqual({ outcome: "applied", fields: ["name"] });
    expect(h.reportFor(byNewRef.messageId)?.groupId).toBe(GROUP);
    expect(h.emulator.group(GROUP)).toMatchObject({ name: "Via new ref", external_reference_id: "ref-new" });
  });

  it("routes an old event that targets the group by its old external id to the group, where it is judged stale", async () => {
    // Prepare: the group is looked up once by its old id, then renamed
    const h = await start();
    await h.run([
      makeRecord(
        makeEvent({
          occurred_at: "2026-05-01T00:00:00Z",
          group: { external_reference_id: "ref-old" },
          changes: { name: "One" },
        }),
      ),
    ]);
    await h.run([
      makeRecord(
        makeEvent({
          occurred_at: "2026-05-05T00:00:00Z",
          group: { id: GROUP },
          changes: { name: "Five", external_reference_id: "ref-five" },
        }),
      ),
    ]);
    h.client.forgetExternalReferenceId("ref-old");
    const old = makeRecord(
      makeEvent({
        occurred_at: "2026-05-03T00:00:00Z",
        group: { external_reference_id: "ref-old" },
        changes: { name: "Three" },
      }),
    );

    // Act
    await h.run([old]);

    // Assess
    expect(h.reportFor(old.messageId)?.groupId).toBe(GROUP);
    expect(h.reportFor(old.messageId)?.result).toEqual({ outcome: "skipped", reason: "stale" });
    expect(h.emulator.group(GROUP)).toMatchObject({ name: "Five", external_reference_id: "ref-five" });
    expect(await h.drainDlq()).toEqual([]);
  });

  it("dead-letters an event older than the ledger horizon instead of risking a revert", async () => {
    // Prepare: watermarks live 30 days, so the horizon is 28 days
    const h = await start({ ledgerHorizonMs: 28 * 86_400_000 });
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const ancient = makeRecord(
      makeEvent({ occurred_at: daysAgo(40), group: { id: GROUP }, changes: { name: "Ancient" } }),
    );
    const recent = makeRecord(
      makeEvent({ occurred_at: daysAgo(1), group: { id: GROUP }, changes: { name: "Recent" } }),
      {
        messageGroupId: "other",
      },
    );

    // Act
    await h.run([ancient, recent]);

    // Assess
    expect(h.reportFor(ancient.messageId)?.result).toMatchObject({
      outcome: "dead_lettered",
      reason: "event_too_old",
    });
    expect(h.reportFor(recent.messageId)?.result.outcome).toBe("applied");
    const [message] = await h.drainDlq();
    expect(message?.MessageAttributes?.failure_reason?.StringValue).toBe("event_too_old");
  });

  it("records a stale event even when its batch's PATCH failed, so its redelivery is a duplicate", async () => {
    // Prepare: the group's name is at 05:00; a batch holds a stale event, then a newer one whose PATCH fails
    harness = await startSyncHarness({
      groups: [{ id: GROUP, name: "Seed", external_reference_id: "ref-old" }],
      client: { retry: { maxAttempts: 1 } },
    });
    const h = harness;
    await h.run([
      makeRecord(
        makeEvent({ occurred_at: "2026-05-05T00:00:00Z", group: { id: GROUP }, changes: { name: "Five" } }),
      ),
    ]);
    const stale = makeEvent({
      occurred_at: "2026-05-01T00:00:00Z",
      group: { id: GROUP },
      changes: { name: "One" },
    });
    const newer = makeEvent({
      occurred_at: "2026-05-06T00:00:00Z",
      group: { id: GROUP },
      changes: { name: "Six" },
    });
    h.emulator.setFaults({ script: [{ action: { type: "status", status: 503 }, method: "PATCH" }] });
    const first = makeRecord(stale);
    await h.run([first, makeRecord(newer)]);
    const again = makeRecord(stale);

    // Act
    await h.run([again]);

    // Assess
    expect(h.reportFor(first.messageId)?.result).toEqual({ outcome: "skipped", reason: "stale" });
    expect(h.reportFor(again.messageId)?.result).toEqual({ outcome: "skipped", reason: "duplicate" });
  });
});
