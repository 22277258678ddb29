/**
 * How much time the current invocation has left. Retries and pauses never sleep past it,
 * so a record that cannot finish in time is left for SQS to redeliver instead of being cut off mid-call.
 */
export interface Deadline {
  /** Milliseconds left before work must stop (already net of any safety margin). */
  remainingMs(): number;
}

export const NO_DEADLINE: Deadline = { remainingMs: () => Number.POSITIVE_INFINITY };

/** A deadline from a Lambda context, keeping `safetyMarginMs` for reporting and DLQ sends. */
export function deadlineFromContext(
  context: { getRemainingTimeInMillis(): number },
  safetyMarginMs: number,
): Deadline {
  return { remainingMs: () => context.getRemainingTimeInMillis() - safetyMarginMs };
}

const MAX_TIMER_MS = 2_147_483_647;

/**
 * An abort signal that fires when the deadline passes, for calls (AWS SDK, ledger) that take one. A deadline
 * already past gives an aborted signal, so such a call is never started.
 */
export function signalFor(deadline: Deadline): AbortSignal {
  const remaining = Math.floor(deadline.remainingMs());
  if (remaining <= 0) return AbortSignal.abort(new Error("the invocation's deadline has passed"));
  // setTimeout (behind AbortSignal.timeout) fires at once for waits past 2^31 - 1 ms: so long is no deadline.
  return remaining <= MAX_TIMER_MS ? AbortSignal.timeout(remaining) : new AbortController().signal;
}
