/**
 * Pure retry rules of the Vitable client: which responses are worth another attempt, how long the server
 * asked us to wait, and how long to back off when it did not say.
 */

export interface RetryPolicyOptions {
  /** Total attempts per call, the first one included. */
  maxAttempts: number;
  /** Backoff cap before jitter for the first retry; doubles per retry. */
  baseDelayMs: number;
  /** Upper bound of the backoff before jitter. */
  maxDelayMs: number;
  /** A 409 may be a transient lock, but a persistent conflict must not burn every attempt. */
  maxConflictRetries: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicyOptions> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  maxConflictRetries: 2,
});

const NON_NEGATIVE_NUMBER = /^\d+(\.\d+)?$/;
// All three HTTP-date forms (IMF-fixdate, RFC 850, asctime) start with a day name; requiring it keeps
// Date.parse from reading bare numbers or other junk as years.
const HTTP_DATE_START = /^[A-Za-z]{3,9},? /;

/**
 * The delay in ms the server asked for: `retry-after-ms` first, then `Retry-After` as (possibly fractional)
 * seconds or as an HTTP date. Negative or unparsable values are ignored; a date in the past means "now" (0).
 */
export function parseRetryAfter(headers: Headers, nowMs: number): number | undefined {
  const retryAfterMs = headers.get("retry-after-ms")?.trim();
  if (retryAfterMs && NON_NEGATIVE_NUMBER.test(retryAfterMs)) {
    return Math.ceil(Number(retryAfterMs));
  }
  const retryAfter = headers.get("retry-after")?.trim();
  if (!retryAfter) {
    return undefined;
  }
  if (NON_NEGATIVE_NUMBER.test(retryAfter)) {
    return Math.ceil(Number(retryAfter) * 1000);
  }
  if (HTTP_DATE_START.test(retryAfter)) {
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) {
      return Math.max(0, at - nowMs);
    }
  }
  return undefined;
}

/**
 * Exponential backoff with full jitter: uniformly in [0, min(maxDelayMs, baseDelayMs * 2^retryIndex)),
 * so that clients failing together spread out instead of retrying in lockstep.
 * `retryIndex` counts retries already made (0 before the first retry).
 */
export function backoffDelayMs(
  retryIndex: number,
  opts: Pick<RetryPolicyOptions, "baseDelayMs" | "maxDelayMs">,
  random: () => number,
): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, retryIndex));
  return random() * ceiling;
}

/** `x-should-retry: true|false` from the server wins; otherwise 408, 409, 429 and 5xx are transient. */
export function shouldRetryResponse(status: number, headers: Headers): boolean {
  const hint = headers.get("x-should-retry")?.trim().toLowerCase();
  if (hint === "true") {
    return true;
  }
  if (hint === "false") {
    return false;
  }
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
