import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../cli/errors.ts";
import { type EmbeddedSqs, type QueuePair, startEmbeddedSqs } from "../../../local/sqs/embedded-sqs.ts";
import { makeEvent } from "../../support/events.ts";
import { groupSync } from "../support/cli-io.ts";
import {
  type DeadLetterSpec,
  drainQueue,
  eventIdsOf,
  freshQueues,
  freshStandardQueues,
} from "../support/dlq-fixtures.ts";
import {
  eventIdOf,
  expectIntact,
  hoursAgo,
  invalidLetter,
  NOW,
  type PutLetter,
  putAll as putLetters,
  replayWithAudit,
  SHARED_GROUP,
  validLetter,
} from "../support/rotation-fixtures.ts";

let sqs: EmbeddedSqs;
beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});

const putAll = (queueUrl: string, specs: readonly DeadLetterSpec[]) =>
  putLetters(sqs.client, queueUrl, specs);
const replay = (queues: QueuePair, extra: string[]) => replayWithAudit(sqs.endpoint, queues, extra);

interface BlockedGroupCase {
  name: string;
  /** One FIFO message group, head first. */
  letters: () => DeadLetterSpec[];
  extra: string[];
  moved: string[];
  rotated: string[];
  note: RegExp | undefined;
}

describe("group-sync dlq replay on a FIFO DLQ: rotating what it leaves behind", () => {
  it.each<BlockedGroupCase>([
    {
      name: "an invalid message",
      letters: () => [invalidLetter("evt-bad"), validLetter("evt-good", "group_not_found")],
      extra: [],
      moved: ["evt-good"],
      rotated: ["evt-bad"],
      note: undefined,
    },
    {
      name: "a message the filters skip",
      letters: () => [validLetter("evt-conflict", "conflict"), validLetter("evt-404", "group_not_found")],
      extra: ["--reason", "group_not_found"],
      moved: ["evt-404"],
      rotated: ["evt-conflict"],
      note: undefined,
    },
    {
      name: "an invalid message, with --no-rotate",
      letters: () => [invalidLetter("evt-bad"), validLetter("evt-good", "group_not_found")],
      extra: ["--no-rotate"],
      moved: [],
      rotated: [],
      note: /held about 2 messages and 1 were read; .*--no-rotate leaves those where they are/,
    },
    {
      name: "a message the filters skip, with --no-rotate",
      letters: () => [validLetter("evt-conflict", "conflict"), validLetter("evt-404", "group_not_found")],
      extra: ["--reason", "group_not_found", "--no-rotate"],
      moved: [],
      rotated: [],
      note: /held about 2 messages and 1 were read; .*--no-rotate leaves those where they are/,
    },
  ])(
    "behind $name in the same message group: moves $moved, and the rest stays intact",
    async ({ letters, extra, moved, rotated, note }) => {
      // Prepare
      const queues = await freshQueues(sqs.client);
      const put = await putAll(queues.dlqUrl, letters());

      // Act
      const run = await replay(queues, extra);

      // Assess
      expect(run.exitCode).toBe(EXIT.ok);
      expect(eventIdsOf(await drainQueue(sqs.client, queues.queueUrl))).toEqual(moved);
      const left = await drainQueue(sqs.client, queues.dlqUrl);
      expect(eventIdsOf(left)).toEqual([...put.keys()].filter((id) => !moved.includes(id)).sort());
      for (const message of left) {
        const letter = put.get(eventIdOf(message)) as PutLetter;
        expectIntact(message, letter);
        const wasRotated = rotated.includes(eventIdOf(message));
        expect(message.MessageAttributes?.rotated_at?.StringValue).toBe(
          wasRotated ? NOW.toISOString() : undefined,
        );
        expect(message.MessageId === letter.messageId).toBe(!wasRotated);
      }
      expect(run.decisions("rotated").map((record) => record.event_id)).toEqual(rotated);
      if (note) expect(run.stdout).toMatch(note);
      else expect(run.stdout).not.toMatch(/^note:/m);
    },
  );

  it("counts only moved messages against --max, not the ones it rotates", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);
    await putAll(queues.dlqUrl, [
      invalidLetter("evt-bad"),
      validLetter("evt-first", "group_not_found"),
      validLetter("evt-second", "group_not_found"),
    ]);

    // Act
    const run = await replay(queues, ["--max", "1"]);

    // Assess
    expect(run.stdout).toMatch(/summary: 1 replayed, 1 kept \(invalid\), 0 skipped \(filters\), 0 failed/);
    expect(eventIdsOf(await drainQueue(sqs.client, queues.queueUrl))).toEqual(["evt-first"]);
    expect(eventIdsOf(await drainQueue(sqs.client, queues.dlqUrl))).toEqual(["evt-bad", "evt-second"]);
  });

  it("ends when its groups hold only messages it keeps, rotating each of them once", async () => {
    // Prepare: two groups with nothing to move, one of them holding two invalid messages
    const queues = await freshQueues(sqs.client);
    const put = await putAll(queues.dlqUrl, [
      invalidLetter("evt-bad-1"),
      invalidLetter("evt-bad-2"),
      validLetter("evt-skipped", "conflict", "id:grp_Other"),
    ]);

    // Act
    const run = await replay(queues, ["--reason", "group_not_found"]);

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(
      run
        .decisions("rotated")
        .map((record) => record.event_id)
        .sort(),
    ).toEqual(["evt-bad-1", "evt-bad-2", "evt-skipped"]);
    expect(run.stdout).toMatch(/3 messages left in the DLQ went to the back of their message group/);
    const left = await drainQueue(sqs.client, queues.dlqUrl);
    expect(eventIdsOf(left)).toEqual(["evt-bad-1", "evt-bad-2", "evt-skipped"]);
    for (const message of left) expectIntact(message, put.get(eventIdOf(message)) as PutLetter);
  });

  it("audits each rotation with the DLQ message it read and the copy that replaced it", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);
    const put = await putAll(queues.dlqUrl, [
      invalidLetter("evt-bad"),
      validLetter("evt-good", "group_not_found"),
    ]);

    // Act
    const run = await replay(queues, []);

    // Assess
    const [copy] = await drainQueue(sqs.client, queues.dlqUrl);
    expect(run.decisions("kept_invalid")).toHaveLength(1);
    expect(run.decisions("rotated")).toEqual([
      expect.objectContaining({
        dlq_message_id: put.get("evt-bad")?.messageId,
        new_message_id: copy?.MessageId,
        event_id: "evt-bad",
        message_group_id: SHARED_GROUP,
        failure_reason: "invalid_message",
        failed_at: hoursAgo(3).toISOString(),
        deduplication_id: expect.stringMatching(/^rotate-[0-9a-f]{64}$/),
      }),
    ]);
    expect(run.audit.every((record) => !("body" in record))).toBe(true);
    expect(run.audit.at(-1)?.counts).toMatchObject({ replayed: 1, kept_invalid: 1, rotated: 1 });
    expect(run.audit[0]).toMatchObject({ type: "start", rotate: true });
    expect(run.stdout).not.toMatch(/^rotated/m);
  });

  it("keeps the age of a message without failed_at (moved by the queue's redrive) when it rotates it", async () => {
    // Prepare: such a message's age comes from when SQS received it, which a rotation would reset
    const queues = await freshQueues(sqs.client);
    await putAll(queues.dlqUrl, [
      { body: JSON.stringify(makeEvent({ event_id: "evt-redriven" })), messageGroupId: SHARED_GROUP },
    ]);
    const before = await listed(queues);

    // Act
    await replay(queues, ["--reason", "group_not_found"]);

    // Assess
    const after = await listed(queues);
    expect(after.map((message) => message.message_id)).not.toEqual(
      before.map((message) => message.message_id),
    );
    expect(
      after.map(({ event_id, failure_reason, failed_at }) => ({ event_id, failure_reason, failed_at })),
    ).toEqual(
      before.map(({ event_id, failure_reason, failed_at }) => ({ event_id, failure_reason, failed_at })),
    );
  });

  it("on a dry run rotates nothing, and its note says a real replay gets past what it keeps", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);
    const put = await putAll(queues.dlqUrl, [
      invalidLetter("evt-bad"),
      validLetter("evt-good", "group_not_found"),
    ]);

    // Act
    const run = await replay(queues, ["--dry-run"]);

    // Assess
    expect(run.stdout).toMatch(/dry run, nothing changed: 0 would be replayed, 1 invalid would be kept/);
    expect(run.stdout).toMatch(
      /note: the DLQ holds about 2 messages and 1 could be read .* sends the ones it keeps or skips to the back of their group/,
    );
    const left = await drainQueue(sqs.client, queues.dlqUrl);
    expect(left.map((message) => message.MessageId).sort()).toEqual(
      [...put.values()].map((letter) => letter.messageId).sort(),
    );
  });

  it("never rotates on a standard DLQ: a kept message keeps its message id", async () => {
    // Prepare
    const queues = await freshStandardQueues(sqs.client);
    const put = await putAll(queues.dlqUrl, [
      invalidLetter("evt-bad"),
      validLetter("evt-good", "group_not_found"),
    ]);

    // Act
    const run = await replay(queues, []);

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.decisions("rotated")).toEqual([]);
    expect(run.audit[0]).toMatchObject({ type: "start", rotate: false });
    expect(eventIdsOf(await drainQueue(sqs.client, queues.queueUrl))).toEqual(["evt-good"]);
    const left = await drainQueue(sqs.client, queues.dlqUrl);
    expect(left.map((message) => [message.MessageId, message.MessageAttributes?.rotated_at])).toEqual([
      [put.get("evt-bad")?.messageId, undefined],
    ]);
  });
});

/** The DLQ as `dlq list --json` shows it, which reads without consuming. */
async function listed(queues: QueuePair) {
  const run = await groupSync(
    ["dlq", "list", "--json", "--endpoint", sqs.endpoint, "--dlq-url", queues.dlqUrl],
    { now: () => NOW },
  );
  return (
    JSON.parse(run.stdout) as {
      messages: Array<{ message_id: string; event_id: string; failure_reason: string; failed_at: string }>;
    }
  ).messages;
}
