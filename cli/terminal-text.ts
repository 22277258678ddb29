/**
 * Characters a terminal acts on or that change how the text around them reads: controls (C0, DEL, C1: escape
 * sequences, carriage return, bell), format characters (bidirectional overrides and isolates, zero-width
 * characters), line and paragraph separators, and lone surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const UNSAFE_EXCEPT_LINE_FEED = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * Makes text that came from a message, a file or an AWS/API answer safe to print on an operator's terminal:
 * every unsafe character is shown as an escape (`\x1b`, `\u202e`, `\u{e0001}`), so a producer can neither drive
 * the terminal nor hide or reorder what the operator reads. With `keepLineFeeds`, `\n` still breaks the line
 * (for multi-line text whose lines were made safe by this same rule).
 */
export function terminalText(text: string, options: { keepLineFeeds?: boolean } = {}): string {
  return text.replace(options.keepLineFeeds ? UNSAFE_EXCEPT_LINE_FEED : UNSAFE, escapeChar);
}

function escapeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\u{${code.toString(16)}}`;
}
