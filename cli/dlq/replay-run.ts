import { DeleteMessageCommand, type Message, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { DLQ_ATTRIBUTES } from "../../functions/group-sync/dead-letter.ts";
import { isTooFarAhead } from "../../functions/shared/contract/future-bound.ts";
import { describeError } from "../errors.ts";
import { createPacer, type Pacer } from "../pacer.ts";
import { type DlqMessage, decodeDlqMessage } from "./dlq-message.ts";
import { DlqScanner } from "./dlq-scanner.ts";
import { type MessageFilter, matchesFilter } from "./filters.ts";
import { GroupRotation } from "./group-rotation.ts";
import {
  LEFT_IN_PLACE_ACTIONS,
  REPLAY_ACTIONS,
  type ReplayAction,
  type ReplayDecision,
} from "./replay-decision.ts";
import { buildReplayRequest } from "./replay-request.ts";

export interface ReplayRunOptions {
  sqs: SQSClient;
  dlqUrl: string;
  sourceQueueUrl: string;
  filter: MessageFilter;
  /** Move (replay or drop) at most this many messages; kept, skipped and rotated ones do not count. */
  max?: number | undefined;
  dryRun: boolean;
  dropInvalid: boolean;
  /**
   * On a FIFO DLQ (and not on a dry run), send each kept or skipped message to the back of its message group so
   * that the ones behind it can be reached. Without it they stay behind it until a later run moves it.
   */
  rotate: boolean;
  /** Sends per second. */
  rate?: number | undefined;
  /** Long-poll wait of each DLQ receive. */
  waitTimeSeconds?: number | undefined;
  /** Valid events stamped further ahead than this are kept, as the function would dead-letter them again. */
  maxFutureMs: number;
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** Called after each decision with the running counts (including this one). */
  onDecision(decision: ReplayDecision, counts: Readonly<Record<ReplayAction, number>>): void;
}

export interface ReplayResult {
  counts: Record<ReplayAction, number>;
  /** Messages read from the DLQ, not counting the copies this run rotated nor the messages that came back. */
  examined: number;
  /** Messages this run replayed that were dead-lettered again before it ended: left in the DLQ for the next run. */
  returned: number;
  /** Held messages SQS would not release at once: they reappear when their hold ends. */
  notReleased: string[];
}

const BASE_HOLD_SECONDS = 60;
const MAX_HOLD_SECONDS = 43_200;

/**
 * How long a received message stays hidden. It must outlast the time a paced run takes to reach the last of the
 * ten messages one receive returns, or the handle used to delete it would be stale.
 */
export function holdSecondsFor(rate: number | undefined): number {
  const pacing = rate === undefined ? 0 : Math.ceil(10 / rate);
  return Math.min(MAX_HOLD_SECONDS, BASE_HOLD_SECONDS + pacing);
}

/**
 * Moves matching DLQ messages back to the source queue, one at a time and in the order SQS hands them out (which
 * keeps each FIFO group's order). Each is re-validated first; a message is deleted from the DLQ only after its send
 * was acknowledged. With `rotate` on a FIFO DLQ, each message left in the DLQ is rotated to the back of its group
 * (see GroupRotation); when a rotated copy comes up, it is held like the others, which keeps SQS from serving its
 * group again, so every group is read once around and the run ends when no group has anything new. A replayed
 * message that is dead-lettered again while the run goes on is left alone. Everything not moved or dropped is made
 * visible again before this returns.
 */
export async function runReplay(options: ReplayRunOptions): Promise<ReplayResult> {
  const scanner = new DlqScanner({
    sqs: options.sqs,
    queueUrl: options.dlqUrl,
    holdSeconds: holdSecondsFor(options.rate),
    ...(options.waitTimeSeconds !== undefined ? { waitTimeSeconds: options.waitTimeSeconds } : {}),
  });
  const pacer = options.rate
    ? createPacer(options.rate, { now: () => options.now().getTime(), sleep: options.sleep })
    : undefined;
  const rotation =
    options.rotate && !options.dryRun && isFifoQueue(options.dlqUrl)
      ? new GroupRotation({ sqs: options.sqs, dlqUrl: options.dlqUrl, now: options.now })
      : undefined;
  const counts = Object.fromEntries(REPLAY_ACTIONS.map((action) => [action, 0])) as Record<
    ReplayAction,
    number
  >;
  const record = (decision: ReplayDecision) => {
    counts[decision.action] += 1;
    options.onDecision(decision, counts);
  };
  /** Ids the source queue gave this run's replays. */
  const sent = new Set<string>();
  let moved = 0;
  let copiesRead = 0;
  let returned = 0;
  let notReleased: string[] = [];
  try {
    scan: while (options.max === undefined || moved < options.max) {
      const batch = await scanner.nextBatch();
      if (batch.length === 0) break;
      for (const raw of batch) {
        // The rest of this batch is released untouched.
        if (options.max !== undefined && moved >= options.max) break scan;
        if (rotation?.isOwnCopy(raw.MessageId)) {
          // Its group has cycled. Held like the rest until the run ends, it keeps SQS from serving the group again.
          copiesRead += 1;
          continue;
        }
        if (cameBack(raw, sent)) {
          // Replaying it again could go round for as long as the run lasts; held, it waits for the next run.
          returned += 1;
          continue;
        }
        const message = decodeDlqMessage(raw);
        const decision = await decide(message, options, pacer);
        if (!LEFT_IN_PLACE_ACTIONS.includes(decision.action)) moved += 1;
        if (decision.action === "replayed" || decision.action === "dropped_invalid") {
          scanner.settle(message.messageId);
        }
        if (decision.action === "replayed" || decision.action === "delete_failed") {
          if (decision.newMessageId) sent.add(decision.newMessageId);
        }
        record(decision);
        if (rotation && LEFT_IN_PLACE_ACTIONS.includes(decision.action) && rotation.canRotate(message)) {
          const rotated = await rotation.rotate(message);
          if (rotated.action === "rotated") scanner.settle(message.messageId);
          record(rotated);
        }
      }
    }
  } finally {
    notReleased = await scanner.releaseAll();
  }
  return { counts, examined: scanner.seenCount - copiesRead - returned, returned, notReleased };
}

/**
 * A message this run replayed that failed again and is back in the DLQ: the function names the source message it
 * dead-lettered, and the queue's redrive keeps the message's id.
 */
function cameBack(raw: Message, sent: ReadonlySet<string>): boolean {
  const source = raw.MessageAttributes?.[DLQ_ATTRIBUTES.sourceMessageId]?.StringValue;
  return (
    (source !== undefined && sent.has(source)) || (raw.MessageId !== undefined && sent.has(raw.MessageId))
  );
}

export function isFifoQueue(queueUrl: string): boolean {
  return queueUrl.endsWith(".fifo");
}

function decide(
  message: DlqMessage,
  options: ReplayRunOptions,
  pacer: Pacer | undefined,
): Promise<ReplayDecision> {
  if (!matchesFilter(message, options.filter)) return Promise.resolve({ action: "skipped", message });
  if (!message.parsed.ok) return handleInvalid(message, options);
  if (isTooFarAhead(message.parsed.event, options.now().getTime(), options.maxFutureMs)) {
    // Replayed, it would come straight back as event_in_future; kept even with --drop-invalid, since only the
    // clock makes it wrong.
    return Promise.resolve({ action: "kept_invalid", message });
  }
  return replayOne(message, options, pacer);
}

async function replayOne(
  message: DlqMessage,
  options: ReplayRunOptions,
  pacer: Pacer | undefined,
): Promise<ReplayDecision> {
  if (options.dryRun) {
    const preview = buildReplayRequest(message, {
      queueUrl: options.sourceQueueUrl,
      replayedAt: options.now(),
    });
    return { action: "would_replay", message, messageGroupId: preview.messageGroupId };
  }
  await pacer?.wait();
  const request = buildReplayRequest(message, {
    queueUrl: options.sourceQueueUrl,
    replayedAt: options.now(),
  });
  const sent = {
    message,
    messageGroupId: request.messageGroupId,
    deduplicationId: request.deduplicationId,
    ...(request.droppedAttributes.length > 0 ? { droppedAttributes: request.droppedAttributes } : {}),
  };
  let newMessageId: string | undefined;
  try {
    const response = await options.sqs.send(new SendMessageCommand(request.input));
    newMessageId = response.MessageId;
  } catch (error) {
    return { action: "send_failed", ...sent, error: describeError(error) };
  }
  try {
    await deleteFromDlq(message, options);
  } catch (error) {
    // Sent but still in the DLQ: the next run sends it again, and the ledger skips that copy as a duplicate.
    return { action: "delete_failed", ...sent, newMessageId, error: describeError(error) };
  }
  return { action: "replayed", ...sent, newMessageId };
}

async function handleInvalid(message: DlqMessage, options: ReplayRunOptions): Promise<ReplayDecision> {
  if (!options.dropInvalid) return { action: "kept_invalid", message };
  if (options.dryRun) return { action: "would_drop_invalid", message };
  try {
    await deleteFromDlq(message, options);
  } catch (error) {
    return { action: "drop_failed", message, error: describeError(error) };
  }
  return { action: "dropped_invalid", message };
}

async function deleteFromDlq(message: DlqMessage, options: ReplayRunOptions): Promise<void> {
  await options.sqs.send(
    new DeleteMessageCommand({ QueueUrl: options.dlqUrl, ReceiptHandle: message.receiptHandle }),
  );
}
