import type { Command } from "commander";
import { DLQ_ATTRIBUTES } from "../../functions/group-sync/dead-letter.ts";
import type { ConnectionOptions } from "../connection.ts";
import type { CommandContext } from "../context.ts";
import type { DlqMessage } from "../dlq/dlq-message.ts";
import { formatMessageDetail, messageDetail } from "../dlq/message-view.ts";
import { peekDlq } from "../dlq/peek.ts";
import { EXIT, type ExitCode } from "../errors.ts";
import { addConnectionOptions, addQueueOptions } from "../options.ts";
import type { QueueOptions } from "../queues.ts";
import { terminalJson } from "../terminal-json.ts";
import { terminalText } from "../terminal-text.ts";
import type { CommandRegistry } from "./registry.ts";

/** Reading stops at the first match, and after this many messages on a very large DLQ. */
const SHOW_SCAN_LIMIT = 10_000;

interface ShowOptions extends QueueOptions, ConnectionOptions {
  json?: boolean;
}

export function registerDlqShow(dlq: Command, registry: CommandRegistry): void {
  const command = dlq
    .command("show")
    .argument("<id>", "DLQ message id, event id, or the message id it had on the source queue")
    .description(
      "show one DLQ message in full: body, attributes, failure reason and what the contract says now",
    )
    .option("--json", "print JSON");
  addQueueOptions(command, ["dlq"]);
  addConnectionOptions(command);
  command.action(
    registry.action((id: string, options: ShowOptions) => showMessage(registry.context, id, options)),
  );
}

async function showMessage(context: CommandContext, id: string, options: ShowOptions): Promise<ExitCode> {
  const { dlq } = await context.queues(options, ["dlq"]);
  const result = await peekDlq({
    sqs: context.sqs(options),
    queueUrl: dlq,
    accept: (message) => isNamedBy(message, id),
    max: 1,
    examineLimit: SHOW_SCAN_LIMIT,
    waitTimeSeconds: context.receiveWaitSeconds(options),
  });
  const [message] = result.messages;
  if (!message) {
    context.err(
      terminalText(
        `no message ${JSON.stringify(id)} among the ${result.examined} DLQ messages read. ` +
          "In a FIFO DLQ a message waiting behind another of its message group cannot be read until that one is " +
          "replayed or deleted.",
      ),
    );
    return EXIT.failed;
  }
  const now = context.io.now();
  context.out(options.json ? terminalJson(messageDetail(message, now)) : formatMessageDetail(message, now));
  return EXIT.ok;
}

function isNamedBy(message: DlqMessage, id: string): boolean {
  return (
    message.messageId === id ||
    message.eventId === id ||
    message.messageAttributes[DLQ_ATTRIBUTES.sourceMessageId]?.StringValue === id
  );
}
