// Local until the shared terminal-safe formatter (issue 16) lands: then this file goes and callers use that one.
const UNSAFE = /[\p{Cc}\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A value from Vitable or the snapshot made safe for a terminal: control characters (escape sequences), line
 * separators and bidirectional overrides are shown as \u{…} instead of acting on the screen.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}
