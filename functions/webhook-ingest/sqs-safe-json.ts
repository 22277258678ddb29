/**
 * SQS refuses a message body holding any character outside #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD
 * #x10000-#x10FFFF. JSON.stringify already escapes control characters and lone surrogates; what remains are
 * U+FFFE and U+FFFF, which can only sit inside JSON strings, where a \u escape means the same text.
 */
const SQS_REFUSED = /[\uFFFE\uFFFF]/g;

export function toSqsSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    SQS_REFUSED,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
