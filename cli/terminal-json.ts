/** As in terminal-text.ts, but line feeds stay: JSON.stringify writes them only as indentation. */
const UNSAFE_IN_JSON = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * Indented JSON for `--json`: exactly the value JSON.stringify gives (a parser reads back the same data), but every
 * character a terminal could act on is written as a `\uXXXX` escape. JSON.stringify escapes C0 controls already;
 * it leaves C1 controls, bidirectional overrides and other format characters raw, and these can only sit inside
 * strings, where the escape means the same text.
 */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (char) =>
    Array.from(
      { length: char.length },
      (_, unit) => `\\u${char.charCodeAt(unit).toString(16).padStart(4, "0")}`,
    ).join(""),
  );
}
