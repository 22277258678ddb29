import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { newestAcceptedInstant } from "../shared/contract/future-bound.ts";
import { groupKeyOf } from "../shared/contract/group-key.ts";
import { type Deadline, deadlineFromContext } from "../shared/deadline.ts";
import type { LedgerStore } from "../shared/ledger/ledger-store.ts";
import { canonicalInstantAt } from "../shared/time/canonical-instant.ts";
import type { GroupUpdater } from "./apply-unit.ts";
import { type BatchRecord, batchRecordOf } from "./batch-record.ts";
import { short } from "./classify-failure.ts";
import { DeadLetterOutbox } from "./dead-letter-outbox.ts";
import { GroupLocks } from "./group-locks.ts";
import type { RecordOutcome, RecordReport } from "./outcome.ts";
import { type LaneDeps, processLane } from "./process-lane.ts";
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
  /** How far ahead of this function's clock an event's occurred_at may lie (EVENT_MAX_FUTURE_SECONDS). */
  maxFutureMs: number;
  /** Time kept back from the deadline for DLQ sends and the response. */
  safetyMarginMs: number;
  telemetry: SyncTelemetry;
  now?: () => number;
  /** How long a `group_busy` record stays hidden before SQS hands it out again; a few seconds by default. */
  busyRedeliveryMs?: () => number;
}

export type SyncHandler = (
  event: SQSEvent,
  context: Pick<Context, "getRemainingTimeInMillis">,
) => Promise<SQSBatchResponse>;

/** Long enough for a holder to finish a unit, short enough not to matter; jittered so waiters do not collide. */
const defaultBusyRedeliveryMs = () => 2_000 + Math.floor(Math.random() * 3_000);

/**
 * The SQS batch handler. Every record ends with exactly one outcome (applied, skipped, dead_lettered or
 * retry_later); only retry_later records are reported as batch item failures, and no single record can make the
 * invocation throw.
 */
export function createSyncHandler(deps: SyncDeps): SyncHandler {
  const now = deps.now ?? Date.now;
  // Both live as long as the container: aliases it wrote, and its lanes' turns on each group.
  const rememberedAliases = new Map<string, string>();
  const locks = new GroupLocks();
  return async (event, context) => {
    const startedAt = now();
    const deadline = deadlineFromContext(context, deps.safetyMarginMs);
    const records = event.Records.map(batchRecordOf);
    // DLQ sends and visibility changes may use the safety margin, all but a quarter kept for the response.
    const finishing = deadlineFromContext(context, deps.safetyMarginMs / 4);
    const shared: Omit<LaneDeps, "strictOrder"> = {
      groups: deps.groups,
      ledger: deps.ledger,
      locks,
      deadline,
      leaseUntil: startedAt + context.getRemainingTimeInMillis(),
      busyRedeliveryMs: deps.busyRedeliveryMs ?? defaultBusyRedeliveryMs,
      oldestAcceptedInstant: canonicalInstantAt(startedAt - deps.ledgerHorizonMs),
      newestAcceptedInstant: newestAcceptedInstant(startedAt, deps.maxFutureMs),
      maxReceiveCount: deps.maxReceiveCount,
      outbox: new DeadLetterOutbox(deps.sqs, deps.dlqUrl, () => new Date(now()), finishing),
      now,
      rememberedAliases,
    };

    await Promise.all(
      partitionIntoLanes(records).map((lane) =>
        processLaneSafely(lane.items, { ...shared, strictOrder: lane.fifo }, now),
      ),
    );
    await postponeRedelivery(records, deps, deadline.remainingMs(), finishing);

    for (const item of records) {
      const valid = item.parsed.ok ? item.parsed : undefined;
      const parsedEvent = valid?.event;
      deps.telemetry.recordProcessed({
        messageId: item.record.messageId,
        eventId: parsedEvent?.event_id,
        groupKey: parsedEvent ? groupKeyOf(parsedEvent) : undefined,
        groupId: item.groupId,
        envelope: valid?.envelope,
        cloudEvent: valid?.cloudEvent,
        result: outcomeOf(item),
        attempts: item.attempts,
        durationMs: (item.finishedAt ?? now()) - startedAt,
      });
    }
    deps.telemetry.flush();

    return {
      batchItemFailures: records
        .filter((item) => outcomeOf(item).outcome === "retry_later")
        .map((item) => ({ itemIdentifier: item.record.messageId })),
    };
  };
}

/** FIFO records are grouped by MessageGroupId (order kept); standard ones by target, so a group's events coalesce. */
function partitionIntoLanes(records: readonly BatchRecord[]): Array<{ fifo: boolean; items: BatchRecord[] }> {
  const lanes = new Map<string, { fifo: boolean; items: BatchRecord[] }>();
  records.forEach((item, index) => {
    const fifo = item.record.eventSourceARN?.endsWith(".fifo") ?? false;
    const key = fifo
      ? `fifo:${item.record.attributes.MessageGroupId ?? ""}`
      : item.parsed.ok
        ? `std:${groupKeyOf(item.parsed.event)}`
        : `invalid:${index}`;
    const lane = lanes.get(key) ?? { fifo, items: [] };
    lane.items.push(item);
    lanes.set(key, lane);
  });
  return [...lanes.values()];
}

/** A lane that throws leaves its unsettled records for retry; it never takes the batch down. */
async function processLaneSafely(items: BatchRecord[], deps: LaneDeps, now: () => number): Promise<void> {
  try {
    await processLane(items, deps);
  } catch (error) {
    const failure: RecordOutcome = {
      outcome: "retry_later",
      reason: "unexpected_error",
      detail: short(error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
    };
    for (const item of items) {
      if (item.outcome) continue;
      item.outcome = failure;
      item.finishedAt = now();
    }
  }
}

function outcomeOf(item: BatchRecord): RecordOutcome {
  return (
    item.outcome ?? {
      outcome: "retry_later",
      reason: "unexpected_error",
      detail: "record produced no outcome",
    }
  );
}

/**
 * Hides records that should come back after a known wait: a group another invocation holds (a few seconds), or
 * an API that asked for more time than this invocation has left.
 */
async function postponeRedelivery(
  records: readonly BatchRecord[],
  deps: SyncDeps,
  remainingMs: number,
  finishing: Deadline,
): Promise<void> {
  const byQueue = new Map<string, Array<{ receiptHandle: string; delayMs: number }>>();
  for (const { record, outcome } of records) {
    if (outcome?.outcome !== "retry_later") continue;
    const delayMs =
      outcome.redeliverAfterMs ??
      (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > remainingMs
        ? outcome.retryAfterMs
        : undefined);
    if (delayMs === undefined) continue;
    const queueUrl = deps.sourceQueueUrl ?? queueUrlFromArn(record.eventSourceARN);
    if (!queueUrl) continue;
    const list = byQueue.get(queueUrl) ?? [];
    list.push({ receiptHandle: record.receiptHandle, delayMs });
    byQueue.set(queueUrl, list);
  }
  for (const [queueUrl, delays] of byQueue) {
    const failures = await delayRedelivery(deps.sqs, queueUrl, delays, finishing);
    if (failures > 0) {
      deps.telemetry.warn("could not delay redelivery as planned", { queue_url: queueUrl, failures });
    }
  }
}
