import { Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { EventSourceMapping } from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { BundledFunction } from "./bundled-function.ts";
import type { SyncQueues } from "./queues.ts";
import type { GroupSyncSettings } from "./settings.ts";

export interface SyncFunctionProps {
  settings: GroupSyncSettings;
  queues: SyncQueues;
  ledgerTable: ITable;
  apiKeySecretArn: string;
}

/** The ledger operations the sync function performs; no Scan, Query or table-level action. */
const LEDGER_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:BatchGetItem",
  "dynamodb:BatchWriteItem",
];

/** The group-sync function, fed by the source queue, with exactly the permissions it uses. */
export class SyncFunction extends Construct {
  readonly bundled: BundledFunction;
  readonly eventSource: EventSourceMapping;

  constructor(scope: Construct, id: string, props: SyncFunctionProps) {
    super(scope, id);
    const { settings, queues, ledgerTable } = props;

    this.bundled = new BundledFunction(this, "Bundled", {
      name: "group-sync",
      description: "Applies HR group renames to Vitable Connect (PATCH /v1/groups/{group_id})",
      timeoutSeconds: settings.timeoutSeconds,
      memorySize: settings.memorySize,
      logRetentionDays: settings.logRetentionDays,
      noLambdaDlqReason:
        "The function is never invoked asynchronously; it is driven by an SQS event source whose queue redrives " +
        "to its own dead-letter queue (Lambda DLQs only apply to asynchronous invocations).",
      environment: {
        VITABLE_CONNECT_BASE_URL: settings.vitableBaseUrl,
        VITABLE_CONNECT_API_KEY_SECRET_ARN: props.apiKeySecretArn,
        SOURCE_QUEUE_URL: queues.source.queueUrl,
        DLQ_URL: queues.deadLetter.queueUrl,
        MAX_RECEIVE_COUNT: String(queues.maxReceiveCount),
        API_CONCURRENCY: String(settings.apiConcurrency),
        API_ATTEMPT_TIMEOUT_MS: String(settings.apiAttemptTimeoutMs),
        LEDGER_TABLE_NAME: ledgerTable.tableName,
        LEDGER_TTL_DAYS: String(settings.ledgerTtlDays),
        LOG_LEVEL: "INFO",
        POWERTOOLS_SERVICE_NAME: "vitable-group-sync",
        POWERTOOLS_METRICS_NAMESPACE: "VitableGroupSync",
      },
    });
    const role = this.bundled.role;

    // Receive, delete and extend visibility: what the event source mapping does on the function's behalf.
    queues.source.grantConsumeMessages(role);
    // The function itself lengthens a message's visibility when Vitable asks for a long Retry-After.
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["sqs:ChangeMessageVisibility"], resources: [queues.source.queueArn] }),
    );
    // Failures go to the dead-letter queue with a reason attached.
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["sqs:SendMessage"], resources: [queues.deadLetter.queueArn] }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["secretsmanager:GetSecretValue"], resources: [props.apiKeySecretArn] }),
    );
    ledgerTable.grant(role, ...LEDGER_ACTIONS);

    this.eventSource = new EventSourceMapping(this, "SourceQueueMapping", {
      target: this.bundled.function,
      eventSourceArn: queues.source.queueArn,
      batchSize: settings.batchSize,
      maxConcurrency: settings.maxConcurrency,
      // Only the failed records of a batch return to the queue; the rest are deleted.
      reportBatchItemFailures: true,
    });
    // The mapping must not start polling before the role may receive from the queue.
    this.eventSource.node.addDependency(role);
    Validations.of(this.eventSource).acknowledge({
      id: "Serverless-LambdaEventSourceMappingDestination",
      reason:
        "SQS event sources do not support on-failure destinations; failed records return to the queue and its " +
        "redrive policy moves them to the dead-letter queue after maxReceiveCount deliveries.",
    });
  }
}
