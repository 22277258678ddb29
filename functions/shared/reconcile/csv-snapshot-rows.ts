import type { Readable } from "node:stream";
import { type Info, parse } from "csv-parse";
import { SnapshotFormatError } from "./snapshot-format-error.ts";
import type { RawSnapshotRow } from "./snapshot-row.ts";

const REQUIRED_COLUMNS = ["external_reference_id", "name"] as const;
const KNOWN_COLUMNS = new Set<string>(["id", ...REQUIRED_COLUMNS]);

/**
 * Rows of an RFC 4180 CSV snapshot (UTF-8, BOM optional, CRLF or LF), streamed: one record in memory at a time.
 * The header row is required and names the columns; unknown columns are ignored. A record with the wrong number of
 * fields is reported as a row problem; broken quoting makes the rest of the file unreadable, so it throws.
 */
export async function* csvSnapshotRows(input: Readable): AsyncGenerator<RawSnapshotRow> {
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    record_delimiter: ["\r\n", "\n"],
  });
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);

  let header: string[] | undefined;
  // csv-parse 7.0.3 counts a CRLF inside a quoted field as two lines; this many are taken back off its count.
  let extraLineCount = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const { record, info } = item;
      const crlfInside = record.reduce((sum, field) => sum + countOf(field, "\r\n"), 0);
      extraLineCount += crlfInside;
      const endLine = info.lines - extraLineCount;
      const line = endLine - record.reduce((sum, field) => sum + countOf(field, "\n"), 0);
      if (header === undefined) {
        header = checkedHeader(record, line);
        continue;
      }
      if (record.length !== header.length) {
        yield {
          line,
          problem: `has ${record.length} fields, the header has ${header.length} (check quoting and commas)`,
        };
        continue;
      }
      const fields: Record<string, unknown> = {};
      for (const [index, column] of header.entries()) {
        if (KNOWN_COLUMNS.has(column)) fields[column] = record[index];
      }
      yield { line, fields };
    }
  } catch (error) {
    if (error instanceof SnapshotFormatError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("CSV_")) {
      const lines = (error as { lines?: unknown }).lines;
      throw new SnapshotFormatError(
        `not valid CSV (${csvProblem(code)})`,
        typeof lines === "number" ? lines - extraLineCount : undefined,
      );
    }
    throw error;
  }
  if (header === undefined)
    throw new SnapshotFormatError("the CSV snapshot is empty: a header row is required");
}

function checkedHeader(record: string[], line: number): string[] {
  const header = record.map((name) => name.trim());
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new SnapshotFormatError(
      `the header row lacks the column${missing.length === 1 ? "" : "s"} ${missing.join(", ")} ` +
        "(expected external_reference_id, name and optionally id)",
      line,
    );
  }
  const repeated = [...KNOWN_COLUMNS].filter(
    (column) => header.indexOf(column) !== header.lastIndexOf(column),
  );
  if (repeated.length > 0) {
    throw new SnapshotFormatError(`the header row names ${repeated.join(", ")} more than once`, line);
  }
  return header;
}

function csvProblem(code: string): string {
  switch (code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted field is never closed";
    case "CSV_INVALID_CLOSING_QUOTE":
      return 'a quoted field continues after its closing quote; write a quote inside quotes as ""';
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
      return "wrong number of fields";
    default:
      return code;
  }
}

function countOf(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + part.length)) count += 1;
  return count;
}
