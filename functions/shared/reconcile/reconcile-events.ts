import { createHash } from "node:crypto";
import { EVENT_TYPE, type GroupRenamedEvent, SCHEMA_VERSION } from "../contract/group-renamed-event.ts";
import type { ReconcileEntry } from "./compare-snapshot.ts";

export const RECONCILE_SOURCE = "reconcile";

/**
 * The group.renamed events that repair the report's name_differs and reference_differs entries: one per group,
 * addressed by its grp_ id, dated at the snapshot's instant, holding only the fields that differ. The ledger then
 * decides: a rename recorded after the snapshot's instant makes the event stale, so nothing newer is overwritten.
 */
export function reconcileEvents(entries: readonly ReconcileEntry[], asOf: string): GroupRenamedEvent[] {
  const occurredAt = new Date(asOf).toISOString();
  const events: GroupRenamedEvent[] = [];
  for (const entry of entries) {
    if (entry.status !== "name_differs" && entry.status !== "reference_differs") continue;
    const { group_id: groupId, vitable, snapshot } = entry;
    if (groupId === null || vitable === null || snapshot === null) continue;
    const changes: GroupRenamedEvent["changes"] = {};
    if (snapshot.name !== null && snapshot.name !== vitable.name) changes.name = snapshot.name;
    if (
      snapshot.external_reference_id !== null &&
      snapshot.external_reference_id !== vitable.external_reference_id
    ) {
      changes.external_reference_id = snapshot.external_reference_id;
    }
    events.push({
      schema_version: SCHEMA_VERSION,
      type: EVENT_TYPE,
      event_id: reconcileEventId(occurredAt, groupId, changes),
      occurred_at: occurredAt,
      group: { id: groupId },
      changes,
      source: RECONCILE_SOURCE,
    });
  }
  return events;
}

/**
 * Same instant, group and target values, same id: running one reconcile twice sends duplicates that SQS and the
 * ledger drop. A different target (the snapshot changed) or instant is a different event.
 */
export function reconcileEventId(
  occurredAt: string,
  groupId: string,
  changes: GroupRenamedEvent["changes"],
): string {
  const identity = JSON.stringify([
    new Date(occurredAt).toISOString(),
    groupId,
    changes.name ?? null,
    changes.external_reference_id ?? null,
  ]);
  return `reconcile-${createHash("sha256").update(identity, "utf8").digest("hex")}`;
}
