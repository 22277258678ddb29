import type { Readable } from "node:stream";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, S3Event } from "aws-lambda";
import { type Deadline, deadlineFromContext, signalFor } from "../shared/deadline.ts";
import {
  type AsOf,
  asOfFromDate,
  asOfFromText,
  compareSnapshot,
  InvalidAsOfError,
  listVitableGroups,
  type ReconcileReport,
  readSnapshot,
  reconcileEvents,
  reconcileReport,
  SnapshotFormatError,
} from "../shared/reconcile/index.ts";
import type { GroupPages } from "../shared/reconcile/list-vitable-groups.ts";
import { sendRepairEvents } from "./send-repair-events.ts";
import { type SnapshotObject, snapshotObjectOf } from "./snapshot-object.ts";

/** Object metadata that sets the snapshot's instant, like --as-of (`x-amz-meta-as-of` on upload). */
export const AS_OF_METADATA = "as-of";

export interface ReconcileTelemetry {
  reported(object: SnapshotObject, report: ReconcileReport): void;
  /** The snapshot itself cannot be used (unreadable, bad as-of); an error report was written. */
  refused(object: SnapshotObject, problem: string): void;
  skipped(key: string, why: string): void;
  flush(): void;
}

export interface ReconcileDeps {
  s3: S3Client;
  groups: GroupPages;
  /** Set with sourceQueueUrl when the stack's reconcileAutoApply is on. */
  sqs?: SQSClient | undefined;
  sourceQueueUrl?: string | undefined;
  safetyMarginMs: number;
  telemetry: ReconcileTelemetry;
}

export type ReconcileHandler = (
  event: S3Event,
  context: Pick<Context, "getRemainingTimeInMillis">,
) => Promise<void>;

/** An auto-apply send that did not go through: thrown after the report is written, so Lambda runs it again. */
export class RepairSendError extends Error {
  constructor(failed: readonly string[]) {
    super(`${failed.length} repair event(s) not sent: ${failed.slice(0, 3).join("; ")}`);
    this.name = "RepairSendError";
  }
}

/**
 * The S3-triggered reconcile: for each snapshot created under snapshots/, list Vitable, compare, write the JSON report
 * to reports/, emit metrics and, with auto-apply, send the repair events. A snapshot that cannot be used gets an
 * error report and is not retried; a failure of Vitable, S3 or SQS fails the invocation so Lambda retries it.
 */
export function createReconcileHandler(deps: ReconcileDeps): ReconcileHandler {
  return async (event, context) => {
    const deadline = deadlineFromContext(context, deps.safetyMarginMs);
    try {
      for (const record of event.Records) {
        const object = snapshotObjectOf(record);
        if ("skipped" in object) {
          deps.telemetry.skipped(record.s3.object.key, object.skipped);
          continue;
        }
        await reconcileObject(deps, object, deadline);
      }
    } finally {
      deps.telemetry.flush();
    }
  };
}

async function reconcileObject(
  deps: ReconcileDeps,
  object: SnapshotObject,
  deadline: Deadline,
): Promise<void> {
  // Vitable first: the snapshot's stream is then read straight through, never left idle during a long listing.
  const groups = await listVitableGroups(deps.groups, { deadline });
  const snapshot = await deps.s3.send(
    new GetObjectCommand({
      Bucket: object.bucket,
      Key: object.key,
      ...(object.versionId ? { VersionId: object.versionId } : {}),
    }),
    { abortSignal: signalFor(deadline) },
  );
  let report: ReconcileReport;
  try {
    const asOf = asOfOf(snapshot.Metadata, snapshot.LastModified);
    const comparison = await compareSnapshot(readSnapshot(snapshot.Body as Readable, object.format), groups);
    const events = reconcileEvents(comparison.entries, asOf.instant);
    const sending =
      deps.sqs && deps.sourceQueueUrl
        ? await sendRepairEvents(deps.sqs, deps.sourceQueueUrl, events, deadline)
        : undefined;
    report = reconcileReport(comparison, asOf, sending ? sending.sent : null);
    await putReport(deps.s3, object, report, deadline);
    deps.telemetry.reported(object, report);
    if (sending && sending.failed.length > 0) throw new RepairSendError(sending.failed);
  } catch (error) {
    if (!(error instanceof SnapshotFormatError || error instanceof InvalidAsOfError)) throw error;
    await putReport(deps.s3, object, { error: error.message, snapshot: object.key }, deadline);
    deps.telemetry.refused(object, error.message);
  }
}

function asOfOf(metadata: Record<string, string> | undefined, lastModified: Date | undefined): AsOf {
  const given = metadata?.[AS_OF_METADATA];
  if (given !== undefined) {
    try {
      return asOfFromText(given);
    } catch (error) {
      if (error instanceof InvalidAsOfError) {
        throw new InvalidAsOfError(error.message.replace(/^--as-of/, `object metadata ${AS_OF_METADATA}`));
      }
      throw error;
    }
  }
  if (lastModified === undefined) throw new InvalidAsOfError("the snapshot object has no last-modified time");
  return asOfFromDate(lastModified, "object_last_modified");
}

async function putReport(
  s3: S3Client,
  object: SnapshotObject,
  body: unknown,
  deadline: Deadline,
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: object.bucket,
      Key: object.reportKey,
      Body: `${JSON.stringify(body, null, 2)}\n`,
      ContentType: "application/json",
    }),
    { abortSignal: signalFor(deadline) },
  );
}
