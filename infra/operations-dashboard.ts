import { Duration } from "aws-cdk-lib";
import type { IHttpStage } from "aws-cdk-lib/aws-apigatewayv2";
import { Dashboard, GraphWidget, type IMetric, Metric } from "aws-cdk-lib/aws-cloudwatch";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { OUTCOME_METRICS } from "../functions/group-sync/telemetry.ts";
import {
  METRICS_NAMESPACE,
  RECONCILE_SERVICE,
  RECONCILE_STATUS_METRICS,
} from "../functions/reconcile/reconcile-metrics.ts";
import { RECONCILE_STATUSES } from "../functions/shared/reconcile/reconcile-status.ts";

export interface OperationsDashboardProps {
  sourceQueue: IQueue;
  deadLetterQueue: IQueue;
  webhookStage: IHttpStage;
  /** Set when the stack has the reconcile part. */
  reconcile: boolean;
}

/** The Powertools `service` dimension of the sync function's metrics (its POWERTOOLS_SERVICE_NAME). */
const SYNC_SERVICE = "vitable-group-sync";
const PERIOD = Duration.minutes(5);
const WIDTH = 12;

/** One CloudWatch dashboard for the whole stack: queues, outcomes, the Vitable API, the webhook and drift. */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const sync = (metricName: string, statistic = "Sum", label?: string): IMetric =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SYNC_SERVICE },
        statistic,
        period: PERIOD,
        ...(label ? { label } : {}),
      });

    this.dashboard = new Dashboard(this, "Dashboard", {
      defaultInterval: Duration.hours(24),
    });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: "Source queue: depth and oldest message age",
        width: WIDTH,
        left: [
          props.sourceQueue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD,
            statistic: "Maximum",
          }),
        ],
        right: [
          props.sourceQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: "Maximum" }),
        ],
      }),
      new GraphWidget({
        title: "Dead-letter queue depth",
        width: WIDTH,
        left: [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD,
            statistic: "Maximum",
          }),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: "Sync outcomes per reason",
        width: WIDTH,
        stacked: true,
        left: Object.entries(OUTCOME_METRICS).map(([outcome, name]) => sync(name, "Sum", outcome)),
      }),
      new GraphWidget({
        title: "Vitable API: latency and 429s",
        width: WIDTH,
        left: [sync("ApiLatency", "p50", "latency p50 (ms)"), sync("ApiLatency", "p99", "latency p99 (ms)")],
        right: [sync("ApiThrottled", "Sum", "429 answers"), sync("ApiRetries", "Sum", "retries")],
      }),
    );
    const bottom = [
      new GraphWidget({
        title: "Webhook answers",
        width: WIDTH,
        left: [
          props.webhookStage.metricCount({ period: PERIOD, statistic: "Sum", label: "requests" }),
          props.webhookStage.metricClientError({ period: PERIOD, statistic: "Sum", label: "4xx" }),
          props.webhookStage.metricServerError({ period: PERIOD, statistic: "Sum", label: "5xx" }),
        ],
      }),
    ];
    if (props.reconcile) {
      bottom.push(
        new GraphWidget({
          title: "Reconcile: rows per status (last report)",
          width: WIDTH,
          left: RECONCILE_STATUSES.map(
            (status) =>
              new Metric({
                namespace: METRICS_NAMESPACE,
                metricName: RECONCILE_STATUS_METRICS[status],
                dimensionsMap: { service: RECONCILE_SERVICE },
                statistic: "Maximum",
                period: PERIOD,
                label: status,
              }),
          ),
        }),
      );
    }
    this.dashboard.addWidgets(...bottom);
  }
}
