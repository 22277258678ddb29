import type { ContractIssue } from "./issues.ts";

/**
 * How deep arrays and objects may nest in a message, counting the outermost. An event needs 3 levels (4 in a
 * webhook array, 5 inside EventBridge in an array); recursive steps such as JSON.stringify overflow the stack at
 * about 4,100 levels, so anything deeper than this is refused before any of them runs.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/**
 * The issue to report when valid JSON `text` nests deeper than MAX_JSON_DEPTH, else undefined. `path` and
 * `subject` locate and name the text as readJsonText does. A loop over the text, so no depth can overflow it.
 */
export function jsonDepthIssue(text: string, path: string, subject: string): ContractIssue | undefined {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (OPENERS.has(code)) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) {
        return {
          path,
          message: `${subject} nests arrays and objects over the ${MAX_JSON_DEPTH}-level limit`,
        };
      }
    } else if (CLOSERS.has(code)) {
      depth -= 1;
    }
  }
  return undefined;
}
