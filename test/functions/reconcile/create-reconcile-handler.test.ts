import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { S3Event } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createReconcileHandler,
  type ReconcileDeps,
  type ReconcileTelemetry,
} from "../../../functions/reconcile/create-reconcile-handler.ts";
import { reconcileEventId } from "../../../functions/shared/reconcile/index.ts";
import { staticApiKey } from "../../../functions/shared/vitable/api-key.ts";
import { VitableClient } from "../../../functions/shared/vitable/client.ts";
import { type EmbeddedSqs, startEmbeddedSqs } from "../../../local/sqs/embedded-sqs.ts";
import {
  DEFAULT_API_KEY,
  type RunningVitableEmulator,
  startVitableEmulator,
} from "../../../local/vitable-emulator/index.ts";
import { freshQueues } from "../../cli/support/dlq-fixtures.ts";
import { drainQueue } from "../../support/drain-queue.ts";
import { makeContext } from "../../support/events.ts";

const GROUPS = [
  { id: "grp_same", name: "Tier 1", external_reference_id: "hr_1" },
  { id: "grp_renamed", name: "Old name", external_reference_id: "hr_2" },
  { id: "grp_extra", name: "By hand", external_reference_id: "hand_1" },
];
const SNAPSHOT = "external_reference_id,name\nhr_1,Tier 1\nhr_2,New name\nhr_9,Nowhere\n";

let sqs: EmbeddedSqs;
let s3: S3Client;
let emulator: RunningVitableEmulator;
let bucketCount = 0;

