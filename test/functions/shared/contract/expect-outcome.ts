import { expect } from "vitest";
import { parseEventValue } from "../../../../functions/shared/contract/parse-event.ts";

export type Expectation = { ok: true } | { ok: false; path: string; message: RegExp };

/** Parses `value` and checks it was accepted, or refused as invalid_message with the first issue as expected. */
export function expectOutcome(value: unknown, expected: Expectation): void {
  const result = parseEventValue(value);
  if (expected.ok) {
    expect(result).toMatchObject({ ok: true });
    return;
  }
  expect(result).toMatchObject({ ok: false, reason: "invalid_message" });
  if (result.ok) return;
  expect(result.issues[0]?.path).toBe(expected.path);
  expect(result.issues[0]?.message).toMatch(expected.message);
}
