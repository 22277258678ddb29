import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { groupKeyOf } from "../shared/contract/group-key.ts";
import { parseEventBody } from "../shared/contract/parse-event.ts";
import type { ParseResult } from "../shared/contract/parse-result.ts";
import { deadlineFromContext } from "../shared/deadline.ts";
import type { LedgerStore } from "../shared/ledger/ledger-store.ts";
import { canonicalInstant } from "../shared/time/canonical-instant.ts";
import type { GroupUpdater } from "./apply-unit.ts";
import { short } from "./classify-failure.ts";
import { type DeadLetter, sendToDeadLetterQueue } from "./dead-letter.ts";
import type { RecordOutcome, RecordReport } from "./outcome.ts";
import { type LaneItem, type LaneResult, processLane } from "./process-lane.ts";
import type { GroupDirectory } from "./resolve-target.ts";
import { delayRedelivery, queueUrlFromArn } from "./visibility.ts";

export interface SyncTelemetry {
  recordProcessed(report: RecordReport): void;
  warn(message: string, fields: Record<string, unknown>): void;
  /** Called once per invocation, after every record was reported. */
  flush(): void;
}

export interface SyncDeps {
  groups: GroupUpdater & GroupDirectory;
  ledger: LedgerStore;
  sqs: SQSClient;
  dlqUrl: string;
  /** Where ChangeMessageVisibility goes; derived from the record's event source ARN when absent. */
  sourceQueueUrl?: string | undefined;
  /** The source queue's redrive maxReceiveCount: on that delivery a still-failing record is dead-lettered by us. */
  maxReceiveCount: number;
  /**
   * How far back an event's occurred_at may lie (the ledger TTL minus a margin for clock skew). Older events are
   * dead-lettered as event_too_old, because the watermarks that would prove them stale may have expired.
   */
  ledgerHorizonMs: number;
  /** Time kept back from the deadline for DLQ sends and the response. */
  safetyMarginMs: number;
  telemetry: SyncTelemetry;
  now?: () => number;
}

export type SyncHandler = (
  event: SQSEvent,
  context: Pick<Context, "getRemainingTimeInMillis">,
) => Promise<SQSBatchResponse>;

/**
 * The SQS batch handler. Every record ends with exactly one outcome (applied, skipped, dead_lettered or
 * retry_later); only retry_later records are reported as batch item failures, and no single record can make the
 * invocation throw.
 */
export function createSyncHandler(deps: SyncDeps): SyncHandler {
  const now = deps.now ?? Date.now;
  const rememberedAliases = new Map<string, string>();
  return async (event, context) => {
    const startedAt = now();
    const deadline = deadlineFromContext(context, deps.safetyMarginMs);
    const records = event.Records;
    const parsed = records.map((record) => parseEventBody(record.body));
    const oldestAcceptedInstant = canonicalInstant(
      new Date(startedAt - deps.ledgerHorizonMs).toISOString(),
    ) as string;

    const laneResults = await Promise.all(
      partitionIntoLanes(records, parsed).map((lane) =>
        processLaneSafely(lane.items, {
          groups: deps.groups,
          ledger: deps.ledger,
          deadline,
          strictOrder: lane.fifo,
          oldestAcceptedInstant,
          now,
          rememberedAliases,
          onRepairFailed: (groupId, error) =>
            deps.telemetry.warn("repair PATCH after a lost ledger race failed", {
              group_id: groupId,
              error: String(error),
            }),
        }),
      ),
    );
    const byIndex = new Map<number, LaneResult>();
    for (const result of laneResults.flat()) byIndex.set(result.index, result);

    const outcomes = records.map((record, index) =>
      exhaustRetries(record, byIndex.get(index)?.result ?? lost(), deps.maxReceiveCount),
    );
    await deadLetter(records, outcomes, deps, new Date(now()));
    await postponeThrottled(records, outcomes, deps, deadline.remainingMs());

    records.forEach((record, index) => {
      const result = byIndex.get(index);
      const event = parsed[index]?.ok ? parsed[index].event : undefined;
      deps.telemetry.recordProcessed({
        messageId: record.messageId,
        eventId: event?.event_id,
        groupKey: event ? groupKeyOf(event) : undefined,
        groupId: result?.groupId,
        result: outcomes[index] as RecordOutcome,
        attempts: result?.attempts ?? 0,
        durationMs: (result?.finishedAt ?? now()) - startedAt,
      });
    });
    deps.telemetry.flush();

    return {
      batchItemFailures: records
        .filter((_, index) => outcomes[index]?.outcome === "retry_later")
        .map((record) => ({ itemIdentifier: record.messageId })),
    };
  };
}