beforeAll(async () => {
  sqs = await startEmbeddedSqs();
  s3 = new S3Client({
    endpoint: sqs.endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});
beforeEach(async () => {
  await emulator?.stop();
  emulator = await startVitableEmulator({ groups: GROUPS });
});
afterAll(async () => {
  s3.destroy();
  await Promise.all([emulator?.stop(), sqs.stop()]);
});

interface Recorded {
  reported: string[];
  refused: string[];
  skipped: string[];
}

function harness(overrides: Partial<ReconcileDeps> = {}) {
  const recorded: Recorded = { reported: [], refused: [], skipped: [] };
  const telemetry: ReconcileTelemetry = {
    reported: (object, report) =>
      recorded.reported.push(`${object.reportKey} drift=${report.counts.name_differs}`),
    refused: (object, problem) => recorded.refused.push(`${object.key}: ${problem}`),
    skipped: (key, why) => recorded.skipped.push(`${key}: ${why}`),
    flush: () => {},
  };
  const client = new VitableClient({
    baseUrl: emulator.url,
    apiKey: staticApiKey(DEFAULT_API_KEY),
    retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
  });
  const handler = createReconcileHandler({
    s3,
    groups: client.groups,
    safetyMarginMs: 200,
    telemetry,
    ...overrides,
  });
  return { handler, recorded };
}

async function bucketWith(key: string, body: string, metadata?: Record<string, string>): Promise<string> {
  bucketCount += 1;
  const bucket = `reconcile-test-${bucketCount}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Metadata: metadata }));
  return bucket;
}

function s3Event(bucket: string, key: string): S3Event {
  return {
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: "us-east-1",
        eventTime: "2026-03-01T00:00:00.000Z",
        eventName: "ObjectCreated:Put",
        userIdentity: { principalId: "test" },
        requestParameters: { sourceIPAddress: "127.0.0.1" },
        responseElements: { "x-amz-request-id": "r", "x-amz-id-2": "i" },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "snapshots",
          bucket: { name: bucket, ownerIdentity: { principalId: "test" }, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: encodeURIComponent(key).replace(/%2F/g, "/").replace(/%20/g, "+"),
            size: 1,
            eTag: "e",
            sequencer: "1",
          },
        },
      },
    ],
  };
}

async function readJson(bucket: string, key: string): Promise<Record<string, unknown>> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await (object.Body?.transformToString() ?? Promise.resolve("")));
}

async function keysOf(bucket: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((object) => object.Key ?? "").sort();
}

describe("the reconcile function", () => {
  it("writes the JSON report of a snapshot dropped under snapshots/ to reports/, dated by the as-of metadata", async () => {
    // Prepare
    const bucket = await bucketWith("snapshots/hr groups.csv", SNAPSHOT, {
      "as-of": "2026-03-01T09:00:00+01:00",
    });
    const { handler, recorded } = harness();

    // Act
    await handler(s3Event(bucket, "snapshots/hr groups.csv"), makeContext(30_000));

    // Assess
    const report = await readJson(bucket, "reports/hr groups.csv.json");
    expect(report).toMatchObject({
      as_of: "2026-03-01T08:00:00.000Z",
      as_of_source: "as_of_option",
      counts: { in_sync: 1, name_differs: 1, missing_in_vitable: 1, not_in_snapshot: 1, invalid_row: 0 },
      sent: null,
    });
    expect(recorded.reported).toEqual(["reports/hr groups.csv.json drift=1"]);
    expect(emulator.journal.filter((entry) => entry.method !== "GET")).toEqual([]);
  });

  it("dates the snapshot by the object's last-modified time without metadata, and with auto-apply sends the repairs", async () => {
    // Prepare
    const bucket = await bucketWith("snapshots/hr.csv", SNAPSHOT);
    const queues = await freshQueues(sqs.client);
    const { handler } = harness({ sqs: sqs.client, sourceQueueUrl: queues.queueUrl });

    // Act
    await handler(s3Event(bucket, "snapshots/hr.csv"), makeContext(30_000));

    // Assess
    const report = await readJson(bucket, "reports/hr.csv.json");
    expect(report).toMatchObject({ as_of_source: "object_last_modified", sent: 1 });
    const messages = await drainQueue(sqs.client, queues.queueUrl);
    const eventId = reconcileEventId(report.as_of as string, "grp_renamed", { name: "New name" });
    expect(
      messages.map((message) => [message.Attributes?.MessageGroupId, JSON.parse(message.Body ?? "")]),
    ).toEqual([
      [
        "id:grp_renamed",
        {
          schema_version: 1,
          type: "group.renamed",
          event_id: eventId,
          occurred_at: report.as_of,
          group: { id: "grp_renamed" },
          changes: { name: "New name" },
          source: "reconcile",
        },
      ],
    ]);
  });

  it("skips objects that are not snapshots and writes nothing", async () => {
    // Prepare
    const bucket = await bucketWith("reports/old.csv", SNAPSHOT);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "snapshots/notes.txt", Body: "hello" }));
    const { handler, recorded } = harness();

    // Act
    await handler(s3Event(bucket, "reports/old.csv"), makeContext(30_000));
    await handler(s3Event(bucket, "snapshots/notes.txt"), makeContext(30_000));

    // Assess
    expect(recorded.skipped).toEqual([
      "reports/old.csv: the key is not under snapshots/",
      "snapshots/notes.txt: the key does not end in .csv, .json or .jsonl",
    ]);
    expect(await keysOf(bucket)).toEqual(["reports/old.csv", "snapshots/notes.txt"]);
    expect(emulator.journal).toEqual([]);
  });

  it("answers an unreadable snapshot or a bad as-of with an error report, without failing the invocation", async () => {
    // Prepare
    const bucket = await bucketWith("snapshots/broken.csv", 'external_reference_id,name\nhr_1,"Tier\n');
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "snapshots/dated.csv",
        Body: SNAPSHOT,
        Metadata: { "as-of": "yesterday" },
      }),
    );
    const { handler, recorded } = harness();

    // Act
    await handler(s3Event(bucket, "snapshots/broken.csv"), makeContext(30_000));
    await handler(s3Event(bucket, "snapshots/dated.csv"), makeContext(30_000));

    // Assess
    expect(await readJson(bucket, "reports/broken.csv.json")).toEqual({
      error: "line 2: not valid CSV (a quoted field is never closed)",
      snapshot: "snapshots/broken.csv",
    });
    expect((await readJson(bucket, "reports/dated.csv.json")).error).toMatch(
      /^object metadata as-of must be an RFC 3339/,
    );
    expect(recorded.refused).toHaveLength(2);
  });

  it("fails the invocation, writing no report, when Vitable cannot be listed before the deadline", async () => {
    // Prepare
    const bucket = await bucketWith("snapshots/hr.csv", SNAPSHOT);
    emulator.setFaults({ script: [{ action: { type: "hang" }, method: "GET" }] });
    const { handler } = harness();

    // Act
    const run = handler(s3Event(bucket, "snapshots/hr.csv"), makeContext(1_500));

    // Assess
    await expect(run).rejects.toThrow(/deadline/i);
    expect(await keysOf(bucket)).toEqual(["snapshots/hr.csv"]);
  });
});
