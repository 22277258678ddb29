/**
 * Everything outside the characters SQS accepts in a message body or a String attribute value:
 * #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF. With the `u` flag a lone surrogate is a
 * code point of its own and falls outside the class, while a well-formed pair is one astral code point inside it.
 */
const SQS_REFUSED = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Text SQS is sure to accept, e.g. a failure detail quoting a parser message that cut an emoji in half: each
 * refused character (lone surrogate, other control, U+FFFE, U+FFFF) becomes U+FFFD. SQS would refuse the whole
 * send otherwise, and the record would reach the DLQ by redrive without its reason.
 */
export function toSqsText(text: string): string {
  return text.replace(SQS_REFUSED, "\uFFFD");
}
