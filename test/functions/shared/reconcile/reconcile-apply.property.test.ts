import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GroupRenamedEvent } from "../../../../functions/shared/contract/index.ts";
import {
  compareSnapshot,
  listVitableGroups,
  reconcileEvents,
} from "../../../../functions/shared/reconcile/index.ts";
import { checkSnapshotRow } from "../../../../functions/shared/reconcile/snapshot-row.ts";
import { makeEvent, makeRecord } from "../../../support/events.ts";
import { type SyncHarness, startSyncHarness } from "../../../support/sync-harness.ts";

const AS_OF = "2026-03-01T12:00:00.000Z";
const BEFORE = "2026-03-01T11:00:00.000Z";
const AFTER = "2026-03-01T13:00:00.000Z";
const NAMES = ["Alpha", "Beta", "Équipe Montréal 🇨🇦", "Tier 1 – Salaried"];

/** What happened to one group before the reconcile, and what the snapshot says about it. */
interface GroupPlan {
  name: string;
  /** A rename recorded through the sync function before the reconcile runs, older or newer than the snapshot. */
  recorded: { at: "before" | "after"; name?: string; newReference: boolean } | null;
  /** The snapshot's row for this group, if any. */
  row: { byId: boolean; name: string; newReference: boolean } | null;
}

const groupPlan: fc.Arbitrary<GroupPlan> = fc.record({
  name: fc.constantFrom(...NAMES),
  recorded: fc.option(
    fc.record({
      at: fc.constantFrom("before" as const, "after" as const),
      name: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
      newReference: fc.boolean(),
    }),
    { nil: null },
  ),
  row: fc.option(
    fc.record({ byId: fc.boolean(), name: fc.constantFrom(...NAMES), newReference: fc.boolean() }),
    { nil: null },
  ),
});

let harness: SyncHarness;
let runNumber = 0;
beforeAll(async () => {
  harness = await startSyncHarness();
});
afterAll(async () => {
  await harness.stop();
});

async function applyThroughSync(events: GroupRenamedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const response = await harness.run(events.map((event) => makeRecord(event)));
  expect(response.batchItemFailures).toEqual([]);
}

async function* rowsOf(rows: Array<Record<string, unknown>>) {
  for (const [index, fields] of rows.entries()) yield checkSnapshotRow({ line: index + 2, fields });
}

describe("applying a reconcile report through the sync function", () => {
  it("makes Vitable equal the snapshot for every matched row, except fields a newer recorded event set", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(groupPlan, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 2 }),
        async (plans, ghosts) => {
          // Prepare: groups in Vitable, renames recorded before the reconcile (some newer than the snapshot).
          runNumber += 1;
          const prefix = `p${runNumber}`;
          const ids = plans.map((plan, index) => {
            const group = harness.emulator.addGroup({
              id: `grp_${prefix}_${index}`,
              name: plan.name,
              external_reference_id: `${prefix}-r${index}`,
            });
            return group.id;
          });
          await applyThroughSync(
            plans.flatMap((plan, index) => {
              const recorded = plan.recorded;
              if (!recorded || (recorded.name === undefined && !recorded.newReference)) return [];
              return [
                makeEvent({
                  occurred_at: recorded.at === "after" ? AFTER : BEFORE,
                  group: { id: ids[index] as string },
                  changes: {
                    ...(recorded.name === undefined ? {} : { name: recorded.name }),
                    ...(recorded.newReference ? { external_reference_id: `${prefix}-late${index}` } : {}),
                  },
                }),
              ];
            }),
          );
          const rows = plans.flatMap((plan, index) =>
            plan.row
              ? [
                  {
                    ...(plan.row.byId ? { id: ids[index] } : {}),
                    external_reference_id: plan.row.newReference
                      ? `${prefix}-new${index}`
                      : `${prefix}-r${index}`,
                    name: plan.row.name,
                  },
                ]
              : [],
          );
          for (let ghost = 0; ghost < ghosts; ghost += 1) {
            rows.push({ external_reference_id: `${prefix}-ghost${ghost}`, name: "Nobody" });
          }

          // Act: reconcile, then apply the report's events through the sync function.
          const groups = await listVitableGroups(harness.client.groups);
          const comparison = await compareSnapshot(rowsOf(rows), groups);
          const before = new Map(groups.map((group) => [group.id, { ...group }]));
          await applyThroughSync(reconcileEvents(comparison.entries, AS_OF));

          // Assess
          expect(comparison.counts.invalid_row).toBe(0);
          let matchedGroups = 0;
          for (const [index, plan] of plans.entries()) {
            const id = ids[index] as string;
            const row = plan.row;
            const group = harness.emulator.group(id);
            const listed = before.get(id);
            const snapshotReference = row?.newReference ? `${prefix}-new${index}` : `${prefix}-r${index}`;
            const matchedRow =
              row !== null && (row.byId || listed?.external_reference_id === snapshotReference);
            if (!row || !matchedRow) {
              // Not matched: reconcile must leave it as it was.
              expect(group).toEqual(
                expect.objectContaining({
                  name: listed?.name,
                  external_reference_id: listed?.external_reference_id,
                }),
              );
              continue;
            }
            matchedGroups += 1;
            const newer = plan.recorded?.at === "after" ? plan.recorded : undefined;
            const expectedName = newer?.name ?? row.name;
            // Only a row with an id can change the reference; one matched by reference already agrees on it.
            const expectedReference = newer?.newReference
              ? `${prefix}-late${index}`
              : row.byId
                ? snapshotReference
                : listed?.external_reference_id;
            expect(group?.name).toBe(expectedName);
            expect(group?.external_reference_id).toBe(expectedReference);
          }
          // Exactly one status each: every row, plus every listed group no row matched.
          const statuses = Object.values(comparison.counts).reduce((sum, count) => sum + count, 0);
          expect(statuses).toBe(rows.length + groups.length - matchedGroups);
        },
      ),
      { numRuns: 40 },
    );
  });
});
