/** Exit codes, a fixed interface for scripts: documented in docs/operate.md, "Exit codes". */
export const EXIT = {
  ok: 0,
  /** Something the command tried did not work: a send or delete failed, an input event was invalid. */
  failed: 1,
  /** The command line or its input was wrong; nothing was changed. */
  usage: 2,
  /** `reconcile` found drift or invalid rows (and with --apply, sent the repairs without a failure). */
  drift: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in the command line or its input, found before anything was changed. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** An AWS call or another step failed; the message says what to check. */
export class OperationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OperationError";
  }
}

/** A short description of any thrown value for the terminal: the error's name and message, never a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== "Error" ? `${error.name}: ` : "";
    return `${name}${error.message}`;
  }
  return String(error);
}
