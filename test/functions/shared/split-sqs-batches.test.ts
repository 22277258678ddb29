import { describe, expect, it } from "vitest";
import {
  SQS_BATCH_MAX_BYTES,
  splitSqsBatches,
  sqsMessageBytes,
} from "../../../functions/shared/split-sqs-batches.ts";

function entry(id: string, bodyBytes: number) {
  return { Id: id, MessageBody: "x".repeat(bodyBytes) };
}

describe("sqsMessageBytes", () => {
  it("counts body bytes in UTF-8 plus each attribute's name, data type and value", () => {
    // Prepare
    const message = {
      MessageBody: "é😀", // 2 + 4 bytes
      MessageAttributes: {
        failure_reason: { DataType: "String", StringValue: "conflict" }, // 14 + 6 + 8
        attempts: { DataType: "Number", StringValue: "3" }, // 8 + 6 + 1
        raw: { DataType: "Binary", BinaryValue: new Uint8Array(5) }, // 3 + 6 + 5
      },
    };

    // Act
    const bytes = sqsMessageBytes(message);

    // Assess
    expect(bytes).toBe(6 + 28 + 15 + 14);
  });
});

describe("splitSqsBatches", () => {
  it("keeps at most 10 entries per request, in order", () => {
    // Prepare
    const entries = Array.from({ length: 23 }, (_, i) => entry(String(i), 10));

    // Act
    const { batches, oversized } = splitSqsBatches(entries);

    // Assess
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 3]);
    expect(batches.flat().map((e) => e.Id)).toEqual(entries.map((e) => e.Id));
    expect(oversized).toEqual([]);
  });

  it("splits five bodies of 250 kB into requests of at most 1 MiB", () => {
    // Prepare
    const entries = Array.from({ length: 5 }, (_, i) => entry(String(i), 250_000));

    // Act
    const { batches } = splitSqsBatches(entries);

    // Assess
    expect(batches.map((batch) => batch.length)).toEqual([4, 1]);
    for (const batch of batches) {
      expect(batch.reduce((sum, e) => sum + sqsMessageBytes(e), 0)).toBeLessThanOrEqual(SQS_BATCH_MAX_BYTES);
    }
  });

  it("fills a request up to exactly 1 MiB and starts a new one at one byte more", () => {
    // Prepare
    const half = SQS_BATCH_MAX_BYTES / 2;
    const entries = [entry("a", half), entry("b", half), entry("c", half), entry("d", half + 1)];

    // Act
    const { batches } = splitSqsBatches(entries);

    // Assess
    expect(batches.map((batch) => batch.map((e) => e.Id))).toEqual([["a", "b"], ["c"], ["d"]]);
  });

  it("sets aside an entry larger than 1 MiB on its own, with its size, and sends the others", () => {
    // Prepare
    const entries = [entry("a", 10), entry("big", SQS_BATCH_MAX_BYTES + 1), entry("b", 10)];

    // Act
    const { batches, oversized } = splitSqsBatches(entries);

    // Assess
    expect(batches.map((batch) => batch.map((e) => e.Id))).toEqual([["a", "b"]]);
    expect(oversized.map(({ entry: e, bytes }) => ({ id: e.Id, bytes }))).toEqual([
      { id: "big", bytes: SQS_BATCH_MAX_BYTES + 1 },
    ]);
  });
});
