import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { cloudEventLogFields } from "../shared/contract/cloud-event-log-fields.ts";
import { toSqsText } from "../shared/sqs-text.ts";
import type { SyncTelemetry } from "./create-sync-handler.ts";
import type { RecordReport } from "./outcome.ts";

/** One metric name per outcome, so dashboards and alarms need no dimension math. */
export const OUTCOME_METRICS = {
  applied: "EventsApplied",
  duplicate: "EventsSkippedDuplicate",
  stale: "EventsSkippedStale",
  superseded: "EventsSkippedSuperseded",
  dead_lettered: "EventsDeadLettered",
  retry_later: "EventsRetryLater",
} as const;

export function metricNameFor(report: RecordReport): string {
  const { result } = report;
  return result.outcome === "skipped" ? OUTCOME_METRICS[result.reason] : OUTCOME_METRICS[result.outcome];
}

/**
 * Powertools-backed telemetry: one structured log line per record (never the body: it may hold personal data)
 * and EMF metrics per outcome, API latency and retries.
 */
export function powertoolsTelemetry(logger: Logger, metrics: Metrics): SyncTelemetry & ApiTelemetry {
  return {
    recordProcessed(report) {
      const { result } = report;
      const fields = {
        message_id: report.messageId,
        event_id: report.eventId,
        group: report.groupKey,
        group_id: report.groupId,
        envelope: report.envelope,
        ...cloudEventLogFields(report.cloudEvent),
        outcome: result.outcome,
        reason: "reason" in result ? result.reason : undefined,
        // The same well-formed text the DLQ attribute holds, so log and DLQ agree.
        detail: "detail" in result ? toSqsText(result.detail) : undefined,
        fields: result.outcome === "applied" ? result.fields : undefined,
        http_status: "httpStatus" in result ? result.httpStatus : undefined,
        attempts: report.attempts,
        duration_ms: report.durationMs,
      };
      if (result.outcome === "dead_lettered" || result.outcome === "retry_later")
        logger.warn("record", fields);
      else logger.info("record", fields);
      metrics.addMetric(metricNameFor(report), MetricUnit.Count, 1);
    },
    warn(message, fields) {
      logger.warn(message, fields);
    },
    apiAttempt(info) {
      metrics.addMetric("ApiLatency", MetricUnit.Milliseconds, info.durationMs);
      if (info.attempt > 1) metrics.addMetric("ApiRetries", MetricUnit.Count, 1);
      if (info.status === 429) metrics.addMetric("ApiThrottled", MetricUnit.Count, 1);
    },
    flush() {
      metrics.publishStoredMetrics();
    },
  };
}

export interface ApiTelemetry {
  apiAttempt(info: { attempt: number; durationMs: number; status?: number | undefined }): void;
}
