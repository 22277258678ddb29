import { describe, expect, it } from "vitest";
import {
  compareSnapshot,
  reconcileEventId,
  reconcileEvents,
} from "../../../../functions/shared/reconcile/index.ts";
import {
  type CheckedSnapshotRow,
  checkSnapshotRow,
} from "../../../../functions/shared/reconcile/snapshot-row.ts";
import type { Group } from "../../../../functions/shared/vitable/types.ts";

function group(id: string, name: string, ref: string): Group {
  return { id, name, external_reference_id: ref, created_at: null, updated_at: null };
}

async function* rows(...fields: Array<Record<string, unknown>>): AsyncGenerator<CheckedSnapshotRow> {
  for (const [index, row] of fields.entries()) yield checkSnapshotRow({ line: index + 2, fields: row });
}

const AS_OF = "2026-03-01T00:00:00.000Z";

describe("compareSnapshot and reconcileEvents", () => {
  it("repairs name and reference together when a row with an id differs in both", async () => {
    // Act
    const comparison = await compareSnapshot(
      rows({ id: "grp_a", external_reference_id: "new", name: "New" }),
      [group("grp_a", "Old", "old")],
    );
    const events = reconcileEvents(comparison.entries, AS_OF);

    // Assess
    expect(comparison.entries.map((entry) => entry.status)).toEqual(["reference_differs"]);
    expect(events).toEqual([
      expect.objectContaining({
        group: { id: "grp_a" },
        changes: { name: "New", external_reference_id: "new" },
        occurred_at: AS_OF,
        source: "reconcile",
      }),
    ]);
  });

  it("never second-guesses an id: an unknown id is missing even when its reference exists elsewhere", async () => {
    // Act
    const comparison = await compareSnapshot(
      rows({ id: "grp_gone", external_reference_id: "r1", name: "N" }),
      [group("grp_other", "N", "r1")],
    );

    // Assess
    expect(comparison.entries.map((entry) => [entry.status, entry.group_id])).toEqual([
      ["missing_in_vitable", "grp_gone"],
      ["not_in_snapshot", "grp_other"],
    ]);
    expect(reconcileEvents(comparison.entries, AS_OF)).toEqual([]);
  });

  it("lets an invalid row claim the group its key names, so a valid row for the same group is not acted on", async () => {
    // Act
    const comparison = await compareSnapshot(
      rows(
        { id: "grp_a", external_reference_id: "r1", name: "Bad\u0007name" },
        { external_reference_id: "r1", name: "Good name" },
      ),
      [group("grp_a", "Old", "r1")],
    );

    // Assess
    expect(comparison.entries.map((entry) => [entry.status, entry.line, entry.problem])).toEqual([
      ["invalid_row", 2, "name: must not contain control characters"],
      ["invalid_row", 3, "duplicate match: group grp_a is also matched by line 2"],
    ]);
    expect(comparison.counts.not_in_snapshot).toBe(0);
    expect(reconcileEvents(comparison.entries, AS_OF)).toEqual([]);
  });

  it("derives the same event id for the same instant, group and target, and another for any other", () => {
    const id = reconcileEventId("2026-03-01T01:00:00+01:00", "grp_a", { name: "N" });
    expect(reconcileEventId("2026-03-01T00:00:00Z", "grp_a", { name: "N" })).toBe(id);
    expect(reconcileEventId("2026-03-01T00:00:01Z", "grp_a", { name: "N" })).not.toBe(id);
    expect(reconcileEventId("2026-03-01T00:00:00Z", "grp_b", { name: "N" })).not.toBe(id);
    expect(reconcileEventId("2026-03-01T00:00:00Z", "grp_a", { name: "M" })).not.toBe(id);
    expect(reconcileEventId("2026-03-01T00:00:00Z", "grp_a", { external_reference_id: "N" })).not.toBe(id);
    expect(id).toMatch(/^reconcile-[0-9a-f]{64}$/);
  });
});
