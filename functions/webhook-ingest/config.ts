import * as z from "zod/mini";
import {
  blankAsUnset,
  envInteger,
  envLogLevel,
  envQueueUrl,
  envSecretArn,
  parseEnvironment,
  requireExactlyOne,
} from "../shared/configuration.ts";
import { DEFAULT_MAX_REQUEST_BYTES } from "./request-body.ts";
import { DEFAULT_SECRET_CACHE_MS, MIN_SECRET_LENGTH } from "./webhook-secrets.ts";

// The message never quotes the value: these variables hold the signing secrets.
const secretText = blankAsUnset(
  z.optional(
    z.string().check(
      z.refine((value: string) => value.trim().length >= MIN_SECRET_LENGTH, {
        error: `must be at least ${MIN_SECRET_LENGTH} characters`,
      }),
    ),
  ),
);

/** The webhook function's environment; the descriptions are what docs/configuration.md shows (`npm run docs`). */
export const WEBHOOK_ENVIRONMENT = z
  .object({
    SOURCE_QUEUE_URL: blankAsUnset(envQueueUrl).check(
      z.describe("The FIFO queue accepted events are sent to."),
    ),
    WEBHOOK_SECRET_ARN: envSecretArn.check(
      z.describe("Secrets Manager secret with the signing secret (and, while rotating, the previous one)."),
    ),
    WEBHOOK_SECRET: secretText.check(
      z.describe(
        "The signing secret itself (local use). Exactly one of this and WEBHOOK_SECRET_ARN is required.",
      ),
    ),
    WEBHOOK_SECRET_PREVIOUS: secretText.check(
      z.describe("The previous signing secret, still accepted during a rotation (only with WEBHOOK_SECRET)."),
    ),
    WEBHOOK_SECRET_CACHE_SECONDS: envInteger(0, 3600, DEFAULT_SECRET_CACHE_MS / 1000).check(
      z.describe("How long the secret read from Secrets Manager is reused."),
    ),
    // Lambda's 6 MB invocation limit, with base64 inflating the body by a third, leaves room for 1 MiB.
    MAX_BODY_BYTES: envInteger(1024, 1_048_576, DEFAULT_MAX_REQUEST_BYTES).check(
      z.describe("Largest request body accepted, bytes."),
    ),
    LOG_LEVEL: envLogLevel.check(z.describe("Log level.")),
  })
  .check(
    z.superRefine((env, ctx) => {
      requireExactlyOne(env, ctx, "WEBHOOK_SECRET", "WEBHOOK_SECRET_ARN");
      if (env.WEBHOOK_SECRET_PREVIOUS && !env.WEBHOOK_SECRET) {
        ctx.addIssue({
          code: "custom",
          path: ["WEBHOOK_SECRET_PREVIOUS"],
          message:
            "is only read together with WEBHOOK_SECRET (the secret at WEBHOOK_SECRET_ARN holds its own)",
        });
      }
    }),
  );

export type WebhookConfig = z.output<typeof WEBHOOK_ENVIRONMENT>;

/** Reads and validates the webhook function's configuration; throws ConfigurationError naming each bad variable. */
export function loadWebhookConfig(env: Record<string, string | undefined>): WebhookConfig {
  return parseEnvironment(WEBHOOK_ENVIRONMENT, env);
}
