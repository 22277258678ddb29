export { type AsOf, type AsOfSource, asOfFromDate, asOfFromText, InvalidAsOfError } from "./as-of.ts";
export {
  type Comparison,
  compareSnapshot,
  type GroupFields,
  type ReconcileEntry,
} from "./compare-snapshot.ts";
export { listVitableGroups } from "./list-vitable-groups.ts";
export { readSnapshot } from "./read-snapshot.ts";
export { RECONCILE_SOURCE, reconcileEventId, reconcileEvents } from "./reconcile-events.ts";
export { type ReconcileReport, reconcileReport } from "./reconcile-report.ts";
export {
  driftCount,
  needsAttention,
  RECONCILE_STATUSES,
  type ReconcileStatus,
  type StatusCounts,
} from "./reconcile-status.ts";
export { SNAPSHOT_FORMATS, type SnapshotFormat, snapshotFormatOf } from "./snapshot-format.ts";
export { SnapshotFormatError } from "./snapshot-format-error.ts";
