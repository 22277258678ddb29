import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { AlarmTopic } from "./alarm-topic.ts";
import { ApiKeySecret } from "./api-key-secret.ts";
import type { BundledFunction } from "./bundled-function.ts";
import { Ledger } from "./ledger.ts";
import { OperationsDashboard } from "./operations-dashboard.ts";
import { SyncQueues } from "./queues.ts";
import { Reconcile } from "./reconcile.ts";
import { type GroupSyncSettings, resolveSettings } from "./settings.ts";
import { SyncAlarms } from "./sync-alarms.ts";
import { SyncFunction } from "./sync-function.ts";
import { WebhookIngest } from "./webhook-ingest.ts";

export const DEFAULT_STACK_NAME = "VitableGroupSync";

export interface GroupSyncStackProps extends StackProps {
  /** Deployer settings; missing ones take their defaults (see infra/settings.ts). */
  settings?: Partial<GroupSyncSettings>;
}

/** HR group renames: SQS FIFO queue -> sync Lambda -> Vitable Connect, with DLQ, ledger and alarms. */
export class GroupSyncStack extends Stack {
  readonly settings: GroupSyncSettings;
  readonly queues: SyncQueues;
  readonly ledger: Ledger;
  readonly apiKeySecret: ApiKeySecret;
  readonly sync: SyncFunction;
  readonly alarmTopic: AlarmTopic;
  readonly alarms: SyncAlarms;
  readonly webhook: WebhookIngest;
  /** The snapshot bucket and reconcile function; undefined with context `reconcile=false`. */
  readonly reconcile: Reconcile | undefined;
  readonly dashboard: OperationsDashboard;
  /** Every function this stack bundles; each comes from the shared list in infra/bundling.ts. */
  readonly bundledFunctions: BundledFunction[];

  constructor(scope: Construct, id: string, props: GroupSyncStackProps = {}) {
    super(scope, id, props);
    this.settings = resolveSettings(props.settings);
    const settings = this.settings;

    this.queues = new SyncQueues(this, "Queues", {
      maxReceiveCount: settings.maxReceiveCount,
      consumerTimeout: Duration.seconds(settings.timeoutSeconds),
    });
    this.ledger = new Ledger(this, "Ledger");
    this.apiKeySecret = new ApiKeySecret(this, "ApiKey", { existingSecretArn: settings.apiKeySecretArn });
    this.sync = new SyncFunction(this, "Sync", {
      settings,
      queues: this.queues,
      ledgerTable: this.ledger.table,
      apiKeySecretArn: this.apiKeySecret.secretArn,
    });
    this.webhook = new WebhookIngest(this, "Webhook", { settings, sourceQueue: this.queues.source });

    this.alarmTopic = new AlarmTopic(this, "AlarmTopic", {
      existingTopicArn: settings.alarmTopicArn,
      email: settings.alarmEmail,
    });
    this.alarms = new SyncAlarms(this, "Alarms", {
      topic: this.alarmTopic.topic,
      sourceQueue: this.queues.source,
      deadLetterQueue: this.queues.deadLetter,
      syncFunction: this.sync.bundled.function,
      ledgerTable: this.ledger.table,
      oldestMessageAgeAlarmSeconds: settings.oldestMessageAgeAlarmSeconds,
      webhookFunction: this.webhook.bundled.function,
      webhookStage: this.webhook.stage,
    });
    this.reconcile = settings.reconcile
      ? new Reconcile(this, "Reconcile", {
          settings,
          apiKeySecretArn: this.apiKeySecret.secretArn,
          sourceQueue: this.queues.source,
          alarmTopic: this.alarmTopic.topic,
        })
      : undefined;
    this.bundledFunctions = [
      this.sync.bundled,
      this.webhook.bundled,
      ...(this.reconcile ? [this.reconcile.bundled] : []),
    ];
    this.dashboard = new OperationsDashboard(this, "Operations", {
      sourceQueue: this.queues.source,
      deadLetterQueue: this.queues.deadLetter,
      webhookStage: this.webhook.stage,
      reconcile: this.reconcile !== undefined,
    });

    this.output("SourceQueueUrl", this.queues.source.queueUrl, "Send HR group-renamed events here");
    this.output("SourceQueueArn", this.queues.source.queueArn, "ARN of the source FIFO queue");
    this.output("DlqUrl", this.queues.deadLetter.queueUrl, "Dead-letter queue: failed events with a reason");
    this.output("DlqArn", this.queues.deadLetter.queueArn, "ARN of the dead-letter queue");
    this.output("AlarmTopicArn", this.alarmTopic.topic.topicArn, "SNS topic all alarms notify");
    this.output("LedgerTableName", this.ledger.table.tableName, "DynamoDB sync ledger table");
    this.output("ApiKeySecretArn", this.apiKeySecret.secretArn, "Secret to hold the Vitable API key");
    this.output("SyncFunctionName", this.sync.bundled.function.functionName, "The sync Lambda function");
    this.output("WebhookUrl", this.webhook.url, "POST signed HR events here");
    this.output("WebhookSecretArn", this.webhook.secret.secretArn, "Secret holding the webhook signing key");
    this.output(
      "DashboardName",
      this.dashboard.dashboard.dashboardName,
      "CloudWatch dashboard of the whole stack",
    );
    if (this.reconcile) {
      this.output(
        "SnapshotBucketName",
        this.reconcile.bucket.bucketName,
        "Drop HR snapshots under snapshots/; reports appear under reports/",
      );
    }
  }

  /** Outputs keep their ids as names so that scripts can read them with `--query`. */
  protected output(id: string, value: string, description: string): CfnOutput {
    return new CfnOutput(this, id, { value, description });
  }
}
