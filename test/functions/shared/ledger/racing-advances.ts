import fc from "fast-check";
import { expect } from "vitest";
import {
  type AdvanceResult,
  type FieldStates,
  SYNCED_FIELDS,
} from "../../../../functions/shared/ledger/ledger-store.ts";
import { compareWatermarks } from "../../../../functions/shared/ledger/watermark.ts";
import { canonicalInstant } from "../../../../functions/shared/time/canonical-instant.ts";

/**
 * Random advance() calls for the race property: few instants and tricky event ids, so that ties and code point
 * corner cases come up often.
 */
const racingInstant = fc
  .constantFrom(
    "2026-03-01T10:00:00Z",
    "2026-03-01T11:00:00Z",
    "2026-03-01T13:00:00+02:00",
    "2026-03-01T12:00:00Z",
  )
  .map((timestamp) => canonicalInstant(timestamp) ?? timestamp);

const racingEventId = fc.oneof(
  fc.constantFrom("evt_a", "evt_b", "evt_\u{E000}", "evt_\u{10000}", "evt_\u{FFFF}", "evt_\u{1F600}"),
  fc.string({ unit: "binary", minLength: 1, maxLength: 3 }).map((text) => `evt_${text}`),
);
const racingWatermark = fc.record({ instant: racingInstant, eventId: racingEventId });
export const racingCall = fc
  .record({
    viaPeer: fc.boolean(),
    name: fc.option(racingWatermark, { nil: undefined }),
    external_reference_id: fc.option(racingWatermark, { nil: undefined }),
  })
  .map(({ viaPeer, ...watermarks }) => {
    const fields: FieldStates = {};
    for (const field of SYNCED_FIELDS) {
      const watermark = watermarks[field];
      // One value per watermark, so that equal watermarks never disagree about the value.
      if (watermark) {
        fields[field] = { ...watermark, value: `${field}@${watermark.instant}/${watermark.eventId}` };
      }
    }
    return { viaPeer, fields };
  });

export function eventIdsOf(fields: FieldStates): string[] {
  return SYNCED_FIELDS.flatMap((field) => fields[field]?.eventId ?? []);
}

export function newestPerField(calls: readonly { fields: FieldStates }[]): FieldStates {
  const newest: FieldStates = {};
  for (const { fields } of calls) {
    for (const field of SYNCED_FIELDS) {
      const candidate = fields[field];
      const current = newest[field];
      if (candidate && (!current || compareWatermarks(candidate, current) > 0)) newest[field] = candidate;
    }
  }
  return newest;
}

/** A field reported as applied holds this call's state; one reported as overtaken holds an equal or newer one. */
export function expectHonestResult(requested: FieldStates, result: AdvanceResult | undefined): void {
  for (const field of SYNCED_FIELDS) {
    const wanted = requested[field];
    if (!wanted) continue;
    const seen = result?.entry.fields[field];
    if (result?.overtaken.includes(field)) {
      expect(seen && compareWatermarks(seen, wanted)).toBeGreaterThanOrEqual(0);
    } else {
      expect(seen).toEqual(wanted);
    }
  }
}
