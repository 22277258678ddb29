import { createHash } from "node:crypto";
import { copyFieldStates, requestedChanges } from "./field-states.ts";
import type { FieldStates, LedgerReading } from "./ledger-store.ts";

/**
 * What a group item holds, in both stores: the field watermarks and the digests of recently decided event ids,
 * each with the epoch millisecond it was recorded at.
 */
export interface GroupState {
  fields: FieldStates;
  seen: Map<string, number>;
}

/**
 * How many recently decided event ids a group remembers. Redeliveries and replays of older ids are still never
 * applied again: the watermarks judge them `stale` instead of `duplicate`. The bound keeps the item, and so the
 * write cost of every lease, at about one kilobyte.
 */
export const MAX_SEEN_EVENTS = 32;

export const EMPTY_GROUP_STATE: GroupState = { fields: {}, seen: new Map() };

/**
 * Event ids are remembered as 96-bit digests: an id may be 255 code points, and the item stays small whatever
 * producers choose. A collision (about 2^-96 per pair) would report a new event as `duplicate`.
 */
export function eventDigest(eventId: string): string {
  return createHash("sha256").update(eventId, "utf8").digest("base64url").slice(0, 16);
}

export function readingOf(groupId: string, state: GroupState, eventIds: readonly string[]): LedgerReading {
  const recorded = new Set(eventIds.filter((eventId) => state.seen.has(eventDigest(eventId))));
  const hasFields = Object.keys(state.fields).length > 0;
  return { entry: hasFields ? { groupId, fields: copyFieldStates(state.fields) } : undefined, recorded };
}

/**
 * The state a release writes: the winners over the held state, and the new event ids added to the remembered
 * ones, keeping the newest MAX_SEEN_EVENTS of those recorded within the last `ttlSeconds`.
 */
export function nextGroupState(
  held: GroupState,
  winners: FieldStates,
  eventIds: readonly string[],
  nowMs: number,
  ttlSeconds: number,
): GroupState {
  const oldestKeptMs = nowMs - ttlSeconds * 1000;
  const fields = copyFieldStates(held.fields);
  for (const [field, state] of requestedChanges(winners)) fields[field] = state;
  const seen = new Map([...held.seen].filter(([, at]) => at >= oldestKeptMs));
  for (const eventId of eventIds) {
    const digest = eventDigest(eventId);
    seen.delete(digest);
    seen.set(digest, nowMs);
  }
  // Newest first, later-recorded first among equal times (the sort is stable), then back to recording order.
  const newest = [...seen]
    .reverse()
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_SEEN_EVENTS)
    .reverse();
  return { fields, seen: new Map(newest) };
}

export function isEmptyState(state: GroupState): boolean {
  return Object.keys(state.fields).length === 0 && state.seen.size === 0;
}
