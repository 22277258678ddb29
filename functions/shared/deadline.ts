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

// setTimeout (behind AbortSignal.timeout) cannot wait longer than this; a longer wait is no deadline at all.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * An abort signal that fires when `deadline` runs out, for an SDK call's `abortSignal`: the call, its retries
 * included, stops at the deadline instead of waiting on an endpoint that never answers. Already aborted when no
 * time is left, so no new call starts; never fires for NO_DEADLINE.
 */
export function deadlineSignal(deadline: Deadline): AbortSignal {
  const remainingMs = deadline.remainingMs();
  if (remainingMs <= 0) return AbortSignal.abort(new DOMException("no time left", "TimeoutError"));
  if (remainingMs > MAX_TIMER_MS) return new AbortController().signal;
  return AbortSignal.timeout(Math.ceil(remainingMs));
}
