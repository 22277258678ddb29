import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { rowFromJson } from "./row-from-json.ts";
import type { RawSnapshotRow } from "./snapshot-row.ts";

/** Rows of a JSON Lines snapshot, one object per non-blank line, streamed line by line. */
export async function* jsonLinesSnapshotRows(input: Readable): AsyncGenerator<RawSnapshotRow> {
  input.setEncoding("utf8");
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    const content = line === 1 ? text.replace(/^\uFEFF/, "") : text;
    if (content.trim() === "") continue;
    yield rowFromJson(content, line);
  }
}
