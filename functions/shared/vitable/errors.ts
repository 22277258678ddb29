/**
 * Typed errors of the Vitable client. None of them ever carries the API key or the Authorization header.
 */

export abstract class VitableError extends Error {
  /** Number of HTTP attempts made before this error was final. */
  attempts: number;
  constructor(message: string, attempts: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.attempts = attempts;
  }
}

/** The API answered with a non-2xx status. Fields mirror the documented flat error body. */
export class VitableApiError extends VitableError {
  readonly status: number;
  readonly appErrorCode: string | undefined;
  readonly traceId: string | undefined;
  /** Delay the server asked for (retry-after-ms / Retry-After), if any. */
  readonly retryAfterMs: number | undefined;
  constructor(init: {
    status: number;
    message: string;
    appErrorCode?: string | undefined;
    traceId?: string | undefined;
    retryAfterMs?: number | undefined;
    attempts: number;
  }) {
    super(init.message, init.attempts);
    this.status = init.status;
    this.appErrorCode = init.appErrorCode;
    this.traceId = init.traceId;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The connection failed (reset, refused, DNS) before a response arrived. */
export class VitableConnectionError extends VitableError {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined, attempts: number, options?: { cause?: unknown }) {
    super(message, attempts, options);
    this.code = code;
  }
}

/** One attempt took longer than the per-attempt timeout. */
export class VitableTimeoutError extends VitableError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number, attempts: number) {
    super(`request timed out after ${timeoutMs} ms`, attempts);
    this.timeoutMs = timeoutMs;
  }
}

/** The response was not the JSON shape the API documents. */
export class VitableResponseError extends VitableError {
  readonly status: number;
  constructor(message: string, status: number, attempts: number) {
    super(message, attempts);
    this.status = status;
  }
}

/** A group id failed the id grammar, so it was never put into a URL. */
export class InvalidGroupIdError extends VitableError {
  constructor(message: string) {
    super(message, 0);
  }
}

/**
 * The next attempt (or a pause the server asked for) would not fit before the invocation's deadline.
 * The caller should leave the work for redelivery; `retryAfterMs` is the delay the server asked for, if any.
 */
export class RetryDeadlineError extends VitableError {
  readonly lastError: VitableError | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(init: {
    lastError?: VitableError | undefined;
    retryAfterMs?: number | undefined;
    attempts: number;
  }) {
    super(
      init.lastError
        ? `stopped retrying before the invocation deadline; last error: ${init.lastError.message}`
        : "no time left before the invocation deadline",
      init.attempts,
      { cause: init.lastError },
    );
    this.lastError = init.lastError;
    this.retryAfterMs = init.retryAfterMs;
  }
}
