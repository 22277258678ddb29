import { countOf } from "../table.ts";
import { terminalText } from "../terminal-text.ts";
import { displayGroup } from "./dlq-message.ts";
import {
  FAILED_ACTIONS,
  type ReplayAction,
  type ReplayDecision,
  ROTATION_ACTIONS,
} from "./replay-decision.ts";

/** One plain line per decision, `key=value` so that grep and awk can read it. */
export function decisionLine(decision: ReplayDecision): string {
  const { message } = decision;
  const fields: Array<[string, string | undefined]> = [
    ["event", message.eventId],
    ["group", displayGroup(message)],
    ["reason", message.reason],
    ["dlq_message", message.messageId],
  ];
  if (decision.action === "would_replay" || ROTATION_ACTIONS.includes(decision.action)) {
    fields.push(["message_group", decision.messageGroupId]);
  }
  if (decision.newMessageId) fields.push(["new_message", decision.newMessageId]);
  if (!message.parsed.ok) fields.push(["invalid", `${message.parsed.reason}: ${message.parsed.detail}`]);
  if (decision.droppedAttributes) fields.push(["dropped_attributes", decision.droppedAttributes.join(",")]);
  if (decision.unmarkedAttributes) fields.push(["unmarked", decision.unmarkedAttributes.join(",")]);
  if (decision.error) fields.push(["error", decision.error]);
  const text = fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([key, value]) => `${key}=${quoted(value)}`)
    .join(" ");
  return terminalText(`${decision.action.padEnd(18)} ${text}`);
}

/**
 * The audit record of one decision. For a rotation, `dlq_message_id` is the message read and `new_message_id` the
 * copy that replaced it in the DLQ. It never holds the body, except for a message dropped for good, so that it
 * can still be recovered from the audit file.
 */
export function decisionRecord(decision: ReplayDecision, runId: string, at: Date): Record<string, unknown> {
  const { message } = decision;
  return {
    type: "decision",
    at: at.toISOString(),
    run_id: runId,
    action: decision.action,
    dlq_message_id: message.messageId,
    event_id: message.eventId ?? null,
    group: displayGroup(message) ?? null,
    message_group_id: decision.messageGroupId ?? message.messageGroupId ?? null,
    failure_reason: message.reason,
    failure_detail: message.detail ?? null,
    failed_at: message.failedAt?.toISOString() ?? null,
    valid: message.parsed.ok,
    ...(message.parsed.ok
      ? {}
      : { contract_reason: message.parsed.reason, contract_detail: message.parsed.detail }),
    ...(decision.newMessageId ? { new_message_id: decision.newMessageId } : {}),
    ...(decision.deduplicationId ? { deduplication_id: decision.deduplicationId } : {}),
    ...(decision.droppedAttributes ? { dropped_attributes: decision.droppedAttributes } : {}),
    ...(decision.unmarkedAttributes ? { unmarked_attributes: decision.unmarkedAttributes } : {}),
    ...(decision.error ? { error: decision.error } : {}),
    ...(decision.action === "dropped_invalid" ? { body: message.body } : {}),
  };
}

export function failedCount(counts: Readonly<Record<ReplayAction, number>>): number {
  return FAILED_ACTIONS.reduce((sum, action) => sum + counts[action], 0);
}

export function summaryLines(counts: Record<ReplayAction, number>, dryRun: boolean): string[] {
  if (dryRun) {
    const parts = [
      `${counts.would_replay} would be replayed`,
      `${counts.kept_invalid} invalid would be kept`,
    ];
    if (counts.would_drop_invalid > 0) parts.push(`${counts.would_drop_invalid} invalid would be dropped`);
    parts.push(`${counts.skipped} skipped by the filters`);
    return [`dry run, nothing changed: ${parts.join(", ")}`];
  }
  const failed = failedCount(counts);
  const parts = [`${counts.replayed} replayed`, `${counts.kept_invalid} kept (invalid)`];
  if (counts.dropped_invalid > 0) parts.push(`${counts.dropped_invalid} dropped (invalid)`);
  parts.push(`${counts.skipped} skipped (filters)`, `${failed} failed`);
  const lines = [`summary: ${parts.join(", ")}`];
  if (counts.delete_failed > 0) {
    lines.push(
      `${countOf(counts.delete_failed, "message")} sent but still in the DLQ (delete failed): a later replay ` +
        "sends them again, and the ledger skips the second copy as a duplicate.",
    );
  }
  if (counts.send_failed > 0) {
    lines.push(`${countOf(counts.send_failed, "message")} could not be sent and stay in the DLQ.`);
  }
  if (counts.drop_failed > 0) {
    lines.push(`${countOf(counts.drop_failed, "invalid message")} could not be dropped and stay in the DLQ.`);
  }
  if (counts.rotated > 0) {
    lines.push(
      `${countOf(counts.rotated, "message")} left in the DLQ went to the back of their message group, unchanged, ` +
        "so that any messages behind them could be reached.",
    );
  }
  if (counts.rotate_failed > 0) {
    lines.push(
      `${countOf(counts.rotate_failed, "message")} could not go to the back of their message group: they stay ` +
        "where they were, and the messages behind them were not reached.",
    );
  }
  if (counts.rotate_delete_failed > 0) {
    lines.push(
      `${countOf(counts.rotate_delete_failed, "message")} went to the back of their message group but the ` +
        "original could not be deleted, so the DLQ holds both copies. Harmless: a later replay sends both and the " +
        "ledger skips the second as a duplicate; an invalid one is simply kept twice.",
    );
  }
  if (counts.kept_invalid > 0) {
    lines.push(
      `${countOf(counts.kept_invalid, "invalid message")} left in the DLQ: replaying cannot fix a message the ` +
        "function refuses. Fix the producer and send corrected events, or delete with --drop-invalid.",
    );
  }
  return lines;
}

function quoted(value: string): string {
  return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
}
