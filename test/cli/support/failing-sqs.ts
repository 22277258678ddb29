import {
  SendMessageCommand,
  type SendMessageCommandInput,
  type SendMessageCommandOutput,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { DLQ_ATTRIBUTES } from "../../../functions/group-sync/dead-letter.ts";
import { sqsClientFor } from "../../../local/sqs/embedded-sqs.ts";

/**
 * An SQS client whose first DeleteMessage fails before it reaches the queue, as if the CLI died right after a send
 * was acknowledged. Every other call goes through.
 */
export function clientThatLosesFirstDelete(endpoint: string): SQSClient {
  const client = sqsClientFor(endpoint);
  let lost = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "DeleteMessageCommand" && !lost) {
        lost = true;
        throw new Error("connection reset after the send was acknowledged");
      }
      return next(args);
    },
    { step: "initialize", name: "loseFirstDelete" },
  );
  return client;
}

/**
 * An SQS client on which every message sent to `sourceQueueUrl` fails at once: right after the send, a copy is
 * dead-lettered to `dlqUrl` the way the sync function does it, naming the source message it came from.
 */
export function clientWhoseReplaysFailAgain(
  endpoint: string,
  queues: { sourceQueueUrl: string; dlqUrl: string },
): SQSClient {
  const client = sqsClientFor(endpoint);
  const deadLetterer = sqsClientFor(endpoint);
  let bounces = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as SendMessageCommandInput;
      if (context.commandName !== "SendMessageCommand" || input.QueueUrl !== queues.sourceQueueUrl)
        return result;
      bounces += 1;
      await deadLetterer.send(
        new SendMessageCommand({
          QueueUrl: queues.dlqUrl,
          MessageBody: input.MessageBody,
          MessageGroupId: input.MessageGroupId,
          MessageDeduplicationId: `bounce-${bounces}`,
          MessageAttributes: {
            [DLQ_ATTRIBUTES.reason]: { DataType: "String", StringValue: "group_not_found" },
            [DLQ_ATTRIBUTES.sourceMessageId]: {
              DataType: "String",
              StringValue: (result.output as SendMessageCommandOutput).MessageId,
            },
          },
        }),
      );
      return result;
    },
    { step: "initialize", name: "failReplaysAgain" },
  );
  return client;
}
