import type { GroupRenamedEvent } from "../shared/contract/group-renamed-event.ts";
import { type ApplyDeps, applyUnit } from "./apply-unit.ts";
import type { BatchRecord } from "./batch-record.ts";
import { short } from "./classify-failure.ts";
import type { DeadLetterOutbox } from "./dead-letter-outbox.ts";
import type { RecordOutcome, RetryLater } from "./outcome.ts";
import { instantOf } from "./plan-group-update.ts";
import { type GroupDirectory, resolveTarget } from "./resolve-target.ts";

export interface LaneDeps extends ApplyDeps {
  groups: ApplyDeps["groups"] & GroupDirectory;
  /** FIFO lanes stop at the first record left for retry: the records behind it are not attempted. */
  strictOrder: boolean;
  /**
   * Events that occurred before this instant are refused: the watermarks that could prove them stale may have
   * expired from the ledger, so applying them could revert a newer value.
   */
  oldestAcceptedInstant: string;
  /** Events stamped after this instant are refused: one would win its fields against every real rename. */
  newestAcceptedInstant: string;
  /** On this delivery a record still left for retry is dead-lettered by us, with its reason. */
  maxReceiveCount: number;
  outbox: DeadLetterOutbox;
  now: () => number;
  /** Aliases this container already wrote, so a hot group costs no ledger write per event. */
  rememberedAliases: Map<string, string>;
}

interface Settlement {
  item: BatchRecord;
  outcome: RecordOutcome;
  groupId?: string | undefined;
  attempts?: number;
}

/**
 * Processes one lane (a FIFO message group, or one group key on a standard queue) in order, giving each record
 * its outcome. Consecutive events of the same Vitable group are coalesced into one unit; a unit is flushed before a
 * different group starts, and before a lookup that found nothing is tried again (an earlier event of the lane may
 * be renaming a group to that reference). Dead letters are sent before the lane goes on, so on a FIFO queue no
 * record is acked after an earlier record of its group was handed back.
 */
export async function processLane(items: readonly BatchRecord[], deps: LaneDeps): Promise<void> {
  let pending: { groupId: string; items: Array<{ item: BatchRecord; event: GroupRenamedEvent }> } | undefined;
  let blockedBy: RetryLater | undefined;

  const settle = async (settlements: readonly Settlement[]) => {
    const finals = await Promise.all(settlements.map((s) => finalOutcome(s.item, s.outcome, deps)));
    settlements.forEach((settlement, index) => {
      const outcome = finals[index] as RecordOutcome;
      const { item } = settlement;
      item.outcome = outcome;
      item.groupId = settlement.groupId;
      item.attempts = settlement.attempts ?? 0;
      item.finishedAt = deps.now();
      if (outcome.outcome === "retry_later" && deps.strictOrder && !blockedBy) blockedBy = outcome;
    });
  };
  const settleBlocked = (item: BatchRecord) =>
    settle([{ item, outcome: { ...(blockedBy as RetryLater), reason: "blocked_by_earlier_failure" } }]);

  const flush = async () => {
    if (!pending) return;
    const unit = pending;
    pending = undefined;
    const { outcomes, attempts } = await applyUnit(
      unit.groupId,
      unit.items.map((entry) => entry.event),
      deps,
    );
    await settle(
      unit.items.map(({ item }, position) => ({
        item,
        outcome: outcomes[position] as RecordOutcome,
        groupId: unit.groupId,
        attempts,
      })),
    );
  };

  for (const item of items) {
    if (blockedBy) {
      await settleBlocked(item);
      continue;
    }
    const refusal = refuse(item, deps);
    if (refusal) {
      await settle([{ item, outcome: refusal }]);
      continue;
    }
    const event = (item.parsed as Extract<BatchRecord["parsed"], { ok: true }>).event;
    let resolution = await resolveTarget(event, deps);
    if (!resolution.ok && pending && resolution.failure.reason === "group_not_found") {
      await flush();
      if (blockedBy) {
        await settleBlocked(item);
        continue;
      }
      resolution = await resolveTarget(event, deps);
    }
    if (!resolution.ok) {
      await flush();
      if (blockedBy) await settleBlocked(item);
      else await settle([{ item, outcome: resolution.failure, attempts: resolution.attempts }]);
      continue;
    }
    if (pending && pending.groupId !== resolution.groupId) await flush();
    if (blockedBy) {
      await settleBlocked(item);
      continue;
    }
    pending ??= { groupId: resolution.groupId, items: [] };
    pending.items.push({ item, event });
  }
  await flush();
}

/** Why a record is dead-lettered before any lookup: it is not a valid event, or its instant is out of range. */
function refuse(item: BatchRecord, deps: LaneDeps): RecordOutcome | undefined {
  const { parsed } = item;
  if (!parsed.ok) return { outcome: "dead_lettered", reason: parsed.reason, detail: parsed.detail };
  const instant = instantOf(parsed.event);
  if (instant < deps.oldestAcceptedInstant) {
    return {
      outcome: "dead_lettered",
      reason: "event_too_old",
      detail: `occurred_at is before ${deps.oldestAcceptedInstant}, the ledger's horizon: its watermarks may have expired, so it cannot be applied safely`,
    };
  }
  if (instant > deps.newestAcceptedInstant) {
    return {
      outcome: "dead_lettered",
      reason: "event_in_future",
      detail: `occurred_at is after ${deps.newestAcceptedInstant}, further ahead of this function's clock than EVENT_MAX_FUTURE_SECONDS allows`,
    };
  }
  return undefined;
}

/**
 * On the delivery that SQS would otherwise redrive silently, a record still left for retry is dead-lettered by us,
 * so that every DLQ message says why it is there; a dead letter is stored before the record is acked.
 */
async function finalOutcome(
  item: BatchRecord,
  outcome: RecordOutcome,
  deps: LaneDeps,
): Promise<RecordOutcome> {
  const final = onLastDelivery(outcome, item.receiveCount, deps.maxReceiveCount);
  if (final.outcome !== "dead_lettered") return final;
  const error = await deps.outbox.send({
    record: item.record,
    reason: final.reason,
    detail: final.detail,
    attempts: item.receiveCount,
    httpStatus: final.httpStatus,
  });
  if (error === undefined) return final;
  // Never acked without being stored somewhere: SQS keeps it, and redrive remains the safety net.
  return {
    outcome: "retry_later",
    reason: "dlq_send_failed",
    detail: short(`could not dead-letter (${final.reason}: ${final.detail}): ${error}`),
    httpStatus: final.httpStatus,
  };
}

function onLastDelivery(
  outcome: RecordOutcome,
  receiveCount: number,
  maxReceiveCount: number,
): RecordOutcome {
  if (outcome.outcome !== "retry_later" || receiveCount < maxReceiveCount) return outcome;
  // These may heal with time; on the last delivery they keep their own reason, which says what to fix.
  if (outcome.reason === "group_not_found" || outcome.reason === "conflict") {
    return {
      outcome: "dead_lettered",
      reason: outcome.reason,
      detail: outcome.detail,
      httpStatus: outcome.httpStatus,
    };
  }
  return {
    outcome: "dead_lettered",
    reason: "retries_exhausted",
    detail: short(`${outcome.reason}: ${outcome.detail}`),
    httpStatus: outcome.httpStatus,
  };
}
