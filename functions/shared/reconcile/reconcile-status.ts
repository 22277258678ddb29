/** Each snapshot row and each Vitable group gets exactly one of these. */
export const RECONCILE_STATUSES = [
  "in_sync",
  "name_differs",
  "reference_differs",
  "missing_in_vitable",
  "not_in_snapshot",
  "invalid_row",
] as const;

export type ReconcileStatus = (typeof RECONCILE_STATUSES)[number];

export type StatusCounts = Record<ReconcileStatus, number>;

export function zeroCounts(): StatusCounts {
  return Object.fromEntries(RECONCILE_STATUSES.map((status) => [status, 0])) as StatusCounts;
}

/** What the drift alarm counts: differences the HR system says Vitable should not have. */
export function driftCount(counts: StatusCounts): number {
  return counts.name_differs + counts.reference_differs + counts.missing_in_vitable;
}

/**
 * Whether a run found something to act on (exit code 3): drift or rows that could not be checked. A Vitable group
 * the snapshot does not mention is reported but is not drift: Vitable may hold groups HR does not manage.
 */
export function needsAttention(counts: StatusCounts): boolean {
  return driftCount(counts) + counts.invalid_row > 0;
}
