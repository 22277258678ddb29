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

/** Wires the webhook handler from validated configuration: the one place where real AWS clients are built. */
export function createWebhookRuntime(config: WebhookConfig): { handler: WebhookHandler; logger: Logger } {
  const logger = new Logger({ serviceName: SERVICE, logLevel: config.LOG_LEVEL });
  const handler = createWebhookHandler({
    // The handler gets no Lambda context, so per-attempt limits are what bound its AWS calls.
    sqs: new SQSClient(awsClientTimeouts()),
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
      client: new SecretsManagerClient(awsClientTimeouts()),
      cacheMs: config.WEBHOOK_SECRET_CACHE_SECONDS * 1000,
      onStaleServe: (error) =>
        logger.warn("webhook secret re-read failed; the cached secrets stay in use", {
          detail: error.message,
        }),
    });
  }
  return staticWebhookSecrets(config.WEBHOOK_SECRET as string, config.WEBHOOK_SECRET_PREVIOUS);
}
