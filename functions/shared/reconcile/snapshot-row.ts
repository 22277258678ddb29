import * as z from "zod/mini";
import { formatIssues, toContractIssues } from "../contract/issues.ts";
import { boundedText, displayName } from "../contract/text-fields.ts";
import { GROUP_ID_PATTERN } from "../group-id.ts";

/** One valid snapshot row: what the HR system says a group is called. */
export interface SnapshotRow {
  /** Where the row starts in the file, counted from 1 (for JSON: the line of the object's opening brace). */
  line: number;
  id?: string;
  external_reference_id: string;
  name: string;
}

/** The values of a row as read, kept for the report even when they are invalid (strings only). */
export interface SnapshotValues {
  id?: string;
  external_reference_id?: string;
  name?: string;
}

/** A row read from the file, before its fields are checked. */
export type RawSnapshotRow =
  | { line: number; fields: Record<string, unknown> }
  /** The reader could not make an object of this row (a CSV row with the wrong number of fields, bad JSON). */
  | { line: number; problem: string };

export type CheckedSnapshotRow =
  | { ok: true; row: SnapshotRow }
  | { ok: false; line: number; problem: string; values: SnapshotValues };

// An empty id cell means "no id": CSV cannot leave a cell out, and JSON producers often write "" or null.
const absentWhenEmpty = (value: unknown) => (value === "" || value === null ? undefined : value);

// The event contract's own field rules, so a row that passes here makes a valid group.renamed event.
const rowSchema = z.object({
  id: z.pipe(
    z.transform(absentWhenEmpty),
    z.optional(
      z.string().check(
        z.regex(GROUP_ID_PATTERN, {
          error: "must be a Vitable group id: grp_ then 1 to 128 of A-Z a-z 0-9 _ + - (no / or %)",
        }),
      ),
    ),
  ),
  external_reference_id: boundedText(),
  name: displayName(),
});

/** Checks one row with the event contract's field rules; unknown fields are ignored. */
export function checkSnapshotRow(raw: RawSnapshotRow): CheckedSnapshotRow {
  if ("problem" in raw) return { ok: false, line: raw.line, problem: raw.problem, values: {} };
  const values = stringValues(raw.fields);
  const result = rowSchema.safeParse(raw.fields, { reportInput: true });
  if (!result.success) {
    return {
      ok: false,
      line: raw.line,
      problem: formatIssues(toContractIssues(result.error.issues)),
      values,
    };
  }
  const { id, external_reference_id, name } = result.data;
  return {
    ok: true,
    row: { line: raw.line, ...(id === undefined ? {} : { id }), external_reference_id, name },
  };
}

function stringValues(fields: Record<string, unknown>): SnapshotValues {
  const values: SnapshotValues = {};
  for (const key of ["id", "external_reference_id", "name"] as const) {
    const value = fields[key];
    if (typeof value === "string" && value !== "") values[key] = value;
  }
  return values;
}
