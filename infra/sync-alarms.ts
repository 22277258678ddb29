import { Duration } from "aws-cdk-lib";
import type { IHttpStage } from "aws-cdk-lib/aws-apigatewayv2";
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface SyncAlarmsProps {
  topic: ITopic;
  sourceQueue: IQueue;
  deadLetterQueue: IQueue;
  syncFunction: IFunction;
  ledgerTable: ITable;
  oldestMessageAgeAlarmSeconds: number;
  webhookFunction: IFunction;
  webhookStage: IHttpStage;
}

const ONE_MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

/** The alarms an operator needs; each notifies the topic when it fires and when it clears. */
export class SyncAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: SyncAlarmsProps) {
    super(scope, id);
    this.action = new SnsAction(props.topic);

    this.add("DeadLetterMessages", {
      description: "Events reached the dead-letter queue: inspect their failure reason, fix, then replay.",
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: ONE_MINUTE,
        statistic: "Maximum",
      }),
      threshold: 1,
    });
    this.add("SourceBacklogAge", {
      description: `The oldest unprocessed event is older than ${props.oldestMessageAgeAlarmSeconds} s: sync is stalled or slow.`,
      metric: props.sourceQueue.metricApproximateAgeOfOldestMessage({
        period: ONE_MINUTE,
        statistic: "Maximum",
      }),
      threshold: props.oldestMessageAgeAlarmSeconds,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.add("SyncFunctionErrors", {
      description: "The sync function failed an invocation (a whole batch will be retried).",
      metric: props.syncFunction.metricErrors({ period: ONE_MINUTE, statistic: "Sum" }),
      threshold: 1,
    });
    this.add("SyncFunctionThrottles", {
      description: "The sync function was throttled: account or reserved concurrency is exhausted.",
      metric: props.syncFunction.metricThrottles({ period: ONE_MINUTE, statistic: "Sum" }),
      threshold: 1,
    });
    this.add("LedgerThrottles", {
      description: "DynamoDB throttled ledger reads or writes; affected events are retried.",
      metric: new MathExpression({
        label: "Ledger throttle events",
        expression: "FILL(reads, 0) + FILL(writes, 0)",
        usingMetrics: {
          reads: props.ledgerTable.metric("ReadThrottleEvents", { statistic: "Sum" }),
          writes: props.ledgerTable.metric("WriteThrottleEvents", { statistic: "Sum" }),
        },
        period: FIVE_MINUTES,
      }),
      threshold: 1,
    });
    this.add("WebhookServerErrors", {
      description:
        "The webhook answered 5xx: HR systems were told to resend (SQS unreachable, the signing secret " +
        "unreadable, or the function throttled at its reserved concurrency).",
      metric: props.webhookStage.metricServerError({ period: FIVE_MINUTES, statistic: "Sum" }),
      threshold: 1,
    });
    this.add("WebhookFunctionErrors", {
      description: "The webhook function crashed or timed out; the HR system got a 5xx and should resend.",
      metric: props.webhookFunction.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
      threshold: 1,
    });
  }

  private add(
    id: string,
    spec: { description: string; metric: IMetric; threshold: number; comparison?: ComparisonOperator },
  ): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No data means no messages, no invocations or no throttles: all healthy.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }
}
