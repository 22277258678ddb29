import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../../../functions/shared/vitable/redact.ts";

/** Not shaped like a Vitable key, so only the secret-matching rules can catch it. */
const KEY = "Sk7Hq2Lm9Pz4Xw8Rt6Yb3Nc5Vd";

describe("redactSecrets", () => {
  it.each([
    { name: "an exact copy", text: `bad key ${KEY}!`, expected: "bad key [REDACTED]!" },
    { name: "an upper-cased copy", text: `BAD KEY ${KEY.toUpperCase()}`, expected: "BAD KEY [REDACTED]" },
    { name: "a lower-cased copy", text: `key=${KEY.toLowerCase()};`, expected: "key=[REDACTED];" },
    {
      name: "a 20-character prefix",
      text: `key ${KEY.slice(0, 20)}... rejected`,
      expected: "key [REDACTED]... rejected",
    },
    { name: "a 12-character suffix", text: `ends in ${KEY.slice(-12)}`, expected: "ends in [REDACTED]" },
    {
      name: "a middle run in mixed case",
      text: `x${KEY.slice(5, 19).toUpperCase()}y`,
      expected: "x[REDACTED]y",
    },
    { name: "two copies", text: `${KEY} and ${KEY}`, expected: "[REDACTED] and [REDACTED]" },
  ])("redacts $name", ({ text, expected }) => {
    // Act
    const redacted = redactSecrets(text, [KEY]);

    // Assess
    expect(redacted).toBe(expected);
  });

  it("leaves runs shorter than 12 characters and unrelated text alone", () => {
    // Prepare
    const text = `prefix ${KEY.slice(0, 11)} and the word Sk7Hq`;

    // Act
    const redacted = redactSecrets(text, [KEY]);

    // Assess
    expect(redacted).toBe(text);
  });

  it("redacts a short secret only as a whole", () => {
    // Act
    const redacted = redactSecrets("token abc123 and ABC123 but not abc12", ["abc123"]);

    // Assess
    expect(redacted).toBe("token [REDACTED] and [REDACTED] but not abc12");
  });

  it.each([
    { name: "an API key", text: "got vit_apk_9f8e7d6c5b4a3 from you", expected: "got [REDACTED] from you" },
    {
      name: "an access token",
      text: "token VIT_AT_abc.DEF-ghi~_/+== expired",
      expected: "token [REDACTED] expired",
    },
    { name: "one inside JSON", text: '{"key":"vit_apk_xyz"}', expected: '{"key":"[REDACTED]"}' },
  ])("redacts $name of any Vitable key, known or not", ({ text, expected }) => {
    // Act
    const redacted = redactSecrets(text, []);

    // Assess
    expect(redacted).toBe(expected);
  });

  it("redacts with every secret of the set, old keys included", () => {
    // Prepare
    const oldKey = "Qa1Ws2Ed3Rf4Tg5Yh6Uj7Ik8";

    // Act
    const redacted = redactSecrets(`old ${oldKey} new ${KEY}`, new Set([oldKey, KEY]));

    // Assess
    expect(redacted).toBe("old [REDACTED] new [REDACTED]");
  });

  it("never leaves 12 characters of the secret in any case, wherever it is echoed", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 0, max: KEY.length - 12 }),
        fc.integer({ min: 12, max: KEY.length }),
        fc.boolean(),
        fc.string(),
        (before, start, length, upper, after) => {
          const run = KEY.slice(start, start + length);
          const echoed = upper ? run.toUpperCase() : run;
          const redacted = redactSecrets(`${before}${echoed}${after}`, [KEY]).toLowerCase();
          for (let from = 0; from + 12 <= KEY.length; from += 1) {
            expect(redacted).not.toContain(KEY.slice(from, from + 12).toLowerCase());
          }
        },
      ),
    );
  });
});
