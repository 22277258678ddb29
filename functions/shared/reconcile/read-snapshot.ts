import type { Readable } from "node:stream";
import { csvSnapshotRows } from "./csv-snapshot-rows.ts";
import { jsonArraySnapshotRows } from "./json-array-snapshot-rows.ts";
import { jsonLinesSnapshotRows } from "./json-lines-snapshot-rows.ts";
import type { SnapshotFormat } from "./snapshot-format.ts";
import { type CheckedSnapshotRow, checkSnapshotRow, type RawSnapshotRow } from "./snapshot-row.ts";

const READERS: Record<SnapshotFormat, (input: Readable) => AsyncGenerator<RawSnapshotRow>> = {
  csv: csvSnapshotRows,
  json: jsonArraySnapshotRows,
  jsonl: jsonLinesSnapshotRows,
};

/**
 * The snapshot's rows, streamed and each checked with the event contract's field rules. Throws
 * SnapshotFormatError when the file as a whole cannot be read; a bad row is yielded as a problem instead.
 */
export async function* readSnapshot(
  input: Readable,
  format: SnapshotFormat,
): AsyncGenerator<CheckedSnapshotRow> {
  for await (const raw of READERS[format](input)) yield checkSnapshotRow(raw);
}
