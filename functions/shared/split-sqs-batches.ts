import type { MessageAttributeValue } from "@aws-sdk/client-sqs";

/** SendMessageBatch takes at most 10 entries... */
export const SQS_BATCH_MAX_ENTRIES = 10;
/** ...of at most 1 MiB in all, and no single message may be larger either. */
export const SQS_BATCH_MAX_BYTES = 1_048_576;

/** The parts of an entry SQS counts towards the size limits. */
export interface SizedEntry {
  MessageBody?: string | undefined;
  MessageAttributes?: Record<string, MessageAttributeValue> | undefined;
}

/** A message's size as SQS counts it: body bytes plus, per attribute, name, data type and value bytes. */
export function sqsMessageBytes(entry: SizedEntry): number {
  let bytes = Buffer.byteLength(entry.MessageBody ?? "", "utf8");
  for (const [name, attribute] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes += Buffer.byteLength(name, "utf8") + Buffer.byteLength(attribute.DataType ?? "", "utf8");
    if (attribute.StringValue !== undefined) bytes += Buffer.byteLength(attribute.StringValue, "utf8");
    if (attribute.BinaryValue !== undefined) bytes += attribute.BinaryValue.byteLength;
  }
  return bytes;
}

/**
 * Splits entries, in order, into SendMessageBatch requests of at most 10 entries and 1 MiB. An entry that is
 * larger than 1 MiB on its own can never be sent and is returned in `oversized` (with its size) instead.
 */
export function splitSqsBatches<T extends SizedEntry>(
  entries: readonly T[],
): { batches: T[][]; oversized: Array<{ entry: T; bytes: number }> } {
  const batches: T[][] = [];
  const oversized: Array<{ entry: T; bytes: number }> = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    const bytes = sqsMessageBytes(entry);
    if (bytes > SQS_BATCH_MAX_BYTES) {
      oversized.push({ entry, bytes });
      continue;
    }
    if (current.length === SQS_BATCH_MAX_ENTRIES || currentBytes + bytes > SQS_BATCH_MAX_BYTES) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
}
