import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  readSnapshot,
  type SnapshotFormat,
  SnapshotFormatError,
} from "../../../../functions/shared/reconcile/index.ts";
import type { CheckedSnapshotRow } from "../../../../functions/shared/reconcile/snapshot-row.ts";

async function rows(format: SnapshotFormat, chunks: string[]): Promise<CheckedSnapshotRow[]> {
  const read: CheckedSnapshotRow[] = [];
  for await (const row of readSnapshot(Readable.from(chunks.map((chunk) => Buffer.from(chunk))), format)) {
    read.push(row);
  }
  return read;
}

function summary(read: CheckedSnapshotRow[]) {
  return read.map((row) => (row.ok ? [row.row.line, row.row.name] : [row.line, `! ${row.problem}`]));
}

describe("readSnapshot", () => {
  it("cuts a JSON array into elements by structure, whatever the strings hold, with each element's line", async () => {
    // Prepare
    const text = [
      "\uFEFF[",
      '  {"external_reference_id": "a", "name": "with ] and } and \\" and {"},',
      '  {"external_reference_id": "b",',
      '   "name": "B", "nested": {"x": [1, {"y": "]"}]}},',
      '  7, "text", null, [1, 2],',
      '  {"external_reference_id": "c", "name": tru},',
      '  {"external_reference_id": "d", "name": "D"}',
      "]",
      "",
    ].join("\n");

    // Act
    const read = await rows("json", [text]);

    // Assess
    expect(summary(read)).toEqual([
      [2, 'with ] and } and " and {'],
      [3, "B"],
      [5, "! expected an object (got number)"],
      [5, "! expected an object (got string)"],
      [5, "! expected an object (got null)"],
      [5, "! expected an object (got array)"],
      [6, "! is not valid JSON"],
      [7, "D"],
    ]);
  });

  it("gives the same JSON rows however the file is cut into chunks", async () => {
    const text = JSON.stringify(
      Array.from({ length: 20 }, (_, index) => ({
        external_reference_id: `r${index}`,
        name: `N "${index}" ]}`,
      })),
      null,
      1,
    );
    const whole = summary(await rows("json", [text]));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 30 }),
        async (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), text.length];
          const chunks = points.slice(1).map((end, index) => text.slice(points[index], end));
          expect(summary(await rows("json", chunks))).toEqual(whole);
        },
      ),
      { numRuns: 50 },
    );
    expect(whole).toHaveLength(20);
  });

  it("counts CSV lines right across CRLF and LF line breaks inside quoted fields and blank lines", async () => {
    // Prepare
    const text = 'name,external_reference_id\r\n"a\r\nb",r1\r\n\r\nok,r2\n"c\nd",r3\nfine,r4\n';

    // Act
    const read = await rows("csv", [text]);

    // Assess
    expect(summary(read)).toEqual([
      [2, "! name: must not contain control characters"],
      [5, "ok"],
      [6, "! name: must not contain control characters"],
      [8, "fine"],
    ]);
  });

  it("applies the contract's field rules: code points, grp_ ids, empty id as no id", async () => {
    // Prepare
    const text = [
      "id,external_reference_id,name",
      `,r1,${"😀".repeat(255)}`,
      `,r2,${"😀".repeat(256)}`,
      "grp_ok,r3,Fine",
      "grp_%2F,r4,Bad id",
      "grp_x,,No reference",
      "grp_y,r6,   ",
    ].join("\n");

    // Act
    const read = await rows("csv", [text]);

    // Assess
    expect(summary(read).map(([line, name]) => [line, String(name).slice(0, 60)])).toEqual([
      [2, "😀".repeat(30)],
      [3, "! name: must be at most 255 characters (got 256)"],
      [4, "Fine"],
      [5, "! id: must be a Vitable group id: grp_ then 1 to 128 of A-Z "],
      [6, "! external_reference_id: must not be empty"],
      [7, "! name: must not be blank"],
    ]);
    expect(read[0]).toMatchObject({ ok: true, row: { external_reference_id: "r1" } });
    expect(read[0]?.ok && "id" in read[0].row).toBe(false);
  });

  it.each([
    ["csv", "", /empty: a header row is required/],
    ["json", "  ", /the JSON snapshot is empty/],
    ["json", "[1,,2]", /line 1: unexpected , in the array/],
    ["json", '[{"a":1}] x', /text after the end of the array/],
    ["json", '[{"a":1} {"b":2}]', /expected , or ] between array elements/],
    ["csv", 'external_reference_id,name\nr1,"open', /not valid CSV \(a quoted field is never closed\)/],
  ] as const)("refuses an unreadable %s file: %j", async (format, text, message) => {
    await expect(rows(format, [text])).rejects.toThrow(SnapshotFormatError);
    await expect(rows(format, [text])).rejects.toThrow(message);
  });
});
