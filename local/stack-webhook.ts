import type { SQSClient } from "@aws-sdk/client-sqs";
import { staticWebhookSecrets } from "../functions/webhook-ingest/webhook-secrets.ts";
import { type RunningLocalWebhook, startLocalWebhook } from "./webhook/index.ts";

/**
 * Signs local webhook requests when WEBHOOK_SECRET is not set. Public and guarding nothing, like the emulator's
 * dummy API key: it only makes local senders sign their requests as they must in AWS.
 */
export const LOCAL_WEBHOOK_SECRET = "local-webhook-secret-guards-nothing-0000";

export interface StackWebhook {
  url: string;
  /** Which secret signs requests; never the secret itself. */
  secretSource: "WEBHOOK_SECRET" | "LOCAL_WEBHOOK_SECRET";
  stop(): Promise<void>;
}

/** The webhook endpoint of the local stack: the real webhook handler, queueing onto the stack's source queue. */
export async function startStackWebhook(options: {
  port: number;
  sqs: SQSClient;
  queueUrl: string;
  secret: string | undefined;
}): Promise<StackWebhook> {
  const secret = options.secret?.trim() ? options.secret : undefined;
  const webhook: RunningLocalWebhook = await startLocalWebhook({
    port: options.port,
    handlerDeps: {
      sqs: options.sqs,
      queueUrl: options.queueUrl,
      secrets: staticWebhookSecrets(secret ?? LOCAL_WEBHOOK_SECRET),
    },
  });
  return {
    url: webhook.url,
    secretSource: secret ? "WEBHOOK_SECRET" : "LOCAL_WEBHOOK_SECRET",
    stop: () => webhook.stop(),
  };
}
