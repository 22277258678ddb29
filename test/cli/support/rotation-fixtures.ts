import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Message, MessageAttributeValue, SQSClient } from "@aws-sdk/client-sqs";
import { expect } from "vitest";
import type { QueuePair } from "../../../local/sqs/embedded-sqs.ts";
import { makeEvent } from "../../support/events.ts";
import { type CaptureOptions, groupSync } from "./cli-io.ts";
import { type DeadLetterSpec, deadLetterAttributes, eventIdsOf, putDeadLetter } from "./dlq-fixtures.ts";

/** The CLI's clock in these tests: rotated_at and ages are read against it. */
export const NOW = new Date("2026-01-16T12:00:00Z");
export const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
export const SHARED_GROUP = "id:grp_Shared";

const text = (value: string): MessageAttributeValue => ({ DataType: "String", StringValue: value });

/** A body the contract refuses, spaced and spelled as no serializer would, so that any rewrite would show. */
export function invalidLetter(eventId: string, messageGroupId = SHARED_GROUP): DeadLetterSpec {
  return {
    body: `{ "event_id":"${eventId}",\t"changes" : {"name":"   "} , "note":"café ☕" }\n`,
    reason: "invalid_message",
    detail: "changes.name: must not be empty",
    failedAt: hoursAgo(3),
    attempts: 3,
    messageGroupId,
    extraAttributes: { source_message_id: text(`src-${eventId}`) },
  };
}

/** A valid event dead-lettered for `reason`, with every attribute the function may set. */
export function validLetter(eventId: string, reason: string, messageGroupId = SHARED_GROUP): DeadLetterSpec {
  return {
    body: JSON.stringify(makeEvent({ event_id: eventId, group: { id: messageGroupId.replace(/^id:/, "") } })),
    reason,
    detail: `HTTP 404 not_found (${eventId})`,
    failedAt: hoursAgo(2),
    attempts: 1,
    messageGroupId,
    extraAttributes: {
      http_status: { DataType: "Number", StringValue: "404" },
      source_message_id: text(`src-${eventId}`),
    },
  };
}

export interface PutLetter {
  spec: DeadLetterSpec;
  messageId: string;
}

/** Puts the letters in this order; returns them by event id. */
export async function putAll(
  client: SQSClient,
  queueUrl: string,
  specs: readonly DeadLetterSpec[],
): Promise<Map<string, PutLetter>> {
  const letters = new Map<string, PutLetter>();
  for (const spec of specs) {
    const messageId = await putDeadLetter(client, queueUrl, spec);
    const body = typeof spec.body === "string" ? spec.body : JSON.stringify(spec.body);
    letters.set(eventIdsOf([{ Body: body }])[0] as string, { spec, messageId });
  }
  return letters;
}

/** `dlq replay` against these queues at NOW, with its audit records. */
export async function replayWithAudit(
  endpoint: string,
  queues: QueuePair,
  extra: readonly string[],
  options: CaptureOptions = {},
) {
  const cwd = mkdtempSync(join(tmpdir(), "group-sync-cli-"));
  const run = await groupSync(
    [
      "dlq",
      "replay",
      "--endpoint",
      endpoint,
      "--queue-url",
      queues.queueUrl,
      "--dlq-url",
      queues.dlqUrl,
      "--audit",
      "audit.jsonl",
      ...extra,
    ],
    { now: () => NOW, cwd, ...options },
  );
  const audit = readdirSync(cwd).includes("audit.jsonl")
    ? readFileSync(join(cwd, "audit.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>)
    : [];
  const decisions = (action: string) =>
    audit.filter((record) => record.type === "decision" && record.action === action);
  return { ...run, audit, decisions };
}

/** Attributes as comparable values, without the ones a rotation adds. */
function failureAttributesOf(attributes: Record<string, MessageAttributeValue> | undefined) {
  return Object.fromEntries(
    Object.entries(attributes ?? {})
      .filter(([name]) => name !== "rotated_at" && name !== "first_sent_at")
      .map(([name, value]) => [name, { DataType: value.DataType, StringValue: value.StringValue }]),
  );
}

/** The message in the DLQ is the one that was put: same body byte for byte, same group, same attributes. */
export function expectIntact(message: Message, letter: PutLetter): void {
  expect(message.Body).toBe(letter.spec.body);
  expect(message.Attributes?.MessageGroupId).toBe(letter.spec.messageGroupId);
  expect(failureAttributesOf(message.MessageAttributes)).toEqual(
    failureAttributesOf(deadLetterAttributes(letter.spec)),
  );
}

export const eventIdOf = (message: Message) => eventIdsOf([message])[0] as string;
