import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { CloudEvent } from "cloudevents";
import { afterEach, describe, expect, it } from "vitest";
import { type EventSourceRunner, startEventSourceRunner } from "../../../local/runner/event-source-runner.ts";
import { aRawEvent, type JsonObject } from "../../fixtures/events/factories.ts";
import { type SyncHarness, startSyncHarness } from "../../support/sync-harness.ts";

const GROUP_ID = "grp_CloudEventsTarget0001";
const TYPE = "com.example.hr.group.renamed";

let harness: SyncHarness | undefined;
let runner: EventSourceRunner | undefined;
afterEach(async () => {
  await runner?.stop();
  await harness?.stop();
  runner = undefined;
  harness = undefined;
});

/** fauxqs -> event source runner -> the real sync handler -> the Vitable emulator over HTTP. */
async function start() {
  harness = await startSyncHarness({
    groups: [{ id: GROUP_ID, name: "Tier 1", external_reference_id: "mol_seg_001" }],
  });
  runner = startEventSourceRunner({
    sqs: harness.sqs.client,
    queueUrl: harness.queues.queueUrl,
    queueArn: harness.queues.queueArn,
    handler: harness.handler,
  });
  return { harness, runner };
}

/** What a CloudEvents producer puts on the queue: the SDK's structured-mode JSON, as the message body. */
async function sendCloudEvent(h: SyncHarness, body: string, dedup: string): Promise<string> {
  const output = await h.sqs.client.send(
    new SendMessageCommand({
      QueueUrl: h.queues.queueUrl,
      MessageBody: body,
      MessageGroupId: `id:${GROUP_ID}`,
      MessageDeduplicationId: dedup,
    }),
  );
  return output.MessageId as string;
}

const structured = (attributes: ConstructorParameters<typeof CloudEvent>[0]) =>
  JSON.stringify(new CloudEvent(attributes));

describe("CloudEvents envelopes on the queue, through the real sync handler", () => {
  it.each([
    {
      what: "the event in data",
      body: (event: JsonObject) =>
        structured({ type: TYPE, source: "/hr/workday", id: "ce-data-1", data: event }),
      id: "ce-data-1",
    },
    {
      what: "the event as JSON in data_base64",
      body: (event: JsonObject) =>
        structured({
          type: TYPE,
          source: "/hr/workday",
          id: "ce-b64-1",
          datacontenttype: "application/json",
          data: Buffer.from(JSON.stringify(event)),
        }),
      id: "ce-b64-1",
    },
  ])("applies a rename sent with $what and records the envelope and type", async ({ body, id }) => {
    // Prepare
    const { harness, runner } = await start();
    const event = aRawEvent({
      event_id: `inner-${id}`,
      group: { id: GROUP_ID },
      changes: { name: "Tier 1 (CE)" },
    });
    const text = body(event);

    // Act
    const messageId = await sendCloudEvent(harness, text, id);
    await runner.whenIdle();

    // Assess
    expect(text).toContain(id.startsWith("ce-b64") ? '"data_base64"' : '"data":{');
    expect(harness.emulator.group(GROUP_ID)?.name).toBe("Tier 1 (CE)");
    expect(harness.reportFor(messageId)).toMatchObject({
      eventId: `inner-${id}`,
      envelope: "cloudevents",
      cloudEvent: { type: TYPE, id, source: "/hr/workday" },
      result: { outcome: "applied", fields: ["name"] },
    });
    expect(await harness.drainDlq()).toEqual([]);
  });

  it("dead-letters a broken envelope as invalid_message with a detail naming the attribute, and changes nothing", async () => {
    // Prepare
    const { harness, runner } = await start();
    const envelope = JSON.parse(
      structured({ type: TYPE, source: "/hr/workday", id: "ce-bad-1", data: aRawEvent() }),
    );
    envelope.specversion = "0.3";
    const body = JSON.stringify(envelope);

    // Act
    const messageId = await sendCloudEvent(harness, body, "ce-bad-1");
    await runner.whenIdle();

    // Assess
    expect(harness.emulator.group(GROUP_ID)?.name).toBe("Tier 1");
    expect(harness.reportFor(messageId)?.result).toEqual({
      outcome: "dead_lettered",
      reason: "invalid_message",
      detail: 'specversion: must be "1.0"',
    });
    const [dead] = await harness.drainDlq();
    expect(dead?.Body).toBe(body);
    expect(dead?.MessageAttributes?.failure_reason?.StringValue).toBe("invalid_message");
    expect(dead?.MessageAttributes?.failure_detail?.StringValue).toBe('specversion: must be "1.0"');
  });
});
