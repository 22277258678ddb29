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

/**
 * An abort signal that fires when the deadline passes, for calls (AWS SDK, ledger) that take one. A deadline
 * already past gives an aborted signal, so such a call is never started.
 */
export function signalFor(deadline: Deadline): AbortSignal {
  const remaining = Math.floor(deadline.remainingMs());
  if (remaining <= 0) return AbortSignal.abort(new Error("the invocation's deadline has passed"));
  return Number.isFinite(remaining) ? AbortSignal.timeout(remaining) : new AbortController().signal;
}
