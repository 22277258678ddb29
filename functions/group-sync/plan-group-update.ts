import type { GroupRenamedEvent } from "../shared/contract/group-renamed-event.ts";
import {
  type FieldStates,
  type GroupLedgerEntry,
  SYNCED_FIELDS,
  type SyncedField,
} from "../shared/ledger/ledger-store.ts";
import { isNewer } from "../shared/ledger/watermark.ts";
import { canonicalInstant } from "../shared/time/canonical-instant.ts";
import type { GroupUpdateParams } from "../shared/vitable/types.ts";
import type { SkipReason } from "./outcome.ts";

/** What one event of a coalesced unit ends with if the unit's PATCH succeeds. */
export type PlannedOutcome = { kind: "apply"; fields: SyncedField[] } | { kind: "skip"; reason: SkipReason };

export interface GroupUpdatePlan {
  /** One PATCH body carrying the newest value of each field that is newer than the ledger; empty when none is. */
  patch: GroupUpdateParams;
  /** Watermarks to record once the PATCH succeeded. */
  winners: FieldStates;
  /** Per event, in input order. */
  outcomes: PlannedOutcome[];
}

/**
 * Coalesces the events of one group into one PATCH, with the outcomes that applying them one at a time, in order,
 * would give: each field change is applied only when newer than the field's watermark; an event that would have
 * applied but whose every field was overtaken later in the unit is `superseded`. An event whose id was already recorded (or seen earlier in the unit) is `duplicate`; any other event
 * with nothing newer is `stale`.
 */
export function planGroupUpdate(
  events: readonly GroupRenamedEvent[],
  ledger: GroupLedgerEntry | undefined,
  recordedEventIds: ReadonlySet<string>,
): GroupUpdatePlan {
  const running: FieldStates = { ...ledger?.fields };
  const seen = new Set(recordedEventIds);
  for (const field of SYNCED_FIELDS) {
    const mark = running[field];
    if (mark) seen.add(mark.eventId);
  }

  const provisional: Array<SyncedField[] | SkipReason> = events.map((event) => {
    // An event already decided once is never applied again, whatever the watermarks say now.
    if (seen.has(event.event_id)) return "duplicate";
    seen.add(event.event_id);
    const instant = instantOf(event);
    const applies = SYNCED_FIELDS.filter((field) => {
      const value = event.changes[field];
      return value !== undefined && isNewer({ instant, eventId: event.event_id }, running[field]);
    });
    for (const field of applies) {
      running[field] = { instant, eventId: event.event_id, value: event.changes[field] as string };
    }
    return applies.length > 0 ? applies : "stale";
  });

  const winners: FieldStates = {};
  const patch: GroupUpdateParams = {};
  for (const field of SYNCED_FIELDS) {
    const mark = running[field];
    if (mark && mark !== ledger?.fields[field]) {
      winners[field] = mark;
      patch[field] = mark.value;
    }
  }

  const outcomes = provisional.map((applies, index): PlannedOutcome => {
    if (typeof applies === "string") return { kind: "skip", reason: applies };
    const eventId = events[index]?.event_id;
    const kept = applies.filter((field) => winners[field]?.eventId === eventId);
    return kept.length > 0 ? { kind: "apply", fields: kept } : { kind: "skip", reason: "superseded" };
  });
  return { patch, winners, outcomes };
}

/** The event's position on the HR clock; the contract already guarantees occurred_at parses. */
export function instantOf(event: GroupRenamedEvent): string {
  const instant = canonicalInstant(event.occurred_at);
  if (instant === undefined) throw new TypeError(`occurred_at is not RFC 3339: ${event.occurred_at}`);
  return instant;
}
