import { type SnapshotFormat, snapshotFormatOf } from "../shared/reconcile/index.ts";

export const SNAPSHOT_PREFIX = "snapshots/";
export const REPORT_PREFIX = "reports/";

/** A snapshot object the function will read, and where its report goes. */
export interface SnapshotObject {
  bucket: string;
  key: string;
  versionId: string | undefined;
  format: SnapshotFormat;
  reportKey: string;
}

/** Why an S3 record is not a snapshot to reconcile; logged, nothing is written. */
export type NotASnapshot = { skipped: string };

/**
 * The snapshot an S3 event record names. Keys arrive URL-encoded with `+` for spaces. Only keys under snapshots/
 * with a known extension are read; the report goes to reports/<name under snapshots/>.json, so
 * snapshots/2026/hr.csv gives reports/2026/hr.csv.json and a report can never overwrite a snapshot.
 */
export function snapshotObjectOf(record: {
  s3: { bucket: { name: string }; object: { key: string; versionId?: string } };
}): SnapshotObject | NotASnapshot {
  let key: string;
  try {
    key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
  } catch {
    return { skipped: "the object key is not valid URL encoding" };
  }
  if (!key.startsWith(SNAPSHOT_PREFIX) || key.length === SNAPSHOT_PREFIX.length) {
    return { skipped: `the key is not under ${SNAPSHOT_PREFIX}` };
  }
  const format = snapshotFormatOf(key);
  if (format === undefined) return { skipped: "the key does not end in .csv, .json or .jsonl" };
  return {
    bucket: record.s3.bucket.name,
    key,
    versionId: record.s3.object.versionId || undefined,
    format,
    reportKey: `${REPORT_PREFIX}${key.slice(SNAPSHOT_PREFIX.length)}.json`,
  };
}
