import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../cli/errors.ts";
import { type EmbeddedSqs, startEmbeddedSqs } from "../../../local/sqs/embedded-sqs.ts";
import { drainQueue, eventIdsOf, freshQueues } from "../support/dlq-fixtures.ts";
import { clientThatLosesFirstDelete, clientWhoseReplaysFailAgain } from "../support/failing-sqs.ts";
import {
  expectIntact,
  invalidLetter,
  type PutLetter,
  putAll,
  replayWithAudit,
  validLetter,
} from "../support/rotation-fixtures.ts";

let sqs: EmbeddedSqs;
beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});

describe("group-sync dlq replay when things go wrong during the run", () => {
  it("loses nothing: the kept message is in the DLQ twice at worst, and a rerun moves the one behind it", async () => {
    // Prepare: an invalid message ahead of a valid one in the same message group
    const queues = await freshQueues(sqs.client);
    const put = await putAll(sqs.client, queues.dlqUrl, [
      invalidLetter("evt-bad"),
      validLetter("evt-good", "group_not_found"),
    ]);
    const original = put.get("evt-bad") as PutLetter;

    // Act: the copy is sent, then the delete of the original is lost; then the operator runs the replay again
    const crashed = await replayWithAudit(sqs.endpoint, queues, [], {
      clients: { sqs: () => clientThatLosesFirstDelete(sqs.endpoint) },
    });
    const rerun = await replayWithAudit(sqs.endpoint, queues, []);

    // Assess
    expect(crashed.exitCode).toBe(EXIT.failed);
    expect(crashed.stdout).toMatch(
      /^rotate_delete_failed .*event=evt-bad .*new_message=\S+ .*connection reset/m,
    );
    expect(crashed.stdout).toMatch(
      /1 message went to the back of their message group but the original could not/,
    );
    expect(crashed.stdout).toMatch(
      /summary: 0 replayed, 1 kept \(invalid\), 0 skipped \(filters\), 1 failed/,
    );
    expect(crashed.decisions("rotate_delete_failed")).toEqual([
      expect.objectContaining({ dlq_message_id: original.messageId, new_message_id: expect.any(String) }),
    ]);
    expect(crashed.stdout).toMatch(/the DLQ now holds about 3 messages/);
    expect(rerun.exitCode).toBe(EXIT.ok);
    expect(rerun.stdout).toMatch(/summary: 1 replayed, /);
    expect(eventIdsOf(await drainQueue(sqs.client, queues.queueUrl))).toEqual(["evt-good"]);
    // Rotating the original again reuses its deduplication id: within five minutes SQS drops that second copy.
    const left = await drainQueue(sqs.client, queues.dlqUrl);
    expect(eventIdsOf(left)).toEqual(["evt-bad"]);
    for (const message of left) expectIntact(message, original);
  });

  it("replays each message once even when it fails again and comes back while the run goes on", async () => {
    // Prepare: two groups whose every replay is dead-lettered again at once, as for a cause not fixed yet
    const queues = await freshQueues(sqs.client);
    await putAll(sqs.client, queues.dlqUrl, [
      validLetter("evt-first", "group_not_found", "id:grp_A"),
      validLetter("evt-second", "group_not_found", "id:grp_B"),
    ]);
    const bouncing = clientWhoseReplaysFailAgain(sqs.endpoint, {
      sourceQueueUrl: queues.queueUrl,
      dlqUrl: queues.dlqUrl,
    });

    // Act
    const run = await replayWithAudit(sqs.endpoint, queues, [], { clients: { sqs: () => bouncing } });

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(
      run
        .decisions("replayed")
        .map((record) => record.event_id)
        .sort(),
    ).toEqual(["evt-first", "evt-second"]);
    expect(run.stdout).toMatch(
      /2 replayed messages failed again and came back to the DLQ while the replay ran/,
    );
    expect(run.audit.at(-1)).toMatchObject({ type: "finish", returned: 2 });
    expect(eventIdsOf(await drainQueue(sqs.client, queues.queueUrl))).toEqual(["evt-first", "evt-second"]);
    expect(eventIdsOf(await drainQueue(sqs.client, queues.dlqUrl))).toEqual(["evt-first", "evt-second"]);
  });
});
