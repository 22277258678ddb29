import type { MessageAttributeValue } from "@aws-sdk/client-sqs";
import { clip, formatTable } from "../table.ts";
import { terminalText } from "../terminal-text.ts";
import { formatAge } from "../time-bound.ts";
import { type DlqMessage, displayGroup } from "./dlq-message.ts";

const CELL_WIDTH = 40;
const NONE = "-";

/** One DLQ message for `dlq list --json`: a stable, documented shape. */
export function messageSummary(message: DlqMessage, now: Date) {
  return {
    message_id: message.messageId,
    event_id: message.eventId ?? null,
    group: displayGroup(message) ?? null,
    message_group_id: message.messageGroupId ?? null,
    failure_reason: message.reason,
    failure_detail: message.detail ?? null,
    attempts: message.attempts ?? null,
    http_status: message.httpStatus ?? null,
    failed_at: message.failedAt?.toISOString() ?? null,
    age_seconds: message.failedAt ? Math.floor((now.getTime() - message.failedAt.getTime()) / 1_000) : null,
    valid: message.parsed.ok,
  };
}

/** `dlq show --json`: the summary plus the body, every attribute and the contract check. */
export function messageDetail(message: DlqMessage, now: Date) {
  return {
    ...messageSummary(message, now),
    body: message.body,
    message_attributes: attributeTexts(message.messageAttributes),
    system_attributes: message.systemAttributes,
    validation: message.parsed.ok
      ? { valid: true, envelope: message.parsed.envelope }
      : { valid: false, reason: message.parsed.reason, issues: message.parsed.issues },
  };
}

/** The table of `dlq list`; every message-derived cell is made terminal-safe before it is measured. */
export function formatMessageTable(messages: readonly DlqMessage[], now: Date): string {
  const rows = messages.map((message) => [
    clip(terminalText(message.eventId ?? NONE), CELL_WIDTH),
    clip(terminalText(displayGroup(message) ?? NONE), CELL_WIDTH),
    terminalText(message.reason),
    message.attempts === undefined ? NONE : String(message.attempts),
    message.failedAt ? formatAge(now.getTime() - message.failedAt.getTime()) : NONE,
    terminalText(message.messageId),
  ]);
  return formatTable(["EVENT ID", "GROUP", "FAILURE REASON", "ATTEMPTS", "AGE", "MESSAGE ID"], rows);
}

/** The text of `dlq show`: one terminal-safe line per value (the body one line per line of its JSON). */
export function formatMessageDetail(message: DlqMessage, now: Date): string {
  const failedAt = message.failedAt
    ? `${message.failedAt.toISOString()} (${formatAge(now.getTime() - message.failedAt.getTime())} ago)`
    : NONE;
  const failure = [
    message.reason,
    message.httpStatus === undefined ? "" : ` (HTTP ${message.httpStatus})`,
    message.attempts === undefined
      ? ""
      : ` after ${message.attempts} attempt${message.attempts === 1 ? "" : "s"}`,
  ].join("");
  const lines = [
    `message id:     ${message.messageId}`,
    `event id:       ${message.eventId ?? NONE}`,
    `group:          ${displayGroup(message) ?? NONE}`,
    `message group:  ${message.messageGroupId ?? NONE}`,
    `failure:        ${failure}`,
    `detail:         ${message.detail ?? NONE}`,
    `failed at:      ${failedAt}`,
    `contract now:   ${validationLine(message)}`,
  ];
  if (!message.parsed.ok) {
    for (const issue of message.parsed.issues)
      lines.push(`                ${issue.path || "(body)"}: ${issue.message}`);
  }
  lines.push("message attributes:");
  for (const [name, value] of Object.entries(attributeTexts(message.messageAttributes))) {
    lines.push(`  ${name} = ${value}`);
  }
  lines.push("system attributes:");
  for (const [name, value] of Object.entries(message.systemAttributes)) lines.push(`  ${name} = ${value}`);
  lines.push(
    "body:",
    ...prettyBody(message.body)
      .split("\n")
      .map((line) => `  ${line}`),
  );
  return lines.map((line) => terminalText(line)).join("\n");
}

function validationLine(message: DlqMessage): string {
  if (message.parsed.ok) return `valid (${message.parsed.envelope} envelope): replay would send it`;
  return `invalid, ${message.parsed.reason}: replay keeps it in the DLQ`;
}

function attributeTexts(attributes: Record<string, MessageAttributeValue>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      value.StringValue ?? (value.BinaryValue ? `(${value.BinaryValue.length} bytes binary)` : ""),
    ]),
  );
}

/** The body as stored, re-indented when it is JSON so a human can read it. */
function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
