import { Logger } from "@aws-lambda-powertools/logger";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { awsClientTimeouts } from "../shared/aws-client-timeouts.ts";
import type { WebhookConfig } from "./config.ts";
import { createWebhookHandler, type WebhookHandler } from "./create-handler.ts";
import {
  secretsManagerWebhookSecrets,
  staticWebhookSecrets,
  type WebhookSecretSource,
} from "./webhook-secrets.ts";

const SERVICE = "vitable-group-sync-webhook";

// The handler sees no Lambda context, so these bound its AWS calls instead: two attempts of at most 1.5 s each
// keep a secret read plus a queue send inside the function's 10 s timeout (infra/webhook-ingest.ts).
const AWS_CLIENT_CONFIG = {
  ...awsClientTimeouts({ connectionTimeoutMs: 1_000, requestTimeoutMs: 1_500 }),
  maxAttempts: 2,
};

/** Wires the webhook handler from validated configuration: the one place where real AWS clients are built. */
export function createWebhookRuntime(config: WebhookConfig): { handler: WebhookHandler; logger: Logger } {
  const logger = new Logger({ serviceName: SERVICE, logLevel: config.LOG_LEVEL });
  const handler = createWebhookHandler({
    sqs: new SQSClient(AWS_CLIENT_CONFIG),
    queueUrl: config.SOURCE_QUEUE_URL,
    secrets: secretSourceFrom(config, logger),
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
  });
  return { handler, logger };
}

function secretSourceFrom(config: WebhookConfig, logger: Logger): WebhookSecretSource {
  if (config.WEBHOOK_SECRET_ARN) {
    return secretsManagerWebhookSecrets({
      secretArn: config.WEBHOOK_SECRET_ARN,
      client: new SecretsManagerClient(AWS_CLIENT_CONFIG),
      cacheMs: config.WEBHOOK_SECRET_CACHE_SECONDS * 1000,
      onStaleServe: (error) =>
        logger.warn("webhook secret re-read failed; the cached secrets stay in use", {
          detail: error.message,
        }),
    });
  }
  return staticWebhookSecrets(config.WEBHOOK_SECRET as string, config.WEBHOOK_SECRET_PREVIOUS);
}
