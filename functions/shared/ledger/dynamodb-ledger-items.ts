import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { GroupState } from "./group-state.ts";
import { type FieldStates, SYNCED_FIELDS, type SyncedField } from "./ledger-store.ts";
import { LEDGER_PARTITION_KEY, LEDGER_TTL_ATTRIBUTE } from "./ledger-table.ts";

/**
 * How ledger records map to items of the single-key table:
 * `group#<groupId>` holds three attributes per synced field, the digests of recently decided event ids (`seen`,
 * a map of digest to the epoch millisecond it was recorded) and, while an invocation writes to the group, its
 * lease (`lease_owner`, `lease_until` in epoch milliseconds); `alias#<externalReferenceId>` points at a group.
 * Every item carries the TTL attribute.
 */
export type Item = Record<string, AttributeValue>;

const GROUP_PREFIX = "group#";
const ALIAS_PREFIX = "alias#";

export const SEEN_ATTRIBUTE = "seen";
export const LEASE_OWNER_ATTRIBUTE = "lease_owner";
export const LEASE_UNTIL_ATTRIBUTE = "lease_until";

export const groupKey = (groupId: string): Item => key(GROUP_PREFIX + groupId);
export const aliasKey = (externalReferenceId: string): Item => key(ALIAS_PREFIX + externalReferenceId);

export function fieldAttributes(field: SyncedField) {
  return { instant: `${field}_instant`, eventId: `${field}_event_id`, value: `${field}_value` };
}

export function expiresAtOf(item: Item): number | undefined {
  return numberOf(item[LEDGER_TTL_ATTRIBUTE]);
}

export function leaseUntilOf(item: Item): number | undefined {
  return numberOf(item[LEASE_UNTIL_ATTRIBUTE]);
}

export function groupStateOf(item: Item): GroupState {
  const fields: FieldStates = {};
  for (const field of SYNCED_FIELDS) {
    const names = fieldAttributes(field);
    const instant = item[names.instant]?.S;
    const eventId = item[names.eventId]?.S;
    const value = item[names.value]?.S;
    if (instant !== undefined && eventId !== undefined && value !== undefined) {
      fields[field] = { instant, eventId, value };
    }
  }
  const seen = new Map<string, number>();
  for (const [digest, at] of Object.entries(item[SEEN_ATTRIBUTE]?.M ?? {})) {
    const ms = numberOf(at);
    if (ms !== undefined) seen.set(digest, ms);
  }
  return { fields, seen };
}

/** The whole group item for a state, without a lease: writing it is what releases one. */
export function groupItem(groupId: string, state: GroupState, expiresAt: number): Item {
  const item: Item = { ...groupKey(groupId), [LEDGER_TTL_ATTRIBUTE]: number(expiresAt) };
  for (const field of SYNCED_FIELDS) {
    const fieldState = state.fields[field];
    if (fieldState === undefined) continue;
    const names = fieldAttributes(field);
    item[names.instant] = { S: fieldState.instant };
    item[names.eventId] = { S: fieldState.eventId };
    item[names.value] = { S: fieldState.value };
  }
  const seen: Item = {};
  for (const [digest, at] of state.seen) seen[digest] = number(at);
  item[SEEN_ATTRIBUTE] = { M: seen };
  return item;
}

/**
 * The update that takes a lease: it holds when nobody holds one or the holder's has run out. A new item gets the
 * TTL so an abandoned lease cannot keep it forever; an existing item keeps its TTL, so an expired one stays expired.
 */
export function acquireUpdate(owner: string, until: number, nowMs: number, expiresAt: number) {
  return {
    UpdateExpression: "SET #owner = :owner, #until = :until, #ttl = if_not_exists(#ttl, :exp)",
    ConditionExpression: "attribute_not_exists(#owner) OR #until < :now",
    ExpressionAttributeNames: {
      "#owner": LEASE_OWNER_ATTRIBUTE,
      "#until": LEASE_UNTIL_ATTRIBUTE,
      "#ttl": LEDGER_TTL_ATTRIBUTE,
    },
    ExpressionAttributeValues: {
      ":owner": { S: owner },
      ":until": number(until),
      ":now": number(nowMs),
      ":exp": number(expiresAt),
    },
  };
}

/** The condition every release write carries: the lease is still ours. */
export function heldBy(owner: string) {
  return {
    ConditionExpression: "#owner = :owner",
    ExpressionAttributeNames: { "#owner": LEASE_OWNER_ATTRIBUTE },
    ExpressionAttributeValues: { ":owner": { S: owner } },
  };
}

function key(pk: string): Item {
  return { [LEDGER_PARTITION_KEY]: { S: pk } };
}

export function number(value: number): AttributeValue {
  return { N: String(value) };
}

function numberOf(value: AttributeValue | undefined): number | undefined {
  return value?.N === undefined ? undefined : Number(value.N);
}
