import type { Command } from "commander";
import { approximateMessageCount } from "../../functions/shared/sqs/approximate-message-count.ts";
import type { ConnectionOptions } from "../connection.ts";
import type { CommandContext } from "../context.ts";
import { type FilterOptions, filterFromOptions, isFilterEmpty, matchesFilter } from "../dlq/filters.ts";
import { formatMessageTable, messageSummary } from "../dlq/message-view.ts";
import { peekDlq } from "../dlq/peek.ts";
import { EXIT, type ExitCode } from "../errors.ts";
import {
  addConnectionOptions,
  addFilterOptions,
  addQueueOptions,
  positiveIntegerOption,
} from "../options.ts";
import type { QueueOptions } from "../queues.ts";
import { countOf } from "../table.ts";
import { terminalJson } from "../terminal-json.ts";
import { terminalText } from "../terminal-text.ts";
import type { CommandRegistry } from "./registry.ts";

/** Every listed message is held hidden until the listing ends, so a listing is bounded. */
export const DEFAULT_LIST_MAX = 1_000;

interface ListOptions extends FilterOptions, QueueOptions, ConnectionOptions {
  max: number;
  json?: boolean;
}

export function registerDlqList(dlq: Command, registry: CommandRegistry): void {
  const command = dlq
    .command("list")
    .description("show the DLQ messages as a table, without consuming them (they are visible again at once)");
  addFilterOptions(command);
  command
    .addOption(
      positiveIntegerOption("--max <n>", "list at most this many matching messages").default(
        DEFAULT_LIST_MAX,
      ),
    )
    .option("--json", "print JSON instead of a table");
  addQueueOptions(command, ["dlq"]);
  addConnectionOptions(command);
  command.action(registry.action((options: ListOptions) => listDlq(registry.context, options)));
}

async function listDlq(context: CommandContext, options: ListOptions): Promise<ExitCode> {
  const now = context.io.now();
  const filter = filterFromOptions(options, now);
  const { dlq } = await context.queues(options, ["dlq"]);
  const sqs = context.sqs(options);
  const approximateTotal = await approximateMessageCount(sqs, dlq);
  const result = await peekDlq({
    sqs,
    queueUrl: dlq,
    accept: (message) => matchesFilter(message, filter),
    max: options.max,
    waitTimeSeconds: context.receiveWaitSeconds(options),
  });
  for (const id of result.notReleased)
    context.err(terminalText(`warning: message ${id} stays hidden until its 30 s hold ends`));

  if (options.json) {
    const report = {
      queue_url: dlq,
      approximate_total: approximateTotal,
      examined: result.examined,
      messages: result.messages.map((message) => messageSummary(message, now)),
    };
    context.out(terminalJson(report));
    return EXIT.ok;
  }

  if (result.messages.length > 0) context.out(formatMessageTable(result.messages, now));
  const count = countOf(result.messages.length, "message");
  context.out(isFilterEmpty(filter) ? count : `${count} matched the filters (${result.examined} read)`);
  if (result.messages.length >= options.max) {
    context.out(`stopped at --max ${options.max}: more messages may match`);
  } else if (approximateTotal > result.examined) {
    context.out(
      `note: the DLQ holds about ${approximateTotal} messages and ${result.examined} could be read without ` +
        "moving any. In a FIFO queue the others wait behind the first message(s) of their message group; they " +
        "become readable once those are replayed or deleted.",
    );
  }
  return EXIT.ok;
}
