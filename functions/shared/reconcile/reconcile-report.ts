import type { AsOf, AsOfSource } from "./as-of.ts";
import type { Comparison, ReconcileEntry } from "./compare-snapshot.ts";
import type { StatusCounts } from "./reconcile-status.ts";

/** The JSON report: printed by `reconcile --json`, written by --output and by the reconcile function to S3. */
export interface ReconcileReport {
  as_of: string;
  as_of_source: AsOfSource;
  counts: StatusCounts;
  /** Every entry that is not in_sync (in_sync rows are only counted). */
  rows: ReconcileEntry[];
  /** Events put on the source queue; null when the run did not apply. */
  sent: number | null;
}

export function reconcileReport(comparison: Comparison, asOf: AsOf, sent: number | null): ReconcileReport {
  return {
    as_of: asOf.instant,
    as_of_source: asOf.source,
    counts: comparison.counts,
    rows: comparison.entries,
    sent,
  };
}
