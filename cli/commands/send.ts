import type { Command } from "commander";
import {
  type GroupRenamedEvent,
  groupKeyOf,
  messageDeduplicationIdFor,
  messageGroupIdFor,
  type ParseResult,
  parseEventBody,
} from "../../functions/shared/contract/index.ts";
import type { ConnectionOptions } from "../connection.ts";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../errors.ts";
import { type InputEvent, readInputText, splitEvents } from "../event-input.ts";
import { addConnectionOptions, addQueueOptions } from "../options.ts";
import type { QueueOptions } from "../queues.ts";
import { type OutgoingMessage, type SendOutcome, sendInBatches } from "../send-batches.ts";
import { terminalText } from "../terminal-text.ts";
import type { CommandRegistry } from "./registry.ts";

interface SendOptions extends QueueOptions, ConnectionOptions {
  allOrNothing?: boolean;
  dryRun?: boolean;
}

type Checked = InputEvent & { result: ParseResult };
type Valid = InputEvent & { event: GroupRenamedEvent };

export function registerSendCommand(program: Command, registry: CommandRegistry): void {
  const command = program
    .command("send")
    .argument("<file>", "a JSON array, JSON Lines or one JSON event; - reads stdin")
    .description(
      "validate group.renamed events against the contract and put the valid ones on the source queue",
    )
    .option("--all-or-nothing", "send nothing if any event is invalid")
    .option("--dry-run", "validate only, send nothing");
  addQueueOptions(command, ["source"]);
  addConnectionOptions(command);
  command.action(
    registry.action((file: string, options: SendOptions) => send(registry.context, file, options)),
  );
}

async function send(context: CommandContext, file: string, options: SendOptions): Promise<ExitCode> {
  const { io } = context;
  const inputs = splitEvents(await readInputText(file, io.cwd, io.stdin));
  const checked: Checked[] = inputs.map((input) => ({ ...input, result: parseEventBody(input.body) }));
  const valid: Valid[] = checked.flatMap((item) =>
    item.result.ok ? [{ ...item, event: item.result.event }] : [],
  );
  const invalidCount = checked.length - valid.length;

  const holdBack = options.dryRun || (options.allOrNothing && invalidCount > 0);
  const outcomes = holdBack ? new Map<string, SendOutcome>() : await sendValid(context, options, valid);
  // One line per input event, in input order, so the report reads alongside the file.
  for (const item of checked) {
    if (!item.result.ok) {
      reportInvalid(context, item, item.result);
      continue;
    }
    const event = describeEvent(item.result.event);
    const outcome = outcomes.get(item.position);
    if (outcome === undefined) context.out(terminalText(`valid    ${item.position}  ${event}`));
    else if (outcome.ok)
      context.out(terminalText(`sent     ${item.position}  ${event}  message=${outcome.messageId}`));
    else context.out(terminalText(`failed   ${item.position}  ${event}  error=${outcome.error}`));
  }

  if (holdBack) {
    const why = options.dryRun ? "--dry-run" : "--all-or-nothing and some events are invalid";
    context.out(`summary: ${valid.length} valid, ${invalidCount} invalid; nothing sent (${why})`);
    return invalidCount > 0 ? EXIT.failed : EXIT.ok;
  }
  const failedCount = [...outcomes.values()].filter((outcome) => !outcome.ok).length;
  context.out(`summary: ${valid.length - failedCount} sent, ${invalidCount} invalid, ${failedCount} failed`);
  return invalidCount > 0 || failedCount > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * Sends the valid events, FIFO group and deduplication id taken from the event as producers must set them. Returns
 * the outcomes by input position (`line 3`), which is unique within one input.
 */
async function sendValid(
  context: CommandContext,
  options: SendOptions,
  valid: readonly Valid[],
): Promise<Map<string, SendOutcome>> {
  if (valid.length === 0) return new Map();
  const { source } = await context.queues(options, ["source"]);
  const fifo = source.endsWith(".fifo");
  const outgoing: OutgoingMessage[] = valid.map((item) => ({
    body: item.body,
    ...(fifo
      ? {
          messageGroupId: messageGroupIdFor(item.event),
          deduplicationId: messageDeduplicationIdFor(item.event.event_id),
        }
      : {}),
  }));
  const outcomes = await sendInBatches(context.sqs(options), source, outgoing);
  return new Map(
    valid.map((item, index) => [
      item.position,
      outcomes[index] ?? { ok: false, error: "no answer from SQS" },
    ]),
  );
}

function describeEvent(event: GroupRenamedEvent): string {
  return `event=${event.event_id} group=${groupKeyOf(event)}`;
}

function reportInvalid(
  context: CommandContext,
  item: InputEvent,
  failure: Extract<ParseResult, { ok: false }>,
): void {
  context.out(terminalText(`invalid  ${item.position}  ${failure.reason}`));
  if (failure.issues.length === 0) {
    context.out(terminalText(`           ${failure.detail}`));
    return;
  }
  for (const issue of failure.issues)
    context.out(terminalText(`           ${issue.path || "(event)"}: ${issue.message}`));
}
