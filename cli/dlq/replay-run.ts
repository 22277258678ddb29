import { DeleteMessageCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { describeError } from "../errors.ts";
import { createPacer, type Pacer } from "../pacer.ts";
import { type DlqMessage, decodeDlqMessage } from "./dlq-message.ts";
import { DlqScanner } from "./dlq-scanner.ts";
import { type MessageFilter, matchesFilter } from "./filters.ts";
import { buildReplayRequest } from "./replay-request.ts";

/** What happened to one DLQ message. These names are a fixed interface: the audit file and the docs use them. */
export type ReplayAction =
  | "replayed"
  | "would_replay"
  | "kept_invalid"
  | "dropped_invalid"
  | "would_drop_invalid"
  | "skipped"
  | "send_failed"
  | "delete_failed"
  | "drop_failed";

export const REPLAY_ACTIONS: readonly ReplayAction[] = [
  "replayed",
  "would_replay",
  "kept_invalid",
  "dropped_invalid",
  "would_drop_invalid",
  "skipped",
  "send_failed",
  "delete_failed",
  "drop_failed",
];

/** Actions that mean something did not work: the run exits non-zero. */
export const FAILED_ACTIONS: readonly ReplayAction[] = ["send_failed", "delete_failed", "drop_failed"];

export interface ReplayDecision {
  action: ReplayAction;
  message: DlqMessage;
  /** The FIFO group the replayed message was (or would be) sent with. */
  messageGroupId?: string | undefined;
  deduplicationId?: string | undefined;
  /** The id the source queue gave the replayed message. */
  newMessageId?: string | undefined;
  droppedAttributes?: string[];
  error?: string;
}

export interface ReplayRunOptions {
  sqs: SQSClient;
  dlqUrl: string;
  sourceQueueUrl: string;
  filter: MessageFilter;
  /** Act on at most this many messages that match the filter. */
  max?: number | undefined;
  dryRun: boolean;
  dropInvalid: boolean;
  /** Sends per second. */
  rate?: number | undefined;
  /** Long-poll wait of each DLQ receive. */
  waitTimeSeconds?: number | undefined;
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** Called after each decision with the running counts (including this one). */
  onDecision(decision: ReplayDecision, counts: Readonly<Record<ReplayAction, number>>): void;
}

export interface ReplayResult {
  counts: Record<ReplayAction, number>;
  examined: number;
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
 * was acknowledged. Everything not moved or dropped is made visible again before this returns.
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
  const counts = Object.fromEntries(REPLAY_ACTIONS.map((action) => [action, 0])) as Record<
    ReplayAction,
    number
  >;
  const record = (decision: ReplayDecision) => {
    counts[decision.action] += 1;
    options.onDecision(decision, counts);
  };
  let acted = 0;
  let notReleased: string[] = [];
  try {
    scan: while (options.max === undefined || acted < options.max) {
      const batch = await scanner.nextBatch();
      if (batch.length === 0) break;
      for (const raw of batch) {
        // The rest of this batch is released untouched.
        if (options.max !== undefined && acted >= options.max) break scan;
        const message = decodeDlqMessage(raw);
        if (!matchesFilter(message, options.filter)) {
          record({ action: "skipped", message });
          continue;
        }
        acted += 1;
        const decision = message.parsed.ok
          ? await replayOne(message, options, pacer)
          : await handleInvalid(message, options);
        if (decision.action === "replayed" || decision.action === "dropped_invalid") {
          scanner.settle(message.messageId);
        }
        record(decision);
      }
    }
  } finally {
    notReleased = await scanner.releaseAll();
  }
  return { counts, examined: scanner.seenCount, notReleased };
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
