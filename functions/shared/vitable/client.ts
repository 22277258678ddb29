import { DEFAULTS } from "../defaults.ts";
import { AdaptiveRateLimiter, type AdaptiveRateLimiterOptions } from "./adaptive-rate-limiter.ts";
import type { ApiKeyProvider } from "./api-key.ts";
import { ExternalRefCache } from "./external-ref-cache.ts";
import { GroupsResource } from "./groups-resource.ts";
import { RateGate } from "./rate-gate.ts";
import { type AttemptInfo, RequestRunner } from "./request-runner.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicyOptions } from "./retry-policy.ts";

export type { AttemptInfo, CallOptions, VitableOperation } from "./request-runner.ts";

export const USER_AGENT = "vitable-group-sync/0.1";

export interface VitableClientOptions {
  /** e.g. https://api.vitablehealth.com; a trailing slash is tolerated. */
  baseUrl: string;
  apiKey: ApiKeyProvider;
  /** Per attempt, default DEFAULTS.apiAttemptTimeoutMs; always cut to what is left of the call's deadline. */
  attemptTimeoutMs?: number;
  retry?: Partial<RetryPolicyOptions>;
  /** Max requests in flight for this client, default DEFAULTS.apiConcurrency. Calls sleeping between retries hold no slot. */
  concurrency?: number;
  /**
   * Pacing learned from this client's 429s (see AdaptiveRateLimiter), default DEFAULT_ADAPTIVE_RATE; `false` keeps
   * only the pause a 429 asks for (for comparisons and tests).
   */
  adaptiveRate?: Partial<AdaptiveRateLimiterOptions> | false;
  /** How long a learned external_reference_id -> group id mapping is trusted, default DEFAULTS.externalRefCacheTtlMs. */
  externalRefCacheTtlMs?: number;
  /** Injectable for tests; `now` and `sleep` must agree (sleeping `ms` advances `now` by `ms`). */
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called after every HTTP attempt, e.g. for metrics; exceptions it throws are ignored. */
  onAttempt?: (info: AttemptInfo) => void;
}

/** Typed client for the parts of Vitable Connect this tool uses, mirroring the official SDK's surface. */
export class VitableClient {
  readonly groups: GroupsResource;

  constructor(options: VitableClientOptions) {
    const now = options.now ?? Date.now;
    const retry: RetryPolicyOptions = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) {
      throw new RangeError("retry.maxAttempts must be a positive integer");
    }
    const runner = new RequestRunner({
      baseUrl: normalizeBaseUrl(options.baseUrl),
      apiKey: options.apiKey,
      userAgent: USER_AGENT,
      attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULTS.apiAttemptTimeoutMs,
      retry,
      concurrency: options.concurrency ?? DEFAULTS.apiConcurrency,
      rateGate: new RateGate(now),
      rateLimiter:
        options.adaptiveRate === false ? undefined : new AdaptiveRateLimiter(options.adaptiveRate, now),
      fetch: options.fetch ?? globalThis.fetch,
      now,
      sleep: options.sleep ?? sleepWithTimer,
      random: options.random ?? Math.random,
      onAttempt: options.onAttempt,
    });
    const refCache = new ExternalRefCache({
      ttlMs: options.externalRefCacheTtlMs ?? DEFAULTS.externalRefCacheTtlMs,
      now,
    });
    this.groups = new GroupsResource(runner, refCache);
  }

  /** Drops a learned mapping, e.g. after the caller learns the ref moved to another group. */
  forgetExternalReferenceId(ref: string): void {
    this.groups.forgetExternalReferenceId(ref);
  }
}

function normalizeBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`baseUrl must be an http(s) URL, got protocol ${url.protocol}`);
  }
  return baseUrl.replace(/\/+$/, "");
}

function sleepWithTimer(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
