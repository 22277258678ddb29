import * as z from "zod";
import {
  blankToUndefined,
  envInteger,
  envLogLevel,
  envQueueUrl,
  envSecretArn,
  parseEnvironment,
  requireExactlyOne,
} from "../shared/configuration.ts";
import { DEFAULT_EVENT_MAX_FUTURE_SECONDS } from "../shared/contract/future-bound.ts";
import { vitableBaseUrl } from "../shared/vitable/base-url.ts";

const optionalText = z.preprocess(blankToUndefined, z.string().optional());

const schema = z
  .object({
    VITABLE_CONNECT_BASE_URL: vitableBaseUrl,
    VITABLE_CONNECT_API_KEY: optionalText,
    VITABLE_CONNECT_API_KEY_SECRET_ARN: envSecretArn,
    DLQ_URL: z.preprocess(blankToUndefined, envQueueUrl),
    SOURCE_QUEUE_URL: z.preprocess(blankToUndefined, envQueueUrl.optional()),
    MAX_RECEIVE_COUNT: envInteger(1, 1000, 5),
    API_CONCURRENCY: envInteger(1, 100, 5),
    API_ATTEMPT_TIMEOUT_MS: envInteger(100, 900_000, 10_000),
    API_MAX_ATTEMPTS: envInteger(1, 20, 4),
    API_RETRY_BASE_DELAY_MS: envInteger(1, 60_000, 250),
    API_RETRY_MAX_DELAY_MS: envInteger(1, 900_000, 8_000),
    API_MAX_CONFLICT_RETRIES: envInteger(0, 10, 2),
    DEADLINE_SAFETY_MARGIN_MS: envInteger(0, 60_000, 2_000),
    // Per attempt of every AWS SDK call; each call as a whole also ends at the invocation's deadline.
    SDK_CONNECTION_TIMEOUT_MS: envInteger(100, 60_000, 2_000),
    SDK_REQUEST_TIMEOUT_MS: envInteger(100, 900_000, 5_000),
    EXTERNAL_REF_CACHE_TTL_MS: envInteger(0, 86_400_000, 300_000),
    LEDGER_TABLE_NAME: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: "must be a DynamoDB table name" })
        .optional(),
    ),
    // At least 16: the event horizon (TTL minus 2 days) must cover SQS's 14-day maximum retention.
    LEDGER_TTL_DAYS: envInteger(16, 3650, 30),
    // An event stamped further ahead than this would win its fields against every real rename until it expires.
    EVENT_MAX_FUTURE_SECONDS: envInteger(0, 86_400, DEFAULT_EVENT_MAX_FUTURE_SECONDS),
    LOG_LEVEL: envLogLevel,
  })
  .superRefine((env, ctx) => {
    requireExactlyOne(env, ctx, "VITABLE_CONNECT_API_KEY", "VITABLE_CONNECT_API_KEY_SECRET_ARN");
    if (env.API_RETRY_MAX_DELAY_MS < env.API_RETRY_BASE_DELAY_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["API_RETRY_MAX_DELAY_MS"],
        message: "must not be smaller than API_RETRY_BASE_DELAY_MS",
      });
    }
  });

export type SyncConfig = z.output<typeof schema>;

/** Reads and validates the sync function's configuration; throws ConfigurationError naming each bad variable. */
export function loadSyncConfig(env: Record<string, string | undefined>): SyncConfig {
  return parseEnvironment(schema, env);
}
