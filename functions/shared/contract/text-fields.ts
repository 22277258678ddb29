import * as z from "zod/mini";
import { codePointLength } from "./code-points.ts";

/** Longest text the Vitable API accepts for names and reference ids, in code points. */
export const MAX_TEXT_LENGTH = 255;

/** C0 and C1 control characters (Unicode category Cc), including DEL and NEL (U+0085). */
const CONTROL_CHARACTER = /\p{Cc}/u;
/** With the `u` flag a surrogate range matches only unpaired halves (paired ones form one code point). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * The display-name rules as a JSON Schema pattern (ECMA-262 syntax): no control character anywhere and at least
 * one character that is neither whitespace nor control. The zod refinement below is the source of truth; a test
 * checks that both agree.
 */
export const DISPLAY_NAME_PATTERN =
  "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$";

function characters(count: number): string {
  return count === 1 ? "1 character" : `${count} characters`;
}

function checkLength(value: string, ctx: z.core.$RefinementCtx<string>, max: number): void {
  const length = codePointLength(value);
  if (length === 0) {
    ctx.addIssue({ code: "custom", message: "must not be empty" });
  } else if (length > max) {
    ctx.addIssue({ code: "custom", message: `must be at most ${characters(max)} (got ${length})` });
  }
}

function checkWellFormed(value: string, ctx: z.core.$RefinementCtx<string>): void {
  // A lone surrogate cannot be encoded as UTF-8: DynamoDB and the Vitable API would see U+FFFD instead.
  if (LONE_SURROGATE.test(value)) {
    ctx.addIssue({ code: "custom", message: "must be well-formed Unicode (contains a lone surrogate)" });
  }
}

/** A string of 1..max code points. */
export function boundedText(max: number = MAX_TEXT_LENGTH) {
  return z.string().check(
    z.superRefine((value, ctx) => {
      checkLength(value, ctx, max);
      checkWellFormed(value, ctx);
    }),
    z.meta({ minLength: 1, maxLength: max }),
  );
}

/** A group name as shown to people: bounded, not blank, and free of control characters. */
export function displayName(max: number = MAX_TEXT_LENGTH) {
  return z.string().check(
    z.superRefine((value, ctx) => {
      checkLength(value, ctx, max);
      checkWellFormed(value, ctx);
      if (value.length > 0 && value.trim() === "") {
        ctx.addIssue({ code: "custom", message: "must not be blank" });
      }
      if (CONTROL_CHARACTER.test(value)) {
        ctx.addIssue({ code: "custom", message: "must not contain control characters" });
      }
    }),
    z.meta({
      minLength: 1,
      maxLength: max,
      pattern: DISPLAY_NAME_PATTERN,
      description: "Not blank (whitespace only) and without control characters.",
    }),
  );
}
