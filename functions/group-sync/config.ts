import * as z from "zod/mini";
import { DEFAULT_AWS_CLIENT_TIMEOUTS } from "../shared/aws-client-timeouts.ts";
import {
  blankAsUnset,
  envInteger,
  envLogLevel,
  envQueueUrl,
  envSecretArn,
  parseEnvironment,
  requireExactlyOne,
} from "../shared/configuration.ts";
import { DEFAULT_EVENT_MAX_FUTURE_SECONDS } from "../shared/contract/future-bound.ts";
import { DEFAULTS } from "../shared/defaults.ts";
import { DEFAULT_LEDGER_TTL_SECONDS } from "../shared/ledger/ledger-table.ts";
import { vitableBaseUrl } from "../shared/vitable/base-url.ts";
import { DEFAULT_RETRY_POLICY } from "../shared/vitable/retry-policy.ts";

const optionalText = blankAsUnset(z.optional(z.string()));

/**
 * The sync function's environment. Each description is the one docs/configuration.md shows (`npm run docs`);
 * an empty variable counts as unset.
 */
export const SYNC_ENVIRONMENT = z
  .object({
    VITABLE_CONNECT_BASE_URL: vitableBaseUrl.check(
      z.describe("API base URL. https only; plain http is accepted on loopback, for the emulator."),
    ),
    VITABLE_CONNECT_API_KEY: optionalText.check(
      z.describe("The API key itself (local use). Exactly one of this and the next is required."),
    ),
    VITABLE_CONNECT_API_KEY_SECRET_ARN: envSecretArn.check(
      z.describe(
        'Secrets Manager secret holding the key (raw, or JSON {"apiKey": "..."}); cached, re-read on 401.',
      ),
    ),
    DLQ_URL: blankAsUnset(envQueueUrl).check(z.describe("The dead-letter queue the function writes to.")),
    SOURCE_QUEUE_URL: blankAsUnset(z.optional(envQueueUrl)).check(
      z.describe(
        "The source queue, for ChangeMessageVisibility. Unset: derived from the record's queue ARN.",
      ),
    ),
    MAX_RECEIVE_COUNT: envInteger(1, 1000, DEFAULTS.maxReceiveCount).check(
      z.describe("The source queue's redrive maxReceiveCount."),
    ),
    API_CONCURRENCY: envInteger(1, 100, DEFAULTS.apiConcurrency).check(
      z.describe("Vitable calls in flight per invocation."),
    ),
    API_ATTEMPT_TIMEOUT_MS: envInteger(100, 900_000, DEFAULTS.apiAttemptTimeoutMs).check(
      z.describe("Timeout of one HTTP attempt."),
    ),
    API_MAX_ATTEMPTS: envInteger(1, 20, DEFAULT_RETRY_POLICY.maxAttempts).check(
      z.describe("Attempts per call, the first included."),
    ),
    API_RETRY_BASE_DELAY_MS: envInteger(1, 60_000, DEFAULT_RETRY_POLICY.baseDelayMs).check(
      z.describe("Backoff base."),
    ),
    API_RETRY_MAX_DELAY_MS: envInteger(1, 900_000, DEFAULT_RETRY_POLICY.maxDelayMs).check(
      z.describe("Backoff cap (server-requested delays are not capped, only bounded by the deadline)."),
    ),
    API_MAX_CONFLICT_RETRIES: envInteger(0, 10, DEFAULT_RETRY_POLICY.maxConflictRetries).check(
      z.describe("Retries of a 409."),
    ),
    DEADLINE_SAFETY_MARGIN_MS: envInteger(0, 60_000, DEFAULTS.deadlineSafetyMarginMs).check(
      z.describe("Time kept back from the invocation deadline."),
    ),
    // Per attempt of every AWS SDK call; each call as a whole also ends at the invocation's deadline.
    SDK_CONNECTION_TIMEOUT_MS: envInteger(100, 60_000, DEFAULT_AWS_CLIENT_TIMEOUTS.connectionTimeoutMs).check(
      z.describe("Connection timeout of each AWS SDK call attempt (SQS, DynamoDB, Secrets Manager)."),
    ),
    SDK_REQUEST_TIMEOUT_MS: envInteger(100, 900_000, DEFAULT_AWS_CLIENT_TIMEOUTS.requestTimeoutMs).check(
      z.describe(
        "Request timeout of each AWS SDK call attempt; every call also ends at the invocation's deadline.",
      ),
    ),
    EXTERNAL_REF_CACHE_TTL_MS: envInteger(0, 86_400_000, DEFAULTS.externalRefCacheTtlMs).check(
      z.describe(
        "How long an external_reference_id -> group id lookup is reused (it is re-checked with one GET).",
      ),
    ),
    LEDGER_TABLE_NAME: blankAsUnset(
      z.optional(
        z.string().check(z.regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: "must be a DynamoDB table name" })),
      ),
    ).check(z.describe("DynamoDB ledger table. Unset: the ledger lives in memory (local runs only).")),
    // At least 16: the event horizon (TTL minus 2 days) must cover SQS's 14-day maximum retention.
    LEDGER_TTL_DAYS: envInteger(16, 3650, DEFAULT_LEDGER_TTL_SECONDS / 86_400).check(
      z.describe("Ledger entry lifetime after the last write, days."),
    ),
    // An event stamped further ahead than this would win its fields against every real rename until it expires.
    EVENT_MAX_FUTURE_SECONDS: envInteger(0, 86_400, DEFAULT_EVENT_MAX_FUTURE_SECONDS).check(
      z.describe("How far ahead of the function's clock an event's occurred_at may be, seconds."),
    ),
    LOG_LEVEL: envLogLevel.check(z.describe("Log level.")),
  })
  .check(
    z.superRefine((env, ctx) => {
      requireExactlyOne(env, ctx, "VITABLE_CONNECT_API_KEY", "VITABLE_CONNECT_API_KEY_SECRET_ARN");
      if (env.API_RETRY_MAX_DELAY_MS < env.API_RETRY_BASE_DELAY_MS) {
        ctx.addIssue({
          code: "custom",
          path: ["API_RETRY_MAX_DELAY_MS"],
          message: "must not be smaller than API_RETRY_BASE_DELAY_MS",
        });
      }
    }),
  );

export type SyncConfig = z.output<typeof SYNC_ENVIRONMENT>;

/** Reads and validates the sync function's configuration; throws ConfigurationError naming each bad variable. */
export function loadSyncConfig(env: Record<string, string | undefined>): SyncConfig {
  return parseEnvironment(SYNC_ENVIRONMENT, env);
}