/** FIFO records are grouped by MessageGroupId (order kept); standard ones by target, so a group's events coalesce. */
function partitionIntoLanes(
  records: readonly SQSRecord[],
  parsed: readonly ParseResult[],
): Array<{ fifo: boolean; items: LaneItem[] }> {
  const lanes = new Map<string, { fifo: boolean; items: LaneItem[] }>();
  records.forEach((record, index) => {
    const result = parsed[index] as ParseResult;
    const fifo = record.eventSourceARN?.endsWith(".fifo") ?? false;
    const key = fifo
      ? `fifo:${record.attributes.MessageGroupId ?? ""}`
      : result.ok
        ? `std:${groupKeyOf(result.event)}`
        : `invalid:${index}`;
    const lane = lanes.get(key) ?? { fifo, items: [] };
    lane.items.push({ index, parsed: result });
    lanes.set(key, lane);
  });
  return [...lanes.values()];
}

async function processLaneSafely(items: LaneItem[], laneDeps: Parameters<typeof processLane>[1]) {
  try {
    return await processLane(items, laneDeps);
  } catch (error) {
    const failure: RecordOutcome = {
      outcome: "retry_later",
      reason: "unexpected_error",
      detail: short(error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
    };
    return items.map((item) => ({
      index: item.index,
      groupId: undefined,
      result: failure,
      attempts: 0,
      finishedAt: laneDeps.now(),
    }));
  }
}

function lost(): RecordOutcome {
  return { outcome: "retry_later", reason: "unexpected_error", detail: "record produced no outcome" };
}

/**
 * On the delivery that SQS would otherwise redrive silently, a still-failing record is dead-lettered by us,
 * so that every DLQ message says why it is there.
 */
function exhaustRetries(record: SQSRecord, result: RecordOutcome, maxReceiveCount: number): RecordOutcome {
  if (result.outcome !== "retry_later") return result;
  if (receiveCount(record) < maxReceiveCount) return result;
  return {
    outcome: "dead_lettered",
    reason: "retries_exhausted",
    detail: short(`${result.reason}: ${result.detail}`),
    httpStatus: result.httpStatus,
  };
}

async function deadLetter(
  records: readonly SQSRecord[],
  outcomes: RecordOutcome[],
  deps: SyncDeps,
  now: Date,
): Promise<void> {
  const letters: DeadLetter[] = [];
  records.forEach((record, index) => {
    const result = outcomes[index] as RecordOutcome;
    if (result.outcome !== "dead_lettered") return;
    letters.push({
      record,
      reason: result.reason,
      detail: result.detail,
      attempts: receiveCount(record),
      httpStatus: result.httpStatus,
    });
  });
  if (letters.length === 0) return;
  const failed = await sendToDeadLetterQueue(deps.sqs, deps.dlqUrl, letters, now);
  records.forEach((record, index) => {
    const error = failed.get(record.messageId);
    const result = outcomes[index] as RecordOutcome;
    if (error === undefined || result.outcome !== "dead_lettered") return;
    // Never acked without being stored somewhere: SQS keeps it, and redrive remains the safety net.
    outcomes[index] = {
      outcome: "retry_later",
      reason: "dlq_send_failed",
      detail: short(`could not dead-letter (${result.reason}: ${result.detail}): ${error}`),
      httpStatus: result.httpStatus,
    };
  });
}

async function postponeThrottled(
  records: readonly SQSRecord[],
  outcomes: RecordOutcome[],
  deps: SyncDeps,
  remainingMs: number,
): Promise<void> {
  const byQueue = new Map<string, Array<{ receiptHandle: string; delayMs: number }>>();
  records.forEach((record, index) => {
    const result = outcomes[index] as RecordOutcome;
    if (result.outcome !== "retry_later" || result.retryAfterMs === undefined) return;
    if (result.retryAfterMs <= remainingMs) return;
    const queueUrl = deps.sourceQueueUrl ?? queueUrlFromArn(record.eventSourceARN);
    if (!queueUrl) return;
    const list = byQueue.get(queueUrl) ?? [];
    list.push({ receiptHandle: record.receiptHandle, delayMs: result.retryAfterMs });
    byQueue.set(queueUrl, list);
  });
  for (const [queueUrl, delays] of byQueue) {
    const failures = await delayRedelivery(deps.sqs, queueUrl, delays);
    if (failures > 0) {
      deps.telemetry.warn("could not delay redelivery as the API asked", { queue_url: queueUrl, failures });
    }
  }
}

function receiveCount(record: SQSRecord): number {
  const count = Number(record.attributes.ApproximateReceiveCount);
  return Number.isFinite(count) && count > 0 ? count : 1;
}
