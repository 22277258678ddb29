import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { type AwsClientTimeouts, awsClientTimeouts } from "../shared/aws-client-timeouts.ts";
import { DynamoDbLedgerStore } from "../shared/ledger/dynamodb-ledger-store.ts";
import type { LedgerStore } from "../shared/ledger/ledger-store.ts";
import { MemoryLedgerStore } from "../shared/ledger/memory-ledger-store.ts";
import { type ApiKeyProvider, secretsManagerApiKey, staticApiKey } from "../shared/vitable/api-key.ts";
import { VitableClient } from "../shared/vitable/client.ts";
import type { SyncConfig } from "./config.ts";
import { createSyncHandler, type SyncHandler, type SyncTelemetry } from "./create-sync-handler.ts";
import { type ApiTelemetry, powertoolsTelemetry } from "./telemetry.ts";

export interface SyncRuntime {
  handler: SyncHandler;
  client: VitableClient;
  ledger: LedgerStore;
  logger: Logger;
}

/** Optional parts a caller (the local runner, a test) brings instead of the ones built from config. */
export interface SyncRuntimeOverrides {
  ledger?: LedgerStore;
  sqs?: SQSClient;
  logger?: Logger;
  now?: () => number;
  /** Replaces the Powertools logs and metrics, e.g. so the local runner can print each record's outcome. */
  telemetry?: SyncTelemetry & ApiTelemetry;
}

const SERVICE = "vitable-group-sync";

/** Wires the sync handler from validated configuration: the one place where real clients are built. */
export function createSyncRuntime(config: SyncConfig, overrides: SyncRuntimeOverrides = {}): SyncRuntime {
  const logger = overrides.logger ?? new Logger({ serviceName: SERVICE, logLevel: config.LOG_LEVEL });
  const telemetry =
    overrides.telemetry ??
    powertoolsTelemetry(
      logger,
      new Metrics({
        serviceName: SERVICE,
        namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "VitableGroupSync",
      }),
    );

  const awsClientConfig = awsClientTimeouts(sdkTimeouts(config));
  const client = new VitableClient({
    baseUrl: config.VITABLE_CONNECT_BASE_URL,
    apiKey: apiKeyFrom(config, awsClientConfig),
    attemptTimeoutMs: config.API_ATTEMPT_TIMEOUT_MS,
    concurrency: config.API_CONCURRENCY,
    externalRefCacheTtlMs: config.EXTERNAL_REF_CACHE_TTL_MS,
    retry: {
      maxAttempts: config.API_MAX_ATTEMPTS,
      baseDelayMs: config.API_RETRY_BASE_DELAY_MS,
      maxDelayMs: config.API_RETRY_MAX_DELAY_MS,
      maxConflictRetries: config.API_MAX_CONFLICT_RETRIES,
    },
    onAttempt: (info) => telemetry.apiAttempt(info),
  });

  const ttlSeconds = config.LEDGER_TTL_DAYS * 86_400;
  const ledger =
    overrides.ledger ??
    (config.LEDGER_TABLE_NAME
      ? new DynamoDbLedgerStore({
          tableName: config.LEDGER_TABLE_NAME,
          client: new DynamoDBClient(awsClientConfig),
          ttlSeconds,
        })
      : new MemoryLedgerStore({ ttlSeconds }));
  if (!overrides.ledger && !config.LEDGER_TABLE_NAME) {
    logger.warn(
      "LEDGER_TABLE_NAME is not set: the ledger lives in memory and is lost when this process ends",
    );
  }

  const handler = createSyncHandler({
    groups: client.groups,
    ledger,
    sqs: overrides.sqs ?? new SQSClient(awsClientConfig),
    dlqUrl: config.DLQ_URL,
    sourceQueueUrl: config.SOURCE_QUEUE_URL,
    maxReceiveCount: config.MAX_RECEIVE_COUNT,
    ledgerHorizonMs: ledgerHorizonMs(config.LEDGER_TTL_DAYS),
    maxFutureMs: config.EVENT_MAX_FUTURE_SECONDS * 1000,
    safetyMarginMs: config.DEADLINE_SAFETY_MARGIN_MS,
    telemetry,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  return { handler, client, ledger, logger };
}

function apiKeyFrom(
  config: SyncConfig,
  awsClientConfig: ReturnType<typeof awsClientTimeouts>,
): ApiKeyProvider {
  if (config.VITABLE_CONNECT_API_KEY_SECRET_ARN) {
    return secretsManagerApiKey(
      config.VITABLE_CONNECT_API_KEY_SECRET_ARN,
      new SecretsManagerClient(awsClientConfig),
    );
  }
  return staticApiKey(config.VITABLE_CONNECT_API_KEY as string);
}

function sdkTimeouts(config: SyncConfig): AwsClientTimeouts {
  return {
    connectionTimeoutMs: config.SDK_CONNECTION_TIMEOUT_MS,
    requestTimeoutMs: config.SDK_REQUEST_TIMEOUT_MS,
  };
}

/** Two days less than the ledger TTL, so HR clock skew cannot let an event outlive the watermarks that judge it. */
export function ledgerHorizonMs(ttlDays: number): number {
  return (ttlDays - 2) * 86_400_000;
}
