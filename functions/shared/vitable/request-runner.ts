import pLimit, { type LimitFunction } from "p-limit";
import { type Deadline, NO_DEADLINE } from "../deadline.ts";
import type { AdaptiveRateLimiter } from "./adaptive-rate-limiter.ts";
import { apiErrorFromResponse } from "./api-error.ts";
import { type ApiKeyProvider, assertUsableApiKey } from "./api-key.ts";
import {
  RetryDeadlineError,
  VitableConnectionError,
  type VitableError,
  VitableTimeoutError,
} from "./errors.ts";
import type { RateGate } from "./rate-gate.ts";
import { redactSecrets } from "./redact.ts";
import type { RawResponse } from "./response-decoding.ts";
import {
  backoffDelayMs,
  parseRetryAfter,
  type RetryPolicyOptions,
  shouldRetryResponse,
} from "./retry-policy.ts";
import { type AttemptOutcome, sendAttempt } from "./send-attempt.ts";

export type VitableOperation = "groups.update" | "groups.retrieve" | "groups.list";

/** One HTTP attempt, reported for metrics and logs (never carries the key). */
export interface AttemptInfo {
  operation: VitableOperation;
  /** 1-based attempt number within the call. */
  attempt: number;
  status?: number;
  errorKind?: "timeout" | "connection";
  durationMs: number;
  /** Set when another attempt follows after this delay. */
  retryDelayMs?: number;
}

export interface CallOptions {
  deadline?: Deadline;
  /** Told of each HTTP attempt of this call, after the client-wide observer (e.g. to count a record's attempts). */
  onAttempt?: ((info: AttemptInfo) => void) | undefined;
}

export interface ApiRequest {
  operation: VitableOperation;
  method: "GET" | "PATCH";
  /** Path with any ids already validated and encoded. */
  path: string;
  query?: URLSearchParams;
  body?: unknown;
}

export interface RequestRunnerConfig {
  baseUrl: string;
  apiKey: ApiKeyProvider;
  userAgent: string;
  attemptTimeoutMs: number;
  retry: RetryPolicyOptions;
  concurrency: number;
  rateGate: RateGate;
  /** Paces sends after this client has seen a 429; absent, only the 429 pause holds calls back. */
  rateLimiter?: AdaptiveRateLimiter | undefined;
  fetch: typeof fetch;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onAttempt?: ((info: AttemptInfo) => void) | undefined;
}

/** `gatePauseMs`: the shared pause a 429 started, which is also this call's own delay before its next attempt. */
type SlotResult =
  | (AttemptOutcome & { durationMs: number; gatePauseMs?: number })
  | { kind: "paused" }
  | { kind: "no-time" };

/** What one failed attempt means for the call. */
interface Failure {
  error: VitableError;
  retryable: boolean;
  serverDelayMs: number | undefined;
}

/** Bookkeeping of one logical call across its attempts. */
interface CallState {
  attempts: number;
  retries: number;
  conflictRetries: number;
  keyRefreshed: boolean;
  lastError: VitableError | undefined;
  lastServerDelayMs: number | undefined;
}

/**
 * Runs one API call: idempotent retry with backoff, server delay hints, the shared 429 pause, one key refresh
 * on 401, the per-client concurrency cap (held only while a request is in flight) and the caller's deadline.
 */
export class RequestRunner {
  readonly #config: RequestRunnerConfig;
  readonly #limit: LimitFunction;
  /**
   * Every key this client has sent, for the life of the container: a server may still echo a key rotated out
   * long ago (e.g. quoting a stale request), so none is ever dropped from redaction.
   */
  readonly #keysUsed = new Set<string>();

  constructor(config: RequestRunnerConfig) {
    this.#config = config;
    this.#limit = pLimit(config.concurrency);
  }

