import type { AddressInfo } from "node:net";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { buildApp } from "fauxqs";

export interface EmbeddedSqs {
  /** e.g. http://127.0.0.1:41234: give it to SQS clients as `endpoint`. */
  endpoint: string;
  port: number;
  /** A client bound to this endpoint with dummy credentials. */
  client: SQSClient;
  stop(): Promise<void>;
}

export interface QueuePair {
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  dlqArn: string;
}

/**
 * fauxqs, an SQS emulator speaking the real wire protocol, bound to loopback only (its own starter listens on
 * every interface). Queue URLs it returns use this endpoint's host, so they resolve without DNS tricks.
 */
export async function startEmbeddedSqs(options: { port?: number; host?: string } = {}): Promise<EmbeddedSqs> {
  const app = buildApp({ logger: false });
  await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  const endpoint = `http://${options.host ?? "127.0.0.1"}:${port}`;
  const client = sqsClientFor(endpoint);
  return {
    endpoint,
    port,
    client,
    stop: async () => {
      client.destroy();
      await app.close();
    },
  };
}

export function sqsClientFor(endpoint: string): SQSClient {
  return new SQSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

/** A FIFO source queue and its FIFO DLQ, wired by a redrive policy, as the CDK stack deploys them. */
export async function createFifoQueueWithDlq(
  client: SQSClient,
  name: string,
  options: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {},
): Promise<QueuePair> {
  const dlq = await client.send(
    new CreateQueueCommand({
      QueueName: `${name}-dlq.fifo`,
      Attributes: { FifoQueue: "true", MessageRetentionPeriod: "1209600" },
    }),
  );
  const dlqUrl = dlq.QueueUrl as string;
  const dlqArn = await queueArn(client, dlqUrl);
  const source = await client.send(
    new CreateQueueCommand({
      QueueName: `${name}.fifo`,
      Attributes: {
        FifoQueue: "true",
        ContentBasedDeduplication: "false",
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: options.maxReceiveCount ?? 5,
        }),
      },
    }),
  );
  const queueUrl = source.QueueUrl as string;
  return { queueUrl, queueArn: await queueArn(client, queueUrl), dlqUrl, dlqArn };
}

async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const response = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  return response.Attributes?.QueueArn as string;
}
