import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { EXIT } from "../../../cli/errors.ts";
import type { RecordReport } from "../../../functions/group-sync/outcome.ts";
import { startEventSourceRunner } from "../../../local/runner/event-source-runner.ts";
import { makeEvent, makeRecord } from "../../support/events.ts";
import { type SyncHarness, startSyncHarness } from "../../support/sync-harness.ts";
import { groupSync } from "../support/cli-io.ts";
import { drainQueue } from "../support/dlq-fixtures.ts";
import { clientThatLosesFirstDelete } from "../support/failing-sqs.ts";

const GROUP_A = "grp_LateAAAAAAAAAAAAAAAAA";
const GROUP_B = "grp_LateBBBBBBBBBBBBBBBBB";
/** A missing group is retried until the harness queue's last delivery (5), then dead-lettered. */
const LAST_DELIVERY = { receiveCount: 5 };

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Runs the real handler over everything on the source queue, as the Lambda event source mapping would. */
async function deliverSourceQueue(h: SyncHarness): Promise<void> {
  const runner = startEventSourceRunner({
    sqs: h.sqs.client,
    queueUrl: h.queues.queueUrl,
    queueArn: h.queues.queueArn,
    handler: h.handler,
    waitTimeSeconds: 0,
  });
  await runner.whenIdle({ pollMs: 20 });
  await runner.stop();
}

function replayCli(h: SyncHarness, sqs?: SQSClient) {
  return groupSync(
    [
      "dlq",
      "replay",
      "--endpoint",
      h.sqs.endpoint,
      "--queue-url",
      h.queues.queueUrl,
      "--dlq-url",
      h.queues.dlqUrl,
    ],
    { cwd: mkdtempSync(join(tmpdir(), "group-sync-cli-")), ...(sqs ? { clients: { sqs: () => sqs } } : {}) },
  );
}

const outcomesOf = (reports: readonly RecordReport[], eventId: string) =>
  reports.filter((report) => report.eventId === eventId).map((report) => report.result);

/** PATCHes that changed the group (the 404s from before the fix are left out). */
const appliedPatchesTo = (h: SyncHarness, groupId: string) =>
  h.emulator.journal.filter(
    (entry) => entry.method === "PATCH" && entry.path === `/v1/groups/${groupId}` && entry.status === 200,
  );

describe("replay round trip: DLQ -> source -> handler", () => {
  it("applies replayed events once their cause is fixed, and the ledger skips the stale one", async () => {
    // Prepare: both groups are missing on the renames' last delivery, so the handler dead-letters both as
    // group_not_found
    const h = await startSyncHarness();
    harness = h;
    const renameA = makeEvent({
      group: { id: GROUP_A },
      changes: { name: "A v1" },
      occurred_at: "2026-01-16T09:00:00Z",
    });
    const renameB = makeEvent({
      group: { id: GROUP_B },
      changes: { name: "B v1" },
      occurred_at: "2026-01-16T09:00:00Z",
    });
    await h.run([makeRecord(renameA, LAST_DELIVERY), makeRecord(renameB, LAST_DELIVERY)]);
    expect(outcomesOf(h.reports, renameA.event_id)).toEqual([
      expect.objectContaining({ outcome: "dead_lettered", reason: "group_not_found" }),
    ]);
    // The cause is fixed; meanwhile a newer rename of B was applied directly
    h.emulator.addGroup({ id: GROUP_A, name: "A original", external_reference_id: "ref-a" });
    h.emulator.addGroup({ id: GROUP_B, name: "B original", external_reference_id: "ref-b" });
    const newerB = makeEvent({
      group: { id: GROUP_B },
      changes: { name: "B v2" },
      occurred_at: "2026-01-16T10:00:00Z",
    });
    await h.run([makeRecord(newerB)]);

    // Act
    const run = await replayCli(h);
    await deliverSourceQueue(h);

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.stdout).toMatch(/summary: 2 replayed/);
    expect(outcomesOf(h.reports, renameA.event_id).at(-1)).toEqual({ outcome: "applied", fields: ["name"] });
    expect(outcomesOf(h.reports, renameB.event_id).at(-1)).toEqual({ outcome: "skipped", reason: "stale" });
    expect(h.emulator.group(GROUP_A)?.name).toBe("A v1");
    expect(h.emulator.group(GROUP_B)?.name).toBe("B v2");
    expect(appliedPatchesTo(h, GROUP_B).map((entry) => entry.body)).toEqual([{ name: "B v2" }]);
    expect(await drainQueue(h.sqs.client, h.queues.dlqUrl)).toEqual([]);
  });

  it("survives a crash between send and delete: the second copy is skipped as a duplicate", async () => {
    // Prepare: one rename dead-lettered for a missing group, then the group is created
    const h = await startSyncHarness();
    harness = h;
    const rename = makeEvent({ group: { id: GROUP_A }, changes: { name: "A renamed" } });
    await h.run([makeRecord(rename, LAST_DELIVERY)]);
    h.emulator.addGroup({ id: GROUP_A, name: "A original", external_reference_id: "ref-a" });

    // Act: the first replay sends, then loses the delete; the handler applies the event
    const crashed = await replayCli(h, clientThatLosesFirstDelete(h.sqs.endpoint));
    const dlqAfterCrash = await listedEventIds(h);
    await deliverSourceQueue(h);
    // ... and the operator simply runs the replay again
    const rerun = await replayCli(h);
    await deliverSourceQueue(h);

    // Assess
    expect(crashed.exitCode).toBe(EXIT.failed);
    expect(crashed.stdout).toMatch(/^delete_failed .*event=\S+ .*new_message=\S+ .*connection reset/m);
    expect(crashed.stdout).toMatch(/1 message sent but still in the DLQ \(delete failed\)/);
    expect(dlqAfterCrash).toEqual([rename.event_id]);
    expect(rerun.exitCode).toBe(EXIT.ok);
    expect(outcomesOf(h.reports, rename.event_id).slice(1)).toEqual([
      { outcome: "applied", fields: ["name"] },
      { outcome: "skipped", reason: "duplicate" },
    ]);
    expect(appliedPatchesTo(h, GROUP_A).map((entry) => entry.body)).toEqual([{ name: "A renamed" }]);
    expect(h.emulator.group(GROUP_A)?.name).toBe("A renamed");
    expect(await drainQueue(h.sqs.client, h.queues.dlqUrl)).toEqual([]);
  });
});

/** Event ids in the DLQ, read through the CLI's own listing so that nothing is consumed. */
async function listedEventIds(h: SyncHarness): Promise<string[]> {
  const run = await groupSync([
    "dlq",
    "list",
    "--json",
    "--endpoint",
    h.sqs.endpoint,
    "--dlq-url",
    h.queues.dlqUrl,
  ]);
  const listed = JSON.parse(run.stdout) as { messages: Array<{ event_id: string }> };
  return listed.messages.map((message) => message.event_id);
}
