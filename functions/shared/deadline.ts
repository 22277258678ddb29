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
 * An AbortSignal that fires when the deadline runs out, for AWS SDK calls (`send(command, { abortSignal })`), so no
 * network await outlives the invocation. Already aborted when no time is left.
 */
export function deadlineSignal(deadline: Deadline): AbortSignal {
  const remainingMs = deadline.remainingMs();
  if (!Number.isFinite(remainingMs)) return new AbortController().signal;
  return AbortSignal.timeout(Math.max(0, Math.floor(remainingMs)));
}
