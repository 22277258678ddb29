import { describe, expect, it } from "vitest";
import { planGroupUpdate } from "../../../functions/group-sync/plan-group-update.ts";
import type { GroupLedgerEntry } from "../../../functions/shared/ledger/ledger-store.ts";
import { canonicalInstant } from "../../../functions/shared/time/canonical-instant.ts";
import { makeEvent } from "../../support/events.ts";

const at = (iso: string) => canonicalInstant(iso) as string;

function ledgerWith(fields: GroupLedgerEntry["fields"]): GroupLedgerEntry {
  return { groupId: "grp_abc123def456", fields };
}

describe("planGroupUpdate", () => {
  it("coalesces a group's events into one PATCH with the newest value of each field", () => {
    // Prepare
    const events = [
      makeEvent({
        event_id: "a",
        occurred_at: "2026-01-01T00:00:00Z",
        changes: { name: "A", external_reference_id: "ref-a" },
      }),
      makeEvent({ event_id: "b", occurred_at: "2026-01-02T00:00:00Z", changes: { name: "B" } }),
    ];

    // Act
    const plan = planGroupUpdate(events, undefined, new Set());

    // Assess
    expect(plan.patch).toEqual({ name: "B", external_reference_id: "ref-a" });
    expect(plan.outcomes).toEqual([
      { kind: "apply", fields: ["external_reference_id"] },
      { kind: "apply", fields: ["name"] },
    ]);
    expect(plan.winners.name?.eventId).toBe("b");
  });

  it.each([
    {
      title: "an overtaken event is superseded",
      events: [
        { event_id: "a", occurred_at: "2026-01-01T00:00:00Z", name: "A" },
        { event_id: "b", occurred_at: "2026-01-02T00:00:00Z", name: "B" },
      ],
      recorded: [],
      expected: [
        { kind: "skip", reason: "superseded" },
        { kind: "apply", fields: ["name"] },
      ],
      patch: { name: "B" },
    },
    {
      title: "an older event after a newer one is stale",
      events: [
        { event_id: "b", occurred_at: "2026-01-02T00:00:00Z", name: "B" },
        { event_id: "a", occurred_at: "2026-01-01T00:00:00Z", name: "A" },
      ],
      recorded: [],
      expected: [
        { kind: "apply", fields: ["name"] },
        { kind: "skip", reason: "stale" },
      ],
      patch: { name: "B" },
    },
    {
      title: "a repeated event id in the batch is a duplicate",
      events: [
        { event_id: "a", occurred_at: "2026-01-01T00:00:00Z", name: "A" },
        { event_id: "a", occurred_at: "2026-01-01T00:00:00Z", name: "A" },
      ],
      recorded: [],
      expected: [
        { kind: "apply", fields: ["name"] },
        { kind: "skip", reason: "duplicate" },
      ],
      patch: { name: "A" },
    },
    {
      title: "an event id the ledger recorded is a duplicate",
      events: [{ event_id: "z", occurred_at: "2025-01-01T00:00:00Z", name: "Z" }],
      recorded: ["z"],
      expected: [{ kind: "skip", reason: "duplicate" }],
      patch: {},
    },
    {
      title: "equal instants are ordered by event id",
      events: [
        { event_id: "b", occurred_at: "2026-01-01T00:00:00Z", name: "B" },
        { event_id: "a", occurred_at: "2026-01-01T00:00:00Z", name: "A" },
      ],
      recorded: [],
      expected: [
        { kind: "apply", fields: ["name"] },
        { kind: "skip", reason: "stale" },
      ],
      patch: { name: "B" },
    },
    {
      title: "offsets are compared as instants (+02:00 is two hours earlier than the same wall time in Z)",
      events: [
        { event_id: "x", occurred_at: "2026-01-01T10:00:00Z", name: "X" },
        { event_id: "y", occurred_at: "2026-01-01T11:00:00+02:00", name: "Y" },
      ],
      recorded: [],
      expected: [
        { kind: "apply", fields: ["name"] },
        { kind: "skip", reason: "stale" },
      ],
      patch: { name: "X" },
    },
  ])("$title", ({ events, recorded, expected, patch }) => {
    // Prepare
    const input = events.map((e) =>
      makeEvent({ event_id: e.event_id, occurred_at: e.occurred_at, changes: { name: e.name } }),
    );

    // Act
    const plan = planGroupUpdate(input, undefined, new Set(recorded));

    // Assess
    expect(plan.outcomes).toEqual(expected);
    expect(plan.patch).toEqual(patch);
  });

  it("applies only the fields that are newer than their watermarks", () => {
    // Prepare
    const ledger = ledgerWith({
      name: { instant: at("2026-03-01T00:00:00Z"), eventId: "n", value: "Newer name" },
      external_reference_id: { instant: at("2026-01-01T00:00:00Z"), eventId: "o", value: "old-ref" },
    });
    const event = makeEvent({
      event_id: "mid",
      occurred_at: "2026-02-01T00:00:00Z",
      changes: { name: "Mid name", external_reference_id: "mid-ref" },
    });

    // Act
    const plan = planGroupUpdate([event], ledger, new Set());

    // Assess
    expect(plan.patch).toEqual({ external_reference_id: "mid-ref" });
    expect(plan.outcomes).toEqual([{ kind: "apply", fields: ["external_reference_id"] }]);
  });

  it("treats the event that set a watermark as recorded even if its id record was lost", () => {
    // Prepare
    const ledger = ledgerWith({ name: { instant: at("2026-01-01T00:00:00Z"), eventId: "w", value: "W" } });
    const event = makeEvent({ event_id: "w", occurred_at: "2026-01-01T00:00:00Z", changes: { name: "W" } });

    // Act
    const plan = planGroupUpdate([event], ledger, new Set());

    // Assess
    expect(plan.outcomes).toEqual([{ kind: "skip", reason: "duplicate" }]);
    expect(plan.patch).toEqual({});
  });
});
