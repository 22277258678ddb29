import { describe, expect, it } from "vitest";
import {
  type ContractIssue,
  formatIssues,
  formatPath,
  MAX_DETAIL_LENGTH,
} from "../../../../functions/shared/contract/issues.ts";

function anIssue(path: string, message = "must not be empty"): ContractIssue {
  return { path, message };
}

describe("formatPath", () => {
  it.each([
    { path: [], expected: "" },
    { path: ["event_id"], expected: "event_id" },
    { path: ["changes", "name"], expected: "changes.name" },
    { path: ["items", 0, "id"], expected: "items[0].id" },
  ])("$expected", ({ path, expected }) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe("formatIssues", () => {
  it.each([
    { issues: [anIssue("event_id")], expected: "event_id: must not be empty" },
    { issues: [anIssue("", "body is not valid JSON (x)")], expected: "body is not valid JSON (x)" },
    {
      issues: [anIssue("event_id"), anIssue("changes.name", "must not be blank")],
      expected: "event_id: must not be empty; changes.name: must not be blank",
    },
    { issues: [], expected: "invalid message" },
    {
      issues: [anIssue("changes.name", "line one\nline two\u2028three")],
      expected: "changes.name: line one line two three",
    },
  ])("$expected", ({ issues, expected }) => {
    expect(formatIssues(issues)).toBe(expected);
  });

  it.each([
    { what: "one huge message", issues: [anIssue("changes.name", "x".repeat(100_000))] },
    { what: "a huge path", issues: [anIssue("y".repeat(100_000))] },
    { what: "many issues", issues: Array.from({ length: 500 }, (_, i) => anIssue(`field_${i}`)) },
    {
      what: "huge emoji messages",
      issues: Array.from({ length: 5 }, () => anIssue("a", "😀".repeat(1_000))),
    },
  ])("stays within $MAX_DETAIL_LENGTH units for $what", ({ issues }) => {
    // Act
    const detail = formatIssues(issues);

    // Assess
    expect(detail.length).toBeLessThanOrEqual(MAX_DETAIL_LENGTH);
    expect(detail).not.toMatch(/[\uD800-\uDFFF]/u); // no surrogate pair was cut in half
    expect(detail).not.toMatch(/[\n\r]/);
  });

  it("counts the issues that did not fit", () => {
    // Prepare
    const issues = Array.from({ length: 40 }, (_, i) => anIssue(`field_${i}`));

    // Act
    const detail = formatIssues(issues);

    // Assess
    const shown = detail.split("; ").filter((part) => part.startsWith("field_")).length;
    expect(detail).toMatch(new RegExp(`; \\+${40 - shown} more$`));
    expect(detail.startsWith("field_0: must not be empty; field_1: ")).toBe(true);
  });
});
