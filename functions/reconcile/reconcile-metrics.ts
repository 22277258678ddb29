import type { ReconcileStatus } from "../shared/reconcile/index.ts";

/** One metric name per status, shared with the stack's alarm and dashboard. */
export const RECONCILE_STATUS_METRICS: Record<ReconcileStatus, string> = {
  in_sync: "ReconcileInSync",
  name_differs: "ReconcileNameDiffers",
  reference_differs: "ReconcileReferenceDiffers",
  missing_in_vitable: "ReconcileMissingInVitable",
  not_in_snapshot: "ReconcileNotInSnapshot",
  invalid_row: "ReconcileInvalidRow",
};

/** name_differs + reference_differs + missing_in_vitable of one report: what the drift alarm watches. */
export const RECONCILE_DRIFT_METRIC = "ReconcileDrift";
/** Events the function put on the source queue (auto-apply). */
export const RECONCILE_SENT_METRIC = "ReconcileEventsSent";

export const RECONCILE_SERVICE = "vitable-group-sync-reconcile";
export const METRICS_NAMESPACE = "VitableGroupSync";