  async run(request: ApiRequest, options: CallOptions = {}): Promise<RawResponse> {
    const deadline = options.deadline ?? NO_DEADLINE;
    const state: CallState = {
      attempts: 0,
      retries: 0,
      conflictRetries: 0,
      keyRefreshed: false,
      lastError: undefined,
      lastServerDelayMs: undefined,
    };
    let delayMs = 0;
    for (;;) {
      await this.#waitBeforeAttempt(delayMs, deadline, state);
      delayMs = 0;
      const apiKey = await this.#config.apiKey.get(deadline);
      assertUsableApiKey(apiKey, "the configured key provider");
      this.#keysUsed.add(apiKey);
      const result = await this.#limit(() => this.#attemptInSlot(request, apiKey, deadline, state));
      if (result.kind === "paused") {
        continue;
      }
      if (result.kind === "no-time") {
        throw this.#deadlineError(state);
      }
      state.attempts += 1;
      if (result.kind === "response" && result.status >= 200 && result.status < 300) {
        this.#report(request, state, result, undefined, options.onAttempt);
        return { status: result.status, bodyText: result.bodyText, attempts: state.attempts };
      }
      const failure = this.#judge(result, state);
      state.lastError = failure.error;
      state.lastServerDelayMs = failure.serverDelayMs;
      if (!failure.retryable || state.attempts >= this.#config.retry.maxAttempts) {
        this.#report(request, state, result, undefined, options.onAttempt);
        throw failure.error;
      }
      if (result.kind === "response" && result.status === 401) {
        // A rotated key: re-read it and try again at once, as the old one will never work.
        this.#report(request, state, result, 0, options.onAttempt);
        await this.#config.apiKey.refresh(deadline);
        continue;
      }
      delayMs =
        failure.serverDelayMs ??
        result.gatePauseMs ??
        backoffDelayMs(state.retries, this.#config.retry, this.#config.random);
      state.retries += 1;
      this.#report(request, state, result, delayMs, options.onAttempt);
    }
  }

  /**
   * Sleeps for the retry delay, for any shared pause and for this call's turn in the adaptive rate, but never into
   * the deadline.
   */
  async #waitBeforeAttempt(delayMs: number, deadline: Deadline, state: CallState): Promise<void> {
    let pending = delayMs;
    for (;;) {
      const waitMs = Math.max(pending, this.#config.rateGate.remainingPauseMs());
      const remainingMs = deadline.remainingMs();
      if (remainingMs <= 0 || waitMs >= remainingMs) {
        throw this.#deadlineError(state);
      }
      if (waitMs > 0) {
        await this.#config.sleep(waitMs);
        // Another call may have extended the shared pause while we slept: look again.
        pending = 0;
        continue;
      }
      const limiter = this.#config.rateLimiter;
      const turnMs = limiter ? limiter.reserve(remainingMs) : 0;
      if (turnMs === undefined) {
        throw this.#deadlineError(state);
      }
      if (turnMs <= 0) {
        return;
      }
      await this.#config.sleep(turnMs);
      // A 429 may have started a pause while this call waited for its turn: its turn is spent, wait that out.
      if (this.#config.rateGate.remainingPauseMs() <= 0) {
        return;
      }
    }
  }

  async #attemptInSlot(
    request: ApiRequest,
    apiKey: string,
    deadline: Deadline,
    state: CallState,
  ): Promise<SlotResult> {
    // The slot may have been queued behind others while a 429 pause began: do not send into it.
    if (this.#config.rateGate.remainingPauseMs() > 0) {
      return { kind: "paused" };
    }
    const remainingMs = deadline.remainingMs();
    if (remainingMs <= 0) {
      return { kind: "no-time" };
    }
    const timeoutMs = Math.max(1, Math.ceil(Math.min(this.#config.attemptTimeoutMs, remainingMs)));
    const limiter = this.#config.rateLimiter;
    const send = limiter?.sendStarted();
    const startedAt = this.#config.now();
    const outcome = await sendAttempt(this.#config.fetch, this.#outgoing(request, apiKey), timeoutMs);
    const durationMs = this.#config.now() - startedAt;
    if (outcome.kind === "response" && outcome.status === 429) {
      // Close the gate before this slot is released, so no queued call slips a request in first. Without a
      // server delay the limit still holds for every lane, so they all wait out this call's backoff.
      const gatePauseMs =
        parseRetryAfter(outcome.headers, this.#config.now()) ??
        backoffDelayMs(state.retries, this.#config.retry, this.#config.random);
      this.#config.rateGate.pauseFor(gatePauseMs);
      if (send !== undefined) limiter?.throttled(send, this.#config.now() + gatePauseMs);
      return { ...outcome, durationMs, gatePauseMs };
    }
    if (outcome.kind === "response") limiter?.accepted();
    return { ...outcome, durationMs };
  }

  #outgoing(request: ApiRequest, apiKey: string) {
    const query = request.query?.toString();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${apiKey}`,
      Accept: "application/json",
      "User-Agent": this.#config.userAgent,
    };
    let body: string | undefined;
    if (request.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(request.body);
    }
    const url = `${this.#config.baseUrl}${request.path}${query ? `?${query}` : ""}`;
    return { url, method: request.method, headers, body };
  }

  #judge(outcome: AttemptOutcome, state: CallState): Failure {
    const redact = (text: string) => redactSecrets(text, this.#keysUsed);
    if (outcome.kind === "timeout") {
      const error = new VitableTimeoutError(outcome.timeoutMs, state.attempts);
      return { error, retryable: true, serverDelayMs: undefined };
    }
    if (outcome.kind === "connection") {
      const message = redact(`connection to the Vitable API failed (${outcome.reason})`);
      const error = new VitableConnectionError(message, outcome.code, state.attempts);
      return { error, retryable: true, serverDelayMs: undefined };
    }
    const serverDelayMs = parseRetryAfter(outcome.headers, this.#config.now());
    const error = apiErrorFromResponse(
      {
        status: outcome.status,
        statusText: outcome.statusText,
        bodyText: outcome.bodyText,
        retryAfterMs: serverDelayMs,
        attempts: state.attempts,
      },
      redact,
    );
    return { error, retryable: this.#isRetryableStatus(outcome, state), serverDelayMs };
  }

  #isRetryableStatus(outcome: AttemptOutcome & { kind: "response" }, state: CallState): boolean {
    if (outcome.status === 401) {
      const firstUnauthorized = !state.keyRefreshed;
      state.keyRefreshed = true;
      return firstUnauthorized;
    }
    if (outcome.status === 403 || !shouldRetryResponse(outcome.status, outcome.headers)) {
      return false;
    }
    if (outcome.status === 409) {
      if (state.conflictRetries >= this.#config.retry.maxConflictRetries) {
        return false;
      }
      state.conflictRetries += 1;
    }
    return true;
  }

  #deadlineError(state: CallState): RetryDeadlineError {
    const pauseMs = this.#config.rateGate.remainingPauseMs();
    const hints = [state.lastServerDelayMs, pauseMs > 0 ? pauseMs : undefined].filter(
      (hint): hint is number => hint !== undefined,
    );
    return new RetryDeadlineError({
      lastError: state.lastError,
      retryAfterMs: hints.length > 0 ? Math.max(...hints) : undefined,
      attempts: state.attempts,
    });
  }

  #report(
    request: ApiRequest,
    state: CallState,
    result: SlotResult,
    retryDelayMs: number | undefined,
    callObserver: ((info: AttemptInfo) => void) | undefined,
  ): void {
    const observers = [this.#config.onAttempt, callObserver].filter((o) => o !== undefined);
    if (observers.length === 0 || result.kind === "paused" || result.kind === "no-time") {
      return;
    }
    const info: AttemptInfo = {
      operation: request.operation,
      attempt: state.attempts,
      durationMs: result.durationMs,
    };
    if (result.kind === "response") {
      info.status = result.status;
    } else {
      info.errorKind = result.kind;
    }
    if (retryDelayMs !== undefined) {
      info.retryDelayMs = retryDelayMs;
    }
    for (const observer of observers) {
      try {
        observer(info);
      } catch {
        // An observer's bug must not turn a successful call into a failed one.
      }
    }
  }
}
