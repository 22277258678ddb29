import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { FieldChange } from "./field-states.ts";
import { type FieldStates, SYNCED_FIELDS, type SyncedField } from "./ledger-store.ts";
import { LEDGER_PARTITION_KEY, LEDGER_TTL_ATTRIBUTE } from "./ledger-table.ts";
import { codePointOrderKey } from "./watermark.ts";

/**
 * How ledger records map to items of the single-key table:
 * `group#<groupId>` holds four attributes per synced field, `event#<eventId>` marks a seen event,
 * `alias#<externalReferenceId>` points at a group. Every item carries the TTL attribute.
 */
export type Item = Record<string, AttributeValue>;

const GROUP_PREFIX = "group#";
const EVENT_PREFIX = "event#";
const ALIAS_PREFIX = "alias#";

export const groupKey = (groupId: string): Item => key(GROUP_PREFIX + groupId);
export const eventKey = (eventId: string): Item => key(EVENT_PREFIX + eventId);
export const aliasKey = (externalReferenceId: string): Item => key(ALIAS_PREFIX + externalReferenceId);

export const eventIdOfKey = (item: Item): string | undefined => idOfKey(item, EVENT_PREFIX);
export const groupIdOfKey = (item: Item): string | undefined => idOfKey(item, GROUP_PREFIX);

/** What a read of event items needs: an event item counts by its key and expiry alone. */
export const EVENT_PROJECTION = {
  ProjectionExpression: "#pk, #ttl",
  ExpressionAttributeNames: { "#pk": LEDGER_PARTITION_KEY, "#ttl": LEDGER_TTL_ATTRIBUTE },
};

/**
 * What a read of a group item together with event items needs: one BatchGetItem has one projection for all its
 * keys, so it names the key, the expiry and what fieldStatesOf reads; event items simply lack the field attributes.
 */
export const GROUP_AND_EVENTS_PROJECTION = (() => {
  const names: Record<string, string> = { ...EVENT_PROJECTION.ExpressionAttributeNames };
  SYNCED_FIELDS.forEach((field, index) => {
    const attributes = fieldAttributes(field);
    Object.assign(names, {
      [`#i${index}`]: attributes.instant,
      [`#e${index}`]: attributes.eventId,
      [`#v${index}`]: attributes.value,
    });
  });
  return { ProjectionExpression: Object.keys(names).join(", "), ExpressionAttributeNames: names };
})();

/**
 * Attribute names of one field. `event_order` is the event id as a codePointOrderKey: conditions compare it
 * rather than the raw id, so the tie-break does not depend on how the server collates characters beyond U+FFFF.
 */
export function fieldAttributes(field: SyncedField) {
  return {
    instant: `${field}_instant`,
    eventId: `${field}_event_id`,
    eventOrder: `${field}_event_order`,
    value: `${field}_value`,
  };
}

export function expiresAtOf(item: Item): number | undefined {
  const seconds = item[LEDGER_TTL_ATTRIBUTE]?.N;
  return seconds === undefined ? undefined : Number(seconds);
}

export function fieldStatesOf(item: Item): FieldStates {
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
  return fields;
}

/** A whole group item holding exactly these fields, used to replace an expired item. */
export function groupItem(groupId: string, changes: readonly FieldChange[], expiresAt: number): Item {
  const item: Item = { ...groupKey(groupId), [LEDGER_TTL_ATTRIBUTE]: number(expiresAt) };
  for (const [field, state] of changes) {
    const names = fieldAttributes(field);
    item[names.instant] = { S: state.instant };
    item[names.eventId] = { S: state.eventId };
    item[names.eventOrder] = { S: codePointOrderKey(state.eventId) };
    item[names.value] = { S: state.value };
  }
  return item;
}

/**
 * The conditional update that moves every given field forward at once. It holds only if the item is live (an
 * expired item must be replaced whole) and each field's stored watermark is absent or strictly older.
 */
export function advanceUpdate(changes: readonly FieldChange[], nowSeconds: number, expiresAt: number) {
  const names: Record<string, string> = { "#ttl": LEDGER_TTL_ATTRIBUTE };
  const values: Item = { ":now": number(nowSeconds), ":exp": number(expiresAt) };
  const sets = ["#ttl = :exp"];
  const conditions = ["(attribute_not_exists(#ttl) OR #ttl > :now)"];
  changes.forEach(([field, state], index) => {
    const attributes = fieldAttributes(field);
    const [i, e, o, v] = [`i${index}`, `e${index}`, `o${index}`, `v${index}`];
    Object.assign(names, {
      [`#${i}`]: attributes.instant,
      [`#${e}`]: attributes.eventId,
      [`#${o}`]: attributes.eventOrder,
      [`#${v}`]: attributes.value,
    });
    Object.assign(values, {
      [`:${i}`]: { S: state.instant },
      [`:${e}`]: { S: state.eventId },
      [`:${o}`]: { S: codePointOrderKey(state.eventId) },
      [`:${v}`]: { S: state.value },
    });
    sets.push(`#${i} = :${i}`, `#${e} = :${e}`, `#${o} = :${o}`, `#${v} = :${v}`);
    conditions.push(`(attribute_not_exists(#${i}) OR #${i} < :${i} OR (#${i} = :${i} AND #${o} < :${o}))`);
  });
  return {
    UpdateExpression: `SET ${sets.join(", ")}`,
    ConditionExpression: conditions.join(" AND "),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

function idOfKey(item: Item, prefix: string): string | undefined {
  const pk = item[LEDGER_PARTITION_KEY]?.S;
  return pk?.startsWith(prefix) ? pk.slice(prefix.length) : undefined;
}

function key(pk: string): Item {
  return { [LEDGER_PARTITION_KEY]: { S: pk } };
}

export function number(value: number): AttributeValue {
  return { N: String(value) };
}
