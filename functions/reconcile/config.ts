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
import { DEFAULTS } from "../shared/defaults.ts";
import { vitableBaseUrl } from "../shared/vitable/base-url.ts";

const flag = z.pipe(
  z.transform((value) => (typeof value === "string" && value !== "" ? value.toLowerCase() : undefined)),
  z._default(z.enum(["true", "false"], { error: "must be true or false" }), "false"),
);

const schema = z
  .object({
    VITABLE_CONNECT_BASE_URL: vitableBaseUrl,
    VITABLE_CONNECT_API_KEY: blankAsUnset(z.optional(z.string())),
    VITABLE_CONNECT_API_KEY_SECRET_ARN: envSecretArn,
    RECONCILE_AUTO_APPLY: flag,
    SOURCE_QUEUE_URL: blankAsUnset(z.optional(envQueueUrl)),
    API_CONCURRENCY: envInteger(1, 100, DEFAULTS.apiConcurrency),
    API_ATTEMPT_TIMEOUT_MS: envInteger(100, 900_000, 10_000),
    // Kept back from the deadline to write the report of what was done.
    DEADLINE_SAFETY_MARGIN_MS: envInteger(0, 60_000, 5_000),
    // One AWS SDK attempt (S3, SQS, Secrets Manager), named as for the sync function; every call is also cut at
    // the invocation's deadline. Longer request default than the sync function's: a report can be megabytes.
    SDK_CONNECTION_TIMEOUT_MS: envInteger(100, 60_000, DEFAULT_AWS_CLIENT_TIMEOUTS.connectionTimeoutMs),
    SDK_REQUEST_TIMEOUT_MS: envInteger(100, 900_000, 10_000),
    LOG_LEVEL: envLogLevel,
  })
  .check(
    z.superRefine((env, ctx) => {
      requireExactlyOne(env, ctx, "VITABLE_CONNECT_API_KEY", "VITABLE_CONNECT_API_KEY_SECRET_ARN");
      if (env.RECONCILE_AUTO_APPLY === "true" && env.SOURCE_QUEUE_URL === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["SOURCE_QUEUE_URL"],
          message: "must be set when RECONCILE_AUTO_APPLY is true",
        });
      }
    }),
  );

export type ReconcileConfig = z.output<typeof schema>;

/** Reads and validates the reconcile function's configuration; throws ConfigurationError naming each bad variable. */
export function loadReconcileConfig(env: Record<string, string | undefined>): ReconcileConfig {
  return parseEnvironment(schema, env);
}
