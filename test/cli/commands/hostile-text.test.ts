import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../cli/errors.ts";
import { type EmbeddedSqs, sqsClientFor, startEmbeddedSqs } from "../../../local/sqs/embedded-sqs.ts";
import { makeEvent } from "../../support/events.ts";
import { groupSync } from "../support/cli-io.ts";
import { freshQueues, putDeadLetter } from "../support/dlq-fixtures.ts";

/**
 * A producer controls the body (JSON escapes give it any character) and whoever writes to the DLQ controls the
 * attributes (SQS allows C1 controls and bidirectional overrides there). None of it may reach the terminal raw.
 */
const HOSTILE_EVENT_ID = "evt\u001b]0;owned\u0007\u001b[2K";
const HOSTILE_EVENT_ID_SHOWN = "evt\\x1b]0;owned\\x07\\x1b[2K";
const HOSTILE_REASON = "group_not_found\u009b2K\u202edecoy";
const HOSTILE_REASON_SHOWN = "group_not_found\\x9b2K\\u202edecoy";
const HOSTILE_DETAIL = "line one\r\u001b[31mfake line";
const HOSTILE_DETAIL_SHOWN = "line one\\x0d\\x1b[31mfake line";

/** Controls (C0, DEL, C1), format characters (bidi, zero-width) and separators, except the CLI's own line feeds. */
const RAW_CONTROL = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

let sqs: EmbeddedSqs;
beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});

async function hostileDlq() {
  const queues = await freshQueues(sqs.client);
  const body = JSON.stringify(makeEvent({ event_id: HOSTILE_EVENT_ID, group: { id: "grp_AAAA" } }));
  // JSON.stringify wrote the controls as \u001b escapes: a legal SQS body.
  expect(body).not.toMatch(RAW_CONTROL);
  const messageId = await putDeadLetter(sqs.client, queues.dlqUrl, {
    body,
    reason: HOSTILE_REASON,
    detail: HOSTILE_DETAIL,
    attempts: 2,
    messageGroupId: "id:grp_AAAA",
  });
  return { queues, messageId };
}

const connection = (dlqUrl: string) => ["--endpoint", sqs.endpoint, "--dlq-url", dlqUrl];

describe("the CLI prints untrusted text escaped", () => {
  it("dlq list shows the event id and reason escaped in the table", async () => {
    // Prepare
    const { queues, messageId } = await hostileDlq();

    // Act
    const run = await groupSync(["dlq", "list", ...connection(queues.dlqUrl)]);

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    const row = run.stdout.split("\n")[1]?.split(/\s{2,}/);
    expect(row).toEqual([
      HOSTILE_EVENT_ID_SHOWN,
      "id:grp_AAAA",
      HOSTILE_REASON_SHOWN,
      "2",
      expect.any(String),
      messageId,
    ]);
  });

  it("dlq list --json stays exact JSON holding the original values, with escapes for the terminal", async () => {
    // Prepare
    const { queues } = await hostileDlq();

    // Act
    const run = await groupSync(["dlq", "list", "--json", ...connection(queues.dlqUrl)]);

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stdout).toContain('"failure_reason": "group_not_found\\u009b2K\\u202edecoy"');
    const report = JSON.parse(run.stdout) as { messages: Record<string, unknown>[] };
    expect(report.messages[0]).toMatchObject({
      event_id: HOSTILE_EVENT_ID,
      failure_reason: HOSTILE_REASON,
      failure_detail: HOSTILE_DETAIL,
    });
  });

  it("dlq show escapes every value, the detail and the body included", async () => {
    // Prepare
    const { queues, messageId } = await hostileDlq();

    // Act
    const run = await groupSync(["dlq", "show", messageId, ...connection(queues.dlqUrl)]);

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    const lines = run.stdout.split("\n");
    expect(lines).toContain(`event id:       ${HOSTILE_EVENT_ID_SHOWN}`);
    expect(lines).toContain(`detail:         ${HOSTILE_DETAIL_SHOWN}`);
    expect(lines).toContain(`  failure_reason = ${HOSTILE_REASON_SHOWN}`);
    expect(lines.find((line) => line.includes("event_id"))).toBe(
      `    "event_id": "evt\\u001b]0;owned\\u0007\\u001b[2K",`,
    );
  });

  it("dlq show --json keeps the exact body and attributes, with escapes for the terminal", async () => {
    // Prepare
    const { queues, messageId } = await hostileDlq();

    // Act
    const run = await groupSync(["dlq", "show", messageId, "--json", ...connection(queues.dlqUrl)]);

    // Assess
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    const detail = JSON.parse(run.stdout) as {
      body: string;
      message_attributes: Record<string, string>;
    };
    expect(JSON.parse(detail.body)).toMatchObject({ event_id: HOSTILE_EVENT_ID });
    expect(detail.message_attributes).toMatchObject({
      failure_reason: HOSTILE_REASON,
      failure_detail: HOSTILE_DETAIL,
    });
  });

  it("dlq replay --dry-run prints its decision lines escaped", async () => {
    // Prepare
    const { queues, messageId } = await hostileDlq();

    // Act
    const run = await groupSync([
      "dlq",
      "replay",
      "--dry-run",
      "--endpoint",
      sqs.endpoint,
      "--queue-url",
      queues.queueUrl,
      "--dlq-url",
      queues.dlqUrl,
    ]);

    // Assess
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    const decision = run.stdout.split("\n").find((line) => line.includes(messageId));
    expect(decision).toContain(` event=${HOSTILE_EVENT_ID_SHOWN} `);
    expect(decision).toContain(` reason=${HOSTILE_REASON_SHOWN} `);
  });

  it("send escapes the event ids it reports", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);
    const input = [
      JSON.stringify(makeEvent({ event_id: HOSTILE_EVENT_ID, group: { id: "grp_AAAA" } })),
      JSON.stringify({ ...makeEvent(), event_id: 7 }),
    ].join("\n");

    // Act
    const run = await groupSync(
      ["send", "-", "--dry-run", "--endpoint", sqs.endpoint, "--queue-url", queues.queueUrl],
      { stdin: input },
    );

    // Assess
    expect(run.exitCode).toBe(EXIT.failed);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stdout.split("\n")).toContain(
      `valid    line 1  event=${HOSTILE_EVENT_ID_SHOWN} group=id:grp_AAAA`,
    );
  });

  it("escapes an AWS error message quoting hostile text", async () => {
    // Prepare: every call fails with an error whose message a server chose.
    const queues = await freshQueues(sqs.client);
    const client = sqsClientFor(sqs.endpoint);
    client.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error(`no queue named \u001b[2Kok\u202e`), { name: "QueueDoesNotExist" });
      },
      { step: "initialize", name: "hostileError" },
    );

    // Act
    const run = await groupSync(["dlq", "list", ...connection(queues.dlqUrl)], {
      clients: { sqs: () => client },
    });

    // Assess
    expect(run.exitCode).toBe(EXIT.failed);
    expect(run.stderr).toBe("group-sync: QueueDoesNotExist: no queue named \\x1b[2Kok\\u202e\n");
  });
});
