import type { GroupRenamedEvent } from "../shared/contract/group-renamed-event.ts";
import type { ParseResult } from "../shared/contract/parse-result.ts";
import type { Deadline } from "../shared/deadline.ts";
import type { LedgerStore } from "../shared/ledger/ledger-store.ts";
import { applyUnit, type GroupUpdater } from "./apply-unit.ts";
import type { RecordOutcome, RetryLater } from "./outcome.ts";
import { instantOf } from "./plan-group-update.ts";
import { type GroupDirectory, resolveTarget } from "./resolve-target.ts";

/** A record of the batch with its parsed body; `index` is its position in the batch. */
export interface LaneItem {
  index: number;
  parsed: ParseResult;
}

export interface LaneResult {
  index: number;
  groupId: string | undefined;
  result: RecordOutcome;
  attempts: number;
  finishedAt: number;
}

export interface LaneDeps {
  groups: GroupUpdater & GroupDirectory;
  ledger: LedgerStore;
  deadline: Deadline;
  /** FIFO lanes stop at the first record left for retry: the records behind it are not attempted. */
  strictOrder: boolean;
  /**
   * Events that occurred before this instant are refused: the watermarks that could prove them stale may have
   * expired from the ledger, so applying them could revert a newer value.
   */
  oldestAcceptedInstant: string;
  now: () => number;
  rememberedAliases?: Map<string, string>;
  onRepairFailed?: (groupId: string, error: unknown) => void;
}

interface Pending {
  groupId: string;
  items: Array<{ index: number; event: GroupRenamedEvent }>;
}

/**
 * Processes one lane (a FIFO message group, or one group key on a standard queue) in order. Consecutive events of
 * the same Vitable group are coalesced into one unit; a unit is flushed before a different group starts, and before
 * a lookup that found nothing is tried again (an earlier event of the lane may be renaming a group to that id).
 */
export async function processLane(items: readonly LaneItem[], deps: LaneDeps): Promise<LaneResult[]> {
  const results: LaneResult[] = [];
  let pending: Pending | undefined;
  let blockedBy: RetryLater | undefined;

  const settle = (index: number, groupId: string | undefined, result: RecordOutcome, attempts: number) => {
    if (result.outcome === "retry_later" && deps.strictOrder && !blockedBy) blockedBy = result;
    results.push({ index, groupId, result, attempts, finishedAt: deps.now() });
  };

  const flush = async () => {
    if (!pending) return;
    const unit = pending;
    pending = undefined;
    const { outcomes, attempts } = await applyUnit(
      unit.groupId,
      unit.items.map((item) => item.event),
      deps,
    );
    unit.items.forEach((item, position) => {
      settle(item.index, unit.groupId, outcomes[position] as RecordOutcome, attempts);
    });
  };

  const target = {
    directory: deps.groups,
    ledger: deps.ledger,
    deadline: deps.deadline,
    ...(deps.rememberedAliases ? { rememberedAliases: deps.rememberedAliases } : {}),
  };
  // `settle` sets blockedBy from a closure, which TypeScript's narrowing cannot see.
  const blocked = () => blockedBy as RetryLater | undefined;
  const blockedOutcome = (): RecordOutcome => ({
    ...(blockedBy as RetryLater),
    reason: "blocked_by_earlier_failure",
  });

  for (const item of items) {
    if (blocked()) {
      settle(item.index, undefined, blockedOutcome(), 0);
      continue;
    }
    const { parsed } = item;
    if (!parsed.ok) {
      settle(
        item.index,
        undefined,
        { outcome: "dead_lettered", reason: parsed.reason, detail: parsed.detail },
        0,
      );
      continue;
    }
    if (instantOf(parsed.event) < deps.oldestAcceptedInstant) {
      settle(item.index, undefined, tooOld(deps.oldestAcceptedInstant), 0);
      continue;
    }
    let resolution = await resolveTarget(parsed.event, target);
    if (!resolution.ok && pending && resolution.failure.reason === "group_not_found") {
      await flush();
      if (blocked()) {
        settle(item.index, undefined, blockedOutcome(), 0);
        continue;
      }
      resolution = await resolveTarget(parsed.event, target);
    }
    if (!resolution.ok) {
      await flush();
      if (blocked()) settle(item.index, undefined, blockedOutcome(), 0);
      else settle(item.index, undefined, resolution.failure, resolution.attempts);
      continue;
    }
    if (pending && pending.groupId !== resolution.groupId) await flush();
    if (blocked()) {
      settle(item.index, undefined, blockedOutcome(), 0);
      continue;
    }
    pending ??= { groupId: resolution.groupId, items: [] };
    pending.items.push({ index: item.index, event: parsed.event });
  }
  await flush();
  return results;
}

function tooOld(oldestAcceptedInstant: string): RecordOutcome {
  return {
    outcome: "dead_lettered",
    reason: "event_too_old",
    detail: `occurred_at is before ${oldestAcceptedInstant}, the ledger's horizon: its watermarks may have expired, so it cannot be applied safely`,
  };
}
