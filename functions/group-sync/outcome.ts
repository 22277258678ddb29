import type {
  CloudEventAttributes,
  ContractFailureReason,
  Envelope,
} from "../shared/contract/parse-result.ts";
import type { SyncedField } from "../shared/ledger/ledger-store.ts";

/** Why an event was skipped without an API call. */
export type SkipReason = "duplicate" | "stale" | "superseded";

/** Why a message went to the DLQ. These codes are a fixed interface: the CLI, alarms and docs use them. */
export type DeadLetterReason =
  | ContractFailureReason
  | "group_not_found"
  | "rejected_by_api"
  | "conflict"
  | "event_too_old"
  | "event_in_future"
  | "retries_exhausted";

/**
 * Why a message is left for SQS to redeliver. `group_not_found` and `conflict` may heal when another event (perhaps
 * in another message group) lands first, so they are retried until the last delivery and only then dead-lettered
 * under their own reason.
 */
export type RetryReason =
  | "group_not_found"
  | "conflict"
  | "group_busy"
  | "api_unavailable"
  | "rate_limited"
  | "unauthorized"
  | "deadline"
  | "ledger_unavailable"
  | "ledger_write_failed"
  | "blocked_by_earlier_failure"
  | "dlq_send_failed"
  | "unexpected_error";

export type RecordOutcome =
  | { outcome: "applied"; fields: SyncedField[] }
  | { outcome: "skipped"; reason: SkipReason }
  | { outcome: "dead_lettered"; reason: DeadLetterReason; detail: string; httpStatus?: number | undefined }
  | {
      outcome: "retry_later";
      reason: RetryReason;
      detail: string;
      httpStatus?: number | undefined;
      /** A delay the API asked for; when it is longer than the time left, the message's visibility is set to it. */
      retryAfterMs?: number | undefined;
      /** Set the message's visibility to this, whatever the time left: a short wait is known to be enough. */
      redeliverAfterMs?: number | undefined;
    };

export type RetryLater = Extract<RecordOutcome, { outcome: "retry_later" }>;
export type DeadLettered = Extract<RecordOutcome, { outcome: "dead_lettered" }>;

/** What a record ends with, plus what its log line needs. */
export interface RecordReport {
  messageId: string;
  eventId: string | undefined;
  groupKey: string | undefined;
  groupId: string | undefined;
  /** How the event was wrapped on the queue; absent when the message could not be read as an event. */
  envelope?: Envelope | undefined;
  /** The CloudEvents context attributes, when the envelope was CloudEvents. */
  cloudEvent?: CloudEventAttributes | undefined;
  result: RecordOutcome;
  /** HTTP attempts spent on this record's API calls (shared by the events of one coalesced PATCH). */
  attempts: number;
  durationMs: number;
}
