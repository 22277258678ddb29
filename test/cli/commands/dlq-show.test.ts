import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../cli/errors.ts";
import { type EmbeddedSqs, startEmbeddedSqs } from "../../../local/sqs/embedded-sqs.ts";
import { makeEvent } from "../../support/events.ts";
import { groupSync } from "../support/cli-io.ts";
import { drainQueue, freshQueues, putDeadLetter } from "../support/dlq-fixtures.ts";

let sqs: EmbeddedSqs;
beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});

async function dlqWithOneOfEach() {
  const queues = await freshQueues(sqs.client);
  const valid = await putDeadLetter(sqs.client, queues.dlqUrl, {
    body: makeEvent({ event_id: "evt-valid", group: { id: "grp_AAAA" }, changes: { name: "Tier A" } }),
    reason: "group_not_found",
    detail: "PATCH /v1/groups/grp_AAAA: 404",
    extraAttributes: { source_message_id: { DataType: "String", StringValue: "src-msg-1" } },
  });
  const invalid = await putDeadLetter(sqs.client, queues.dlqUrl, {
    body: JSON.stringify({ type: "group.renamed", event_id: "evt-invalid", group: { id: "grp_BBBB" } }),
    reason: "invalid_message",
  });
  return { queues, valid, invalid };
}

const showArgs = (dlqUrl: string, id: string, ...extra: string[]) => [
  "dlq",
  "show",
  id,
  "--endpoint",
  sqs.endpoint,
  "--dlq-url",
  dlqUrl,
  ...extra,
];

describe("group-sync dlq show", () => {
  it.each([
    { name: "its DLQ message id", pick: (ids: { valid: string }) => ids.valid },
    { name: "its event id", pick: () => "evt-valid" },
    { name: "its message id on the source queue", pick: () => "src-msg-1" },
  ])("finds a message by $name and shows body, attributes and reason", async ({ pick }) => {
    // Prepare
    const { queues, valid, invalid } = await dlqWithOneOfEach();

    // Act
    const run = await groupSync(showArgs(queues.dlqUrl, pick({ valid })));

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.stdout).toContain(`message id:     ${valid}`);
    expect(run.stdout).toMatch(/failure:\s+group_not_found after 1 attempt\n/);
    expect(run.stdout).toMatch(/detail:\s+PATCH \/v1\/groups\/grp_AAAA: 404/);
    expect(run.stdout).toMatch(/contract now:\s+valid \(raw envelope\)/);
    expect(run.stdout).toContain("  failure_reason = group_not_found");
    expect(run.stdout).toContain("  MessageGroupId = id:grp_AAAA");
    expect(run.stdout).toContain('"name": "Tier A"');
    expect(run.stdout).not.toContain(invalid);
    // Showing consumes nothing.
    expect((await drainQueue(sqs.client, queues.dlqUrl)).map((message) => message.MessageId).sort()).toEqual(
      [valid, invalid].sort(),
    );
  });

  it("says why an invalid message would stay, field by field, and prints JSON on request", async () => {
    // Prepare
    const { queues, invalid } = await dlqWithOneOfEach();

    // Act
    const text = await groupSync(showArgs(queues.dlqUrl, "evt-invalid"));
    const json = await groupSync(showArgs(queues.dlqUrl, invalid, "--json"));

    // Assess
    expect(text.stdout).toMatch(/contract now:\s+invalid, invalid_message: replay keeps it in the DLQ/);
    expect(text.stdout).toMatch(/occurred_at: is required/);
    expect(text.stdout).toMatch(/changes: is required/);
    const detail = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(detail).toMatchObject({
      message_id: invalid,
      event_id: "evt-invalid",
      failure_reason: "invalid_message",
      valid: false,
      message_attributes: { failure_reason: "invalid_message" },
      validation: { valid: false, reason: "invalid_message" },
    });
    expect(JSON.parse(detail.body as string)).toEqual({
      type: "group.renamed",
      event_id: "evt-invalid",
      group: { id: "grp_BBBB" },
    });
  });

  it("exits 1 and explains when no message has that id", async () => {
    // Prepare
    const { queues } = await dlqWithOneOfEach();

    // Act
    const run = await groupSync(showArgs(queues.dlqUrl, "evt-nowhere"));

    // Assess
    expect(run.exitCode).toBe(EXIT.failed);
    expect(run.stderr).toMatch(/no message "evt-nowhere" among the 2 DLQ messages read/);
  });
});
