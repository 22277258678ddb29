import { kindOf } from "../contract/issues.ts";
import type { RawSnapshotRow } from "./snapshot-row.ts";

/** One JSON row (an array element or a JSON Lines line): an object, or a problem saying what it is instead. */
export function rowFromJson(text: string, line: number): RawSnapshotRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The SyntaxError quotes the input; the line number is enough to find it.
    return { line, problem: "is not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { line, problem: `expected an object (got ${kindOf(value)})` };
  }
  return { line, fields: value as Record<string, unknown> };
}
