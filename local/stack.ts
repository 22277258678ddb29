import { Logger } from "@aws-lambda-powertools/logger";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { loadSyncConfig } from "../functions/group-sync/config.ts";
import { createSyncRuntime } from "../functions/group-sync/create-runtime.ts";
import { MemoryLedgerStore } from "../functions/shared/ledger/memory-ledger-store.ts";
import { OutcomeLog } from "./outcome-log.ts";
import { containerPool } from "./runner/container-pool.ts";
import {
  type BatchHandler,
  type EventSourceRunner,
  startEventSourceRunner,
} from "./runner/event-source-runner.ts";
import { createFifoQueueWithDlq, type EmbeddedSqs, startEmbeddedSqs } from "./sqs/embedded-sqs.ts";
import { type RunnerSettings, resolveRunnerSettings, syncTuningFor } from "./stack-settings.ts";
import { type StackWebhook, startStackWebhook } from "./stack-webhook.ts";
import {
  DEFAULT_API_KEY,
  type FaultConfig,
  type GroupSeed,
  type RunningVitableEmulator,
  sampleGroups,
  startVitableEmulator,
} from "./vitable-emulator/index.ts";
import { chooseVitableTarget } from "./vitable-target.ts";

export interface LocalStackOptions extends Partial<RunnerSettings> {
  /** Fixed ports; each defaults to 0 (any free port). */
  ports?: { sqs?: number; vitable?: number; webhook?: number };
  /**
   * Read only for VITABLE_CONNECT_BASE_URL and VITABLE_CONNECT_API_KEY (with both set, the real API is used instead
   * of the emulator) and WEBHOOK_SECRET. Default `{}`, so a test never picks up a developer's credentials.
   */
  env?: Record<string, string | undefined>;
  /** Emulator seed groups (default: sampleGroups()). */
  groups?: GroupSeed[];
  faults?: FaultConfig;
  /** Name of the source queue (without `.fifo`); its DLQ gets `-dlq.fifo`. */
  queueName?: string;
  /** More sync function configuration (e.g. API_MAX_ATTEMPTS), over the stack's own. */
  syncEnv?: Record<string, string>;
  /** Wraps the sync handler before the runner drives it (tests use it to inject crashes). */
  wrapHandler?: (handler: BatchHandler) => BatchHandler;
  /** Also serve the webhook endpoint, signed with WEBHOOK_SECRET from `env` or LOCAL_WEBHOOK_SECRET. */
  webhook?: boolean;
  /**
   * "one" (default): every invocation runs in one sync runtime, like one warm container. "per-invocation": each
   * concurrent invocation gets a container of its own (own API client, caches, limiter), as Lambda runs them;
   * they share only the ledger and the queues.
   */
  containers?: "one" | "per-invocation";
}

export interface LocalStack {
  /** Sync containers created so far (see LocalStackOptions.containers). */
  containersStarted(): number;
  sqsEndpoint: string;
  /** A client for the embedded SQS. */
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  dlqArn: string;
  vitableUrl: string;
  usingRealVitable: boolean;
  /** Set when the emulator is used and one of the Vitable variables was set alone. */
  vitableWarning: string | undefined;
  settings: RunnerSettings;
  runner: EventSourceRunner;
  emulator: RunningVitableEmulator | undefined;
  ledger: MemoryLedgerStore;
  outcomes: OutcomeLog;
  /** Set when the webhook endpoint runs. */
  webhook: Omit<StackWebhook, "stop"> | undefined;
  /** Resolves once the source queue is empty and no invocation runs. */
  whenIdle(): Promise<void>;
  /** Stops the runner (letting running invocations finish), then every server. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The whole pipeline on embedded parts: fauxqs with a FIFO queue and DLQ, the Vitable emulator (or the real API),
 * an in-memory ledger, and the real sync handler driven by the local event-source runner. `npm start` and the
 * end-to-end tests both run on this.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const target = chooseVitableTarget(options.env ?? {});
  const settings = resolveRunnerSettings(target.kind, options);
  const cleanup: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    const errors: unknown[] = [];
    for (const stop of cleanup.splice(0).reverse())
      await stop().catch((error: unknown) => errors.push(error));
    if (errors.length > 0)
      throw new AggregateError(errors, "some parts of the local stack did not stop cleanly");
  };
  try {
    const sqs: EmbeddedSqs = await startEmbeddedSqs({ port: options.ports?.sqs ?? 0 });
    cleanup.push(() => sqs.stop());
    const queues = await createFifoQueueWithDlq(sqs.client, options.queueName ?? "group-sync", {
      maxReceiveCount: settings.maxReceiveCount,
      visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
    });

    let emulator: RunningVitableEmulator | undefined;
    if (target.kind === "emulator") {
      emulator = await startVitableEmulator({
        port: options.ports?.vitable ?? 0,
        groups: options.groups ?? sampleGroups(),
        faults: options.faults,
      });
      cleanup.push(() => (emulator as RunningVitableEmulator).stop());
    }
    const vitableUrl = target.kind === "real" ? target.baseUrl : (emulator as RunningVitableEmulator).url;

    const config = loadSyncConfig({
      ...syncTuningFor(settings),
      ...options.syncEnv,
      VITABLE_CONNECT_BASE_URL: vitableUrl,
      VITABLE_CONNECT_API_KEY: target.kind === "real" ? target.apiKey : DEFAULT_API_KEY,
      DLQ_URL: queues.dlqUrl,
      SOURCE_QUEUE_URL: queues.queueUrl,
    });
    const outcomes = new OutcomeLog();
    const ledger = new MemoryLedgerStore();
    const logger = new Logger({ serviceName: "vitable-group-sync-local", logLevel: config.LOG_LEVEL });
    const newContainer = () =>
      createSyncRuntime(config, { ledger, sqs: sqs.client, logger, telemetry: outcomes.telemetry() }).handler;
    const pool = options.containers === "per-invocation" ? containerPool(newContainer) : undefined;
    const syncHandler = pool ? pool.handler : newContainer();
    const handler = options.wrapHandler ? options.wrapHandler(syncHandler) : syncHandler;
    const runner = startEventSourceRunner({
      sqs: sqs.client,
      queueUrl: queues.queueUrl,
      queueArn: queues.queueArn,
      handler,
      batchSize: settings.batchSize,
      maxConcurrency: settings.maxConcurrency,
      functionTimeoutMs: settings.functionTimeoutMs,
    });
    cleanup.push(() => runner.stop());

    let webhook: StackWebhook | undefined;
    if (options.webhook) {
      webhook = await startStackWebhook({
        port: options.ports?.webhook ?? 0,
        sqs: sqs.client,
        queueUrl: queues.queueUrl,
        secret: options.env?.WEBHOOK_SECRET,
      });
      cleanup.push(() => (webhook as StackWebhook).stop());
    }

    let stopping: Promise<void> | undefined;
    return {
      sqsEndpoint: sqs.endpoint,
      sqs: sqs.client,
      ...queues,
      vitableUrl,
      usingRealVitable: target.kind === "real",
      vitableWarning: target.kind === "emulator" ? target.warning : undefined,
      settings,
      runner,
      emulator,
      ledger,
      outcomes,
      webhook: webhook && { url: webhook.url, secretSource: webhook.secretSource },
      containersStarted: () => pool?.size ?? 1,
      whenIdle: () => runner.whenIdle(),
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll().catch(() => {});
    throw error;
  }
}
