/**
 * Lengths in Unicode code points. The API limits (255) and JSON Schema's minLength/maxLength count code points,
 * while JavaScript's `.length` (and zod's .min/.max) count UTF-16 units: "😀" is one code point but two units.
 */

export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Cuts `text` so that its UTF-16 length is at most `maxUnits`, ending with "…" when something was cut.
 * Never splits a surrogate pair, so a well-formed input stays well-formed.
 */
export function truncateText(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  if (maxUnits < 1) return "";
  let kept = "";
  for (const char of text) {
    if (kept.length + char.length > maxUnits - 1) break;
    kept += char;
  }
  return `${kept}…`;
}
