import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, EventType } from "aws-cdk-lib/aws-s3";
import { LambdaDestination } from "aws-cdk-lib/aws-s3-notifications";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import {
  METRICS_NAMESPACE,
  RECONCILE_DRIFT_METRIC,
  RECONCILE_SERVICE,
} from "../functions/reconcile/reconcile-metrics.ts";
import { REPORT_PREFIX, SNAPSHOT_PREFIX } from "../functions/reconcile/snapshot-object.ts";
import { BundledFunction } from "./bundled-function.ts";
import type { GroupSyncSettings } from "./settings.ts";

export interface ReconcileProps {
  settings: GroupSyncSettings;
  apiKeySecretArn: string;
  sourceQueue: IQueue;
  alarmTopic: ITopic;
}

/** Listing 10,000 groups takes 100 pages; five minutes leaves room for retries and a 429 pause or two. */
const TIMEOUT_SECONDS = 300;
const MEMORY_MB = 512;
/** Old versions of snapshots and reports (overwritten or deleted) go after a week. */
const NONCURRENT_DAYS = 7;

/**
 * Reconcile in AWS: a snapshot bucket whose `snapshots/` objects trigger the reconcile function, which writes its
 * report to `reports/`, emits metrics per status and (with reconcileAutoApply) sends the repairs to the source
 * queue. A drift alarm and an errors alarm notify the stack's alarm topic.
 */
export class Reconcile extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly bundled: BundledFunction;
  readonly driftAlarm: Alarm;
  readonly errorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ReconcileProps) {
    super(scope, id);
    const { settings } = props;
    const retention = Duration.days(settings.reconcileRetentionDays);

    this.accessLogs = new Bucket(this, "AccessLogs", {
      // Server access logs can only be delivered to a bucket with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ expiration: retention }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, "Snapshots", {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: "snapshots-bucket/",
      lifecycleRules: [
        { id: "ExpireSnapshots", prefix: SNAPSHOT_PREFIX, expiration: retention },
        { id: "ExpireReports", prefix: REPORT_PREFIX, expiration: retention },
        {
          id: "ExpireOldVersions",
          noncurrentVersionExpiration: Duration.days(NONCURRENT_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // HR data: kept when the stack is torn down; delete it by hand.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const autoApply = settings.reconcileAutoApply;
    this.bundled = new BundledFunction(this, "Bundled", {
      name: "reconcile",
      description:
        "Compares HR snapshots dropped under snapshots/ with Vitable and writes a report to reports/",
      timeoutSeconds: TIMEOUT_SECONDS,
      memorySize: MEMORY_MB,
      logRetentionDays: settings.logRetentionDays,
      noLambdaDlqReason:
        "S3 invokes it asynchronously; a run that still fails after Lambda's retries loses nothing: the snapshot " +
        "stays in the bucket, the ReconcileFunctionErrors alarm fires, and uploading the snapshot again re-runs it.",
      environment: {
        VITABLE_CONNECT_BASE_URL: settings.vitableBaseUrl,
        VITABLE_CONNECT_API_KEY_SECRET_ARN: props.apiKeySecretArn,
        RECONCILE_AUTO_APPLY: String(autoApply),
        ...(autoApply ? { SOURCE_QUEUE_URL: props.sourceQueue.queueUrl } : {}),
        API_CONCURRENCY: String(settings.apiConcurrency),
        API_ATTEMPT_TIMEOUT_MS: String(settings.apiAttemptTimeoutMs),
        LOG_LEVEL: "INFO",
        POWERTOOLS_SERVICE_NAME: RECONCILE_SERVICE,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
    });
    const role = this.bundled.role;
    // Reads exactly the snapshot version that triggered it; writes only reports.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["s3:GetObject", "s3:GetObjectVersion"],
        resources: [this.bucket.arnForObjects(`${SNAPSHOT_PREFIX}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["s3:PutObject"],
        resources: [this.bucket.arnForObjects(`${REPORT_PREFIX}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["secretsmanager:GetSecretValue"], resources: [props.apiKeySecretArn] }),
    );
    if (autoApply) {
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ["sqs:SendMessage"], resources: [props.sourceQueue.queueArn] }),
      );
    }
    // cdk-nag names each wildcard resource in the finding, by the bucket's logical id.
    const stack = Stack.of(this);
    const bucketId = stack.resolve(stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket)) as string;
    for (const prefix of [SNAPSHOT_PREFIX, REPORT_PREFIX]) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason:
          "The object wildcards are the two key prefixes the function works in (snapshots/* to read, reports/* " +
          "to write); object names are chosen by whoever uploads a snapshot, so they cannot be listed in advance.",
      });
    }

    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.bundled.function), {
      prefix: SNAPSHOT_PREFIX,
    });
    acknowledgeNotificationsHandler(stack);

    const action = new SnsAction(props.alarmTopic);
    this.driftAlarm = new Alarm(this, "DriftAlarm", {
      alarmDescription:
        "A reconcile report found drift (name_differs + reference_differs + missing_in_vitable > 0): read the " +
        "report under reports/ in the snapshot bucket.",
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: RECONCILE_DRIFT_METRIC,
        dimensionsMap: { service: RECONCILE_SERVICE },
        statistic: "Maximum",
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No report in the period: nothing was compared, so nothing drifted.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.errorsAlarm = new Alarm(this, "FunctionErrors", {
      alarmDescription:
        "The reconcile function failed (Vitable, S3 or SQS unreachable, or the key unreadable): no report was written.",
      metric: this.bundled.function.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.driftAlarm, this.errorsAlarm]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}

/**
 * The bucket notification is set by CDK's own singleton custom resource (S3 has no CloudFormation property that
 * could target a function without a circular dependency); its role uses the AWS managed basic execution policy.
 */
function acknowledgeNotificationsHandler(stack: Stack): void {
  const handler = stack.node.children.find((child) => child.node.id.startsWith("BucketNotificationsHandler"));
  if (!handler) return;
  Validations.of(handler).acknowledge({
    id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
    reason:
      "CDK's BucketNotificationsHandler is a deploy-time custom resource that only calls PutBucketNotification; " +
      "its role and managed logging policy are fixed by aws-cdk-lib and it never sees snapshot data.",
  });
}
