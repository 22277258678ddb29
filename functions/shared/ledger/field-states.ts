import { canonicalInstant } from "../time/canonical-instant.ts";
import { type FieldState, type FieldStates, SYNCED_FIELDS, type SyncedField } from "./ledger-store.ts";

export type FieldChange = readonly [SyncedField, FieldState];

/**
 * The fields an advance() call asks for, in SYNCED_FIELDS order. Rejects instants that are not canonical: string
 * order equals time order only for canonical instants, so one raw offset timestamp would corrupt every later
 * comparison against it.
 */
export function requestedChanges(fields: FieldStates): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of SYNCED_FIELDS) {
    const state = fields[field];
    if (state === undefined) continue;
    if (canonicalInstant(state.instant) !== state.instant) {
      throw new RangeError(`Ledger watermark for ${field} needs a canonical instant (see canonicalInstant)`);
    }
    changes.push([field, { instant: state.instant, eventId: state.eventId, value: state.value }]);
  }
  return changes;
}

export function copyFieldStates(fields: FieldStates): FieldStates {
  const copy: FieldStates = {};
  for (const field of SYNCED_FIELDS) {
    const state = fields[field];
    if (state !== undefined) copy[field] = { ...state };
  }
  return copy;
}
