import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { sendMessages } from "../../local/send-messages.ts";
import { type LocalStack, startLocalStack } from "../../local/stack.ts";
import { sampleGroups } from "../../local/vitable-emulator/index.ts";

const GROUP = sampleGroups()[0] as { id: string; name: string };
// 255 code points, the longest name the contract allows, every one outside the Basic Multilingual Plane.
const EMOJI_NAME = Array.from({ length: 255 }, (_, i) => ["🦄", "🎉", "🚀", "🧪"][i % 4]).join("");

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("local stack and names outside the Basic Multilingual Plane", () => {
  it("passes a rename to 255 emoji through the queue and applies it in the emulator", async () => {
    // Prepare
    stack = await startLocalStack();
    const body = JSON.stringify({
      type: "group.renamed",
      event_id: "evt-emoji-255",
      occurred_at: new Date().toISOString(),
      group: { id: GROUP.id },
      changes: { name: EMOJI_NAME },
    });

    // Act
    const [messageId] = await sendMessages(stack.sqs, stack.queueUrl, [
      { body, messageGroupId: `id:${GROUP.id}`, deduplicationId: "dedup-emoji-255" },
    ]);
    await stack.whenIdle();

    // Assess
    expect([...EMOJI_NAME]).toHaveLength(255);
    expect(stack.outcomes.lastOf(messageId as string)?.result).toEqual({
      outcome: "applied",
      fields: ["name"],
    });
    expect(stack.emulator?.group(GROUP.id)?.name).toBe(EMOJI_NAME);
  });

  it("keeps the emoji intact through SendMessage and ReceiveMessage (the DLQ, which nothing consumes)", async () => {
    // Prepare
    stack = await startLocalStack();

    // Act
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.dlqUrl,
        MessageBody: EMOJI_NAME,
        MessageGroupId: "g",
        MessageDeduplicationId: "dedup-emoji-plain",
      }),
    );
    const received = await stack.sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.dlqUrl }));

    // Assess
    expect(received.Messages?.map((message) => message.Body)).toEqual([EMOJI_NAME]);
  });
});
