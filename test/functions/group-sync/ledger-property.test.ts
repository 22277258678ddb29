import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GroupRenamedEvent } from "../../../functions/shared/contract/group-renamed-event.ts";
import { SYNCED_FIELDS, type SyncedField } from "../../../functions/shared/ledger/ledger-store.ts";
import { compareWatermarks } from "../../../functions/shared/ledger/watermark.ts";
import { canonicalInstant } from "../../../functions/shared/time/canonical-instant.ts";
import { makeRecord } from "../../support/events.ts";
import { startSyncHarness } from "../../support/sync-harness.ts";

const GROUPS = ["grp_P0000000000000000000000", "grp_P1111111111111111111111", "grp_P2222222222222222222222"];
const INSTANTS = [
  "2026-06-01T00:00:00Z",
  "2026-06-01T02:00:00+02:00",
  "2026-06-01T01:00:00Z",
  "2026-06-02T00:00:00-03:00",
];

const eventArb = fc.record({
  group: fc.integer({ min: 0, max: GROUPS.length - 1 }),
  instant: fc.integer({ min: 0, max: INSTANTS.length - 1 }),
  fields: fc.subarray([...SYNCED_FIELDS], { minLength: 1 }),
});

/** Each delivery names an event; duplicates and a shuffled order model SQS redelivery and DLQ replays. */
const scenarioArb = fc.array(eventArb, { minLength: 1, maxLength: 12 }).chain((events) =>
  fc.record({
    events: fc.constant(events),
    deliveries: fc
      .array(fc.integer({ min: 0, max: events.length - 1 }), { maxLength: 8 })
      .chain((extra) =>
        fc.shuffledSubarray([...events.keys(), ...extra], { minLength: events.length + extra.length }),
      ),
    batchSizes: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 20 }),
    faultSeed: fc.integer({ min: 1, max: 1_000_000 }),
  }),
);

function toEvent(
  spec: { group: number; instant: number; fields: SyncedField[] },
  index: number,
): GroupRenamedEvent {
  const changes: GroupRenamedEvent["changes"] = {};
  // Values are unique per event, so every value seen at the API tells which event it came from.
  for (const field of spec.fields) changes[field] = `${field}-${index}`;
  return {
    schema_version: 1,
    type: "group.renamed",
    // Ids in shuffled order, so ties on occurred_at are not broken by index order.
    event_id: `e${(index * 7919) % 1000}-${index}`,
    occurred_at: INSTANTS[spec.instant] as string,
    group: { id: GROUPS[spec.group] as string },
    changes,
  };
}

describe("ledger property: any delivery order, duplication, batching and replay", () => {
  it("ends at the newest value per field, decides each event once, and never sends a value older than one applied", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ events: specs, deliveries, batchSizes, faultSeed }) => {
        // Prepare
        const events = specs.map(toEvent);
        const harness = await startSyncHarness({
          groups: GROUPS.map((id, i) => ({ id, name: `seed-${i}`, external_reference_id: `seed-ref-${i}` })),
          maxReceiveCount: 1_000,
          client: { retry: { maxAttempts: 1 } },
          faults: {
            seed: faultSeed,
            random: [{ rate: 0.25, action: { type: "status", status: 503 }, methods: ["PATCH"] }],
          },
        });
        try {
          // Act: deliver in batches; records left for retry come back later, like SQS redelivery or a DLQ replay
          let queue = deliveries.map((eventIndex) => ({ eventIndex, receiveCount: 1 }));
          const decided = new Map<string, string[]>();
          for (let round = 0; queue.length > 0; round++) {
            if (round === 30) harness.emulator.setFaults(undefined);
            const size = batchSizes[round % batchSizes.length] as number;
            const batch = queue.slice(0, size);
            queue = queue.slice(size);
            const records = batch.map((d) =>
              makeRecord(events[d.eventIndex] as GroupRenamedEvent, { receiveCount: d.receiveCount }),
            );
            const response = await harness.run(records);
            const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
            records.forEach((record, i) => {
              const delivery = batch[i] as (typeof batch)[number];
              if (failed.has(record.messageId)) {
                queue.push({ ...delivery, receiveCount: delivery.receiveCount + 1 });
                return;
              }
              const result = harness.reportFor(record.messageId)?.result;
              const eventId = (events[delivery.eventIndex] as GroupRenamedEvent).event_id;
              const label = result?.outcome === "skipped" ? result.reason : (result?.outcome ?? "none");
              decided.set(eventId, [...(decided.get(eventId) ?? []), label]);
            });
          }

          // Assess: the API holds, per group and field, the value of the newest event that set it
          GROUPS.forEach((groupId, g) => {
            for (const field of SYNCED_FIELDS) {
              const newest = newestSetting(events, groupId, field);
              const expected = newest
                ? newest.changes[field]
                : field === "name"
                  ? `seed-${g}`
                  : `seed-ref-${g}`;
              expect(harness.emulator.group(groupId)?.[field]).toBe(expected);
            }
          });
          // Every event is decided exactly once; its other deliveries are duplicates
          for (const event of events) {
            const labels = decided.get(event.event_id) ?? [];
            const decisions = labels.filter((label) => label !== "duplicate");
            expect(decisions).toHaveLength(1);
            expect(["applied", "superseded", "stale"]).toContain(decisions[0]);
          }
          // No successful PATCH carries a value older than one already applied to that field
          const byValue = new Map(
            events.flatMap((e) => SYNCED_FIELDS.map((f) => [`${f}:${e.changes[f]}`, e] as const)),
          );
          for (const groupId of GROUPS) {
            for (const field of SYNCED_FIELDS) {
              const sent = harness.emulator.journal
                .filter((j) => j.method === "PATCH" && j.status === 200 && j.groupId === groupId)
                .map((j) => (j.body as Record<string, string>)[field])
                .filter((value): value is string => value !== undefined)
                .map((value) => byValue.get(`${field}:${value}`) as GroupRenamedEvent);
              for (let i = 1; i < sent.length; i++) {
                expect(
                  compareWatermarks(
                    mark(sent[i - 1] as GroupRenamedEvent),
                    mark(sent[i] as GroupRenamedEvent),
                  ),
                ).toBeLessThanOrEqual(0);
              }
            }
          }
        } finally {
          await harness.stop();
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

function mark(event: GroupRenamedEvent) {
  return { instant: canonicalInstant(event.occurred_at) as string, eventId: event.event_id };
}

function newestSetting(events: GroupRenamedEvent[], groupId: string, field: SyncedField) {
  return events
    .filter((e) => e.group.id === groupId && e.changes[field] !== undefined)
    .reduce<GroupRenamedEvent | undefined>(
      (best, e) => (best === undefined || compareWatermarks(mark(e), mark(best)) > 0 ? e : best),
      undefined,
    );
}
