/**
 * Defaults that more than one layer applies: the sync function's environment (functions/group-sync/config.ts), the
 * Vitable client when a caller leaves an option out, and the CDK settings (infra/settings.ts). Each lives here
 * once; docs/configuration.md is generated from the code that reads them (`npm run docs`).
 */
export const DEFAULTS = {
  /** Vitable Connect API origin. */
  vitableBaseUrl: "https://api.vitablehealth.com",
  /** Timeout of one HTTP attempt to Vitable, ms; always cut to what is left of the invocation. */
  apiAttemptTimeoutMs: 10_000,
  /**
   * Vitable calls in flight at once inside one invocation: the batch size, so a batch of 10 records over 10 groups
   * takes one round trip; the client's adaptive rate limiter (not this cap) is what keeps a container polite.
   */
  apiConcurrency: 10,
  /** How long a learned external_reference_id -> group id mapping is trusted, ms. */
  externalRefCacheTtlMs: 300_000,
  /** Time kept back from the invocation deadline for reporting and DLQ sends, ms. */
  deadlineSafetyMarginMs: 2_000,
  /** Deliveries of a message before SQS moves it to the DLQ. */
  maxReceiveCount: 5,
} as const;
