import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inCloudEvent, inCloudEventBase64 } from "../../fixtures/events/factories.ts";
import { makeEvent, makeRecord } from "../../support/events.ts";
import { type SyncHarness, startSyncHarness } from "../../support/sync-harness.ts";

const GROUP = "grp_QQQQQQQQQQQQQQQQQQQQQQ";
let harness: SyncHarness;
beforeAll(async () => {
  harness = await startSyncHarness({ groups: [{ id: GROUP, name: "Q", external_reference_id: "ref-q" }] });
});
afterAll(async () => harness.stop());

/** Bodies from raw bytes, arbitrary Unicode, arbitrary JSON, and valid events in every envelope. */
const bodyArb = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString("utf8")),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.json(),
  fc.constant(null).map(() => JSON.stringify(makeEvent({ group: { id: GROUP } }))),
  fc
    .constant(null)
    .map(() =>
      JSON.stringify({ Type: "Notification", Message: JSON.stringify(makeEvent({ group: { id: GROUP } })) }),
    ),
  fc.constant(null).map(() =>
    JSON.stringify({
      version: "0",
      "detail-type": "group.renamed",
      source: "hr",
      detail: makeEvent({ group: { id: GROUP } }),
    }),
  ),
  fc.constant(null).map(() => JSON.stringify(inCloudEvent(makeEvent({ group: { id: GROUP } })))),
  fc.constant(null).map(() => JSON.stringify(inCloudEventBase64(makeEvent({ group: { id: GROUP } })))),
);

describe("sync handler: any body", () => {
  it("gives every record exactly one outcome and never throws", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(bodyArb, { minLength: 1, maxLength: 10 }), async (bodies) => {
        // Prepare
        const records = bodies.map((body) => makeRecord(body, { messageGroupId: "any" }));
        const before = harness.reports.length;

        // Act
        const response = await harness.run(records);

        // Assess
        const reports = harness.reports.slice(before);
        expect(reports.map((r) => r.messageId).sort()).toEqual(records.map((r) => r.messageId).sort());
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        for (const report of reports) {
          expect(["applied", "skipped", "dead_lettered", "retry_later"]).toContain(report.result.outcome);
          expect(failed.has(report.messageId)).toBe(report.result.outcome === "retry_later");
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
