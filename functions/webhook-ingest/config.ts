import * as z from "zod";
import { parseEnvironment } from "../shared/configuration.ts";
import { DEFAULT_MAX_REQUEST_BYTES } from "./request-body.ts";
import { DEFAULT_SECRET_CACHE_MS, MIN_SECRET_LENGTH } from "./webhook-secrets.ts";

const blankToUndefined = (value: unknown) => (value === "" ? undefined : value);

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `must be an integer from ${min} to ${max}` })
      .int({ error: `must be an integer from ${min} to ${max}` })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .default(fallback),
  );

// The message never quotes the value: these variables hold the signing secrets.
const secretText = z.preprocess(
  blankToUndefined,
  z
    .string()
    .refine((value) => value.trim().length >= MIN_SECRET_LENGTH, {
      error: `must be at least ${MIN_SECRET_LENGTH} characters`,
    })
    .optional(),
);

const schema = z
  .object({
    SOURCE_QUEUE_URL: z.preprocess(blankToUndefined, z.url({ error: "must be an SQS queue URL" })),
    WEBHOOK_SECRET_ARN: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, {
          error: "must be a Secrets Manager secret ARN",
        })
        .optional(),
    ),
    WEBHOOK_SECRET: secretText,
    WEBHOOK_SECRET_PREVIOUS: secretText,
    WEBHOOK_SECRET_CACHE_SECONDS: integer(0, 3600, DEFAULT_SECRET_CACHE_MS / 1000),
    // Lambda's 6 MB invocation limit, with base64 inflating the body by a third, leaves room for 1 MiB.
    MAX_BODY_BYTES: integer(1024, 1_048_576, DEFAULT_MAX_REQUEST_BYTES),
    LOG_LEVEL: z.preprocess(
      (value) => (typeof value === "string" && value !== "" ? value.toUpperCase() : undefined),
      z.enum(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL", "SILENT"]).default("INFO"),
    ),
  })
  .superRefine((env, ctx) => {
    const sources = [env.WEBHOOK_SECRET, env.WEBHOOK_SECRET_ARN].filter(Boolean);
    if (sources.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_SECRET"],
        message:
          sources.length === 0
            ? "set WEBHOOK_SECRET or WEBHOOK_SECRET_ARN"
            : "set only one of WEBHOOK_SECRET and WEBHOOK_SECRET_ARN",
      });
    }
    if (env.WEBHOOK_SECRET_PREVIOUS && !env.WEBHOOK_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_SECRET_PREVIOUS"],
        message: "is only read together with WEBHOOK_SECRET (the secret at WEBHOOK_SECRET_ARN holds its own)",
      });
    }
  });

export type WebhookConfig = z.output<typeof schema>;

/** Reads and validates the webhook function's configuration; throws ConfigurationError naming each bad variable. */
export function loadWebhookConfig(env: Record<string, string | undefined>): WebhookConfig {
  return parseEnvironment(schema, env);
}
