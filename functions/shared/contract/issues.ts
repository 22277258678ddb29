import type * as z from "zod/mini";
import { truncateText } from "./code-points.ts";

/** One problem with a message, located by a dotted path into the event ("" for the message as a whole). */
export interface ContractIssue {
  path: string;
  message: string;
}

/** Longest failure detail, so that a DLQ record stays small whatever the message held. */
export const MAX_DETAIL_LENGTH = 256;
const MAX_MESSAGE_LENGTH = 160;

// C0/C1 controls and line/paragraph separators would break the one-line summary.
const LINE_BREAKING = /[\p{Cc}\u2028\u2029]+/gu;

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === "number") return `[${key}]`;
      const name = String(key);
      return index === 0 ? name : `.${name}`;
    })
    .join("");
}

/** The JSON kind of a value, for messages that must not echo the value itself. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function expectedKind(expected: string): string {
  return expected === "object" || expected === "array" ? `an ${expected}` : `a ${expected}`;
}

/** Human messages for zod issues; values are described by kind only, never echoed. */
function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? "is required"
        : `expected ${expectedKind(issue.expected)} (got ${kindOf(issue.input)})`;
    case "invalid_value":
      return `must be ${issue.values.map((value) => JSON.stringify(value)).join(" or ")}`;
    default:
      return issue.message;
  }
}

/** Turns zod issues into contract issues. Needs issues parsed with `reportInput: true` to name the wrong kind. */
export function toContractIssues(issues: readonly z.core.$ZodIssue[]): ContractIssue[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: describe(issue) }));
}

function oneLine(text: string, maxLength: number): string {
  return truncateText(text.replace(LINE_BREAKING, " "), maxLength);
}

/**
 * A short one-line summary for DLQ records, e.g. `changes.name: must be at most 255 characters (got 256)`.
 * Issues that do not fit in MAX_DETAIL_LENGTH are counted ("; +2 more") rather than cut mid-word.
 */
export function formatIssues(issues: readonly ContractIssue[]): string {
  const parts = issues.map((issue) => {
    const message = oneLine(issue.message, MAX_MESSAGE_LENGTH);
    return issue.path === "" ? message : `${oneLine(issue.path, 64)}: ${message}`;
  });
  const [first, ...rest] = parts;
  if (first === undefined) return "invalid message";
  const reserve = rest.length > 0 ? `; +${rest.length} more`.length : 0;
  let summary = truncateText(first, MAX_DETAIL_LENGTH - reserve);
  for (const [index, part] of rest.entries()) {
    const room = index === rest.length - 1 ? 0 : reserve;
    if (summary.length + 2 + part.length + room > MAX_DETAIL_LENGTH) {
      return `${summary}; +${rest.length - index} more`;
    }
    summary += `; ${part}`;
  }
  return summary;
}
