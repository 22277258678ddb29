import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../cli/errors.ts";
import { type EmbeddedSqs, startEmbeddedSqs } from "../../../local/sqs/embedded-sqs.ts";
import { makeEvent } from "../../support/events.ts";
import { groupSync } from "../support/cli-io.ts";
import { freshQueues, putDeadLetter } from "../support/dlq-fixtures.ts";

const NOW = new Date("2026-01-16T12:00:00Z");
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const fixedNow = () => NOW;

let sqs: EmbeddedSqs;
beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});

/** A DLQ holding three messages in three FIFO groups: two valid events and one invalid. */
async function dlqWithThree() {
  const queues = await freshQueues(sqs.client);
  const ids = {
    notFound: await putDeadLetter(sqs.client, queues.dlqUrl, {
      body: makeEvent({ event_id: "evt-not-found", group: { id: "grp_AAAA" } }),
      reason: "group_not_found",
      failedAt: minutesAgo(180),
      attempts: 1,
    }),
    exhausted: await putDeadLetter(sqs.client, queues.dlqUrl, {
      body: makeEvent({ event_id: "evt-exhausted", group: { external_reference_id: "ref-b" } }),
      reason: "retries_exhausted",
      failedAt: minutesAgo(20),
      attempts: 5,
    }),
    invalid: await putDeadLetter(sqs.client, queues.dlqUrl, {
      body: '{"type":"group.renamed","event_id":"evt-bad"}',
      reason: "invalid_message",
      failedAt: minutesAgo(3 * 24 * 60),
      messageGroupId: "id:grp_CCCC",
    }),
  };
  return { queues, ids };
}

const listArgs = (dlqUrl: string, ...extra: string[]) => [
  "dlq",
  "list",
  "--endpoint",
  sqs.endpoint,
  "--dlq-url",
  dlqUrl,
  ...extra,
];

describe("group-sync dlq list", () => {
  it("shows a table of event id, group, reason, attempts and age, and a count", async () => {
    // Prepare
    const { queues, ids } = await dlqWithThree();

    // Act
    const run = await groupSync(listArgs(queues.dlqUrl), { now: fixedNow });

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^EVENT ID\s+GROUP\s+FAILURE REASON\s+ATTEMPTS\s+AGE\s+MESSAGE ID$/);
    expect(lines.slice(1, 4).map((line) => line.split(/\s{2,}/))).toEqual(
      expect.arrayContaining([
        ["evt-not-found", "id:grp_AAAA", "group_not_found", "1", "3h", ids.notFound],
        ["evt-exhausted", "ext:ref-b", "retries_exhausted", "5", "20m", ids.exhausted],
        ["evt-bad", "id:grp_CCCC", "invalid_message", "1", "3d", ids.invalid],
      ]),
    );
    expect(lines[4]).toBe("3 messages");
  });

  it("does not consume the messages: all are visible again as soon as it returns", async () => {
    // Prepare
    const { queues, ids } = await dlqWithThree();

    // Act
    await groupSync(listArgs(queues.dlqUrl));
    const received = await sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: queues.dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 1 }),
    );

    // Assess
    expect(received.Messages?.map((message) => message.MessageId).sort()).toEqual(Object.values(ids).sort());
  });

  it.each([
    {
      name: "--reason list",
      extra: ["--reason", "group_not_found,invalid_message"],
      events: ["evt-bad", "evt-not-found"],
    },
    { name: "--group by external reference id", extra: ["--group", "ref-b"], events: ["evt-exhausted"] },
    {
      name: "--group by FIFO group of an invalid body",
      extra: ["--group", "id:grp_CCCC"],
      events: ["evt-bad"],
    },
    { name: "--event-id", extra: ["--event-id", "evt-not-found"], events: ["evt-not-found"] },
    { name: "--older-than 1h", extra: ["--older-than", "1h"], events: ["evt-bad", "evt-not-found"] },
    { name: "--newer-than 1h", extra: ["--newer-than", "1h"], events: ["evt-exhausted"] },
    {
      name: "--older-than an ISO instant",
      extra: ["--older-than", "2026-01-14T00:00:00Z"],
      events: ["evt-bad"],
    },
    { name: "--max 1", extra: ["--max", "1"], count: 1 },
  ])("filters with $name", async ({ extra, events, count }) => {
    // Prepare
    const { queues } = await dlqWithThree();

    // Act
    const run = await groupSync(listArgs(queues.dlqUrl, "--json", ...extra), { now: fixedNow });

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    const listed = JSON.parse(run.stdout) as { examined: number; messages: Array<{ event_id: string }> };
    const listedIds = listed.messages.map((message) => message.event_id).sort();
    if (events) expect(listedIds).toEqual(events);
    if (count !== undefined) expect(listedIds).toHaveLength(count);
  });

  it("gives machine output with --json", async () => {
    // Prepare
    const { queues, ids } = await dlqWithThree();

    // Act
    const run = await groupSync(listArgs(queues.dlqUrl, "--json", "--event-id", "evt-not-found"), {
      now: fixedNow,
    });

    // Assess
    expect(JSON.parse(run.stdout)).toEqual({
      queue_url: queues.dlqUrl,
      approximate_total: 3,
      examined: 3,
      messages: [
        {
          message_id: ids.notFound,
          event_id: "evt-not-found",
          group: "id:grp_AAAA",
          message_group_id: "id:grp_AAAA",
          failure_reason: "group_not_found",
          failure_detail: "(none)",
          attempts: 1,
          http_status: null,
          failed_at: minutesAgo(180).toISOString(),
          age_seconds: 180 * 60,
          valid: true,
        },
      ],
    });
  });

  it("says how many messages wait unseen behind the first of their FIFO group", async () => {
    // Prepare: two messages in one FIFO group; only the first can be read without moving it
    const queues = await freshQueues(sqs.client);
    for (const eventId of ["evt-first", "evt-second"]) {
      await putDeadLetter(sqs.client, queues.dlqUrl, {
        body: makeEvent({ event_id: eventId, group: { id: "grp_SAME" } }),
        reason: "conflict",
      });
    }

    // Act
    const run = await groupSync(listArgs(queues.dlqUrl));

    // Assess
    expect(run.stdout).toContain("evt-first");
    expect(run.stdout).not.toContain("evt-second");
    expect(run.stdout).toMatch(/the DLQ holds about 2 messages and 1 could be read/);
  });

  it.each([
    { name: "no DLQ named", args: ["dlq", "list"], message: /give --dlq-url or --stack/ },
    {
      name: "an unreadable duration",
      args: ["dlq", "list", "--dlq-url", "http://127.0.0.1:1/q", "--older-than", "soon"],
      message: /--older-than takes a duration/,
    },
    { name: "a bad --max", args: ["dlq", "list", "--max", "0"], message: /--max/ },
    { name: "an unknown flag", args: ["dlq", "list", "--colour"], message: /unknown option/ },
    {
      name: "an endpoint that is not a URL",
      args: ["dlq", "list", "--dlq-url", "x", "--endpoint", "nope"],
      message: /--endpoint must be a URL/,
    },
  ])("exits 2 on a usage error: $name", async ({ args, message }) => {
    // Act
    const run = await groupSync(args);

    // Assess
    expect(run.exitCode).toBe(EXIT.usage);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });
});
