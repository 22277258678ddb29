import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { awsClientTimeouts } from "../shared/aws-client-timeouts.ts";
import { RECONCILE_STATUSES } from "../shared/reconcile/index.ts";
import { driftCount } from "../shared/reconcile/reconcile-status.ts";
import { secretsManagerApiKey, staticApiKey } from "../shared/vitable/api-key.ts";
import { VitableClient } from "../shared/vitable/client.ts";
import type { ReconcileConfig } from "./config.ts";
import {
  createReconcileHandler,
  type ReconcileHandler,
  type ReconcileTelemetry,
} from "./create-reconcile-handler.ts";
import {
  METRICS_NAMESPACE,
  RECONCILE_DRIFT_METRIC,
  RECONCILE_SENT_METRIC,
  RECONCILE_SERVICE,
  RECONCILE_STATUS_METRICS,
} from "./reconcile-metrics.ts";

export interface ReconcileRuntime {
  handler: ReconcileHandler;
}

/** Optional parts a test brings instead of the ones built from config. */
export interface ReconcileRuntimeOverrides {
  s3?: S3Client;
  sqs?: SQSClient;
  telemetry?: ReconcileTelemetry;
}

/** Wires the reconcile handler from validated configuration: the one place where real clients are built. */
export function createReconcileRuntime(
  config: ReconcileConfig,
  overrides: ReconcileRuntimeOverrides = {},
): ReconcileRuntime {
  // Every SDK attempt is bounded; each call is also cut at the invocation's deadline by its abort signal.
  const timeouts = awsClientTimeouts({
    connectionTimeoutMs: config.SDK_CONNECTION_TIMEOUT_MS,
    requestTimeoutMs: config.SDK_REQUEST_TIMEOUT_MS,
  });
  const apiKey = config.VITABLE_CONNECT_API_KEY_SECRET_ARN
    ? secretsManagerApiKey(config.VITABLE_CONNECT_API_KEY_SECRET_ARN, new SecretsManagerClient(timeouts))
    : staticApiKey(config.VITABLE_CONNECT_API_KEY as string);
  const client = new VitableClient({
    baseUrl: config.VITABLE_CONNECT_BASE_URL,
    apiKey,
    attemptTimeoutMs: config.API_ATTEMPT_TIMEOUT_MS,
    concurrency: config.API_CONCURRENCY,
  });
  const autoApply = config.RECONCILE_AUTO_APPLY === "true";
  const handler = createReconcileHandler({
    s3: overrides.s3 ?? new S3Client(timeouts),
    groups: client.groups,
    ...(autoApply
      ? { sqs: overrides.sqs ?? new SQSClient(timeouts), sourceQueueUrl: config.SOURCE_QUEUE_URL }
      : {}),
    safetyMarginMs: config.DEADLINE_SAFETY_MARGIN_MS,
    telemetry: overrides.telemetry ?? powertoolsTelemetry(config),
  });
  return { handler };
}

/** One log line per snapshot (counts, never names) and EMF metrics per status, for the alarm and the dashboard. */
function powertoolsTelemetry(config: ReconcileConfig): ReconcileTelemetry {
  const logger = new Logger({ serviceName: RECONCILE_SERVICE, logLevel: config.LOG_LEVEL });
  const metrics = new Metrics({ serviceName: RECONCILE_SERVICE, namespace: METRICS_NAMESPACE });
  return {
    reported(object, report) {
      logger.info("reconciled", {
        snapshot: object.key,
        report: object.reportKey,
        as_of: report.as_of,
        as_of_source: report.as_of_source,
        counts: report.counts,
        sent: report.sent,
      });
      for (const status of RECONCILE_STATUSES) {
        metrics.addMetric(RECONCILE_STATUS_METRICS[status], MetricUnit.Count, report.counts[status]);
      }
      metrics.addMetric(RECONCILE_DRIFT_METRIC, MetricUnit.Count, driftCount(report.counts));
      if (report.sent !== null) metrics.addMetric(RECONCILE_SENT_METRIC, MetricUnit.Count, report.sent);
      // One EMF document per snapshot, so a second snapshot in the same event is not summed into the first.
      metrics.publishStoredMetrics();
    },
    refused(object, problem) {
      logger.error("snapshot refused", { snapshot: object.key, report: object.reportKey, problem });
    },
    skipped(key, why) {
      logger.warn("object skipped", { key: key.slice(0, 1024), why });
    },
    flush() {
      // Each report published its own metrics; an empty publish would only log a warning.
    },
  };
}
