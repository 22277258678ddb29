import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { loadSyncConfig, type SyncConfig } from "../../functions/group-sync/config.ts";
import type { GroupRenamedEvent } from "../../functions/shared/contract/group-renamed-event.ts";
import { DEFAULT_SETTINGS } from "../../infra/settings.ts";
import { createFifoQueueWithDlq, type QueuePair, sqsClientFor } from "../../local/sqs/embedded-sqs.ts";
import { DEFAULT_API_KEY } from "../../local/vitable-emulator/index.ts";
import { type Backend, startBackend } from "./backend.ts";
import type { BackendOptions } from "./backend-protocol.ts";
import { benchGroupId, sendEntry } from "./events.ts";

export interface BenchStackOptions extends BackendOptions {
  /** Of the source queue; the deployed stack uses six times the function timeout. */
  visibilityTimeoutSeconds?: number;
}

/**
 * The Vitable emulator and fauxqs (in the backend process) with a FIFO source queue and its DLQ, as the stack
 * deploys them, and an SQS client on this side.
 */
export interface BenchStack {
  backend: Backend;
  sqs: SQSClient;
  /** The current source queue and DLQ; replaced by useFreshQueues(). */
  readonly queues: QueuePair;
  groupIds: string[];
  /** The function's environment as infra/sync-function.ts sets it, pointed at the local stack. */
  environment(overrides?: Record<string, string>): Record<string, string>;
  config(overrides?: Record<string, string>): SyncConfig;
  /** Sends the events to the source queue in batches of 10 (not timed by any scenario). */
  enqueue(events: readonly GroupRenamedEvent[]): Promise<void>;
  /**
   * Switches to a new queue pair. A runner's stop() aborts its long poll on the client side only: fauxqs keeps
   * the poll waiting and hands it the next messages sent, which then stay invisible for the visibility timeout.
   * A repetition that follows a stopped runner must therefore start on fresh queues.
   */
  useFreshQueues(): Promise<void>;
  stop(): Promise<void>;
}

let queueCounter = 0;

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const { visibilityTimeoutSeconds, ...backendOptions } = options;
  const backend = await startBackend(backendOptions);
  const groupIds = Array.from({ length: options.groups }, (_, index) => benchGroupId(index));
  const sqs = sqsClientFor(backend.sqsEndpoint);
  const createQueues = () => {
    queueCounter += 1;
    return createFifoQueueWithDlq(sqs, `bench-${process.pid}-${queueCounter}`, {
      maxReceiveCount: DEFAULT_SETTINGS.maxReceiveCount,
      visibilityTimeoutSeconds: visibilityTimeoutSeconds ?? DEFAULT_SETTINGS.timeoutSeconds * 6,
    });
  };
  let queues = await createQueues();

  const environment = (overrides: Record<string, string> = {}) => ({
    VITABLE_CONNECT_BASE_URL: backend.vitableUrl,
    VITABLE_CONNECT_API_KEY: DEFAULT_API_KEY,
    SOURCE_QUEUE_URL: queues.queueUrl,
    DLQ_URL: queues.dlqUrl,
    MAX_RECEIVE_COUNT: String(DEFAULT_SETTINGS.maxReceiveCount),
    API_CONCURRENCY: String(DEFAULT_SETTINGS.apiConcurrency),
    API_ATTEMPT_TIMEOUT_MS: String(DEFAULT_SETTINGS.apiAttemptTimeoutMs),
    LEDGER_TTL_DAYS: String(DEFAULT_SETTINGS.ledgerTtlDays),
    // Deployed at INFO; silenced here so the table stays readable (the log calls still run).
    LOG_LEVEL: "SILENT",
    ...overrides,
  });

  return {
    backend,
    sqs,
    get queues() {
      return queues;
    },
    groupIds,
    environment,
    config: (overrides) => loadSyncConfig(environment(overrides)),
    enqueue: async (events) => {
      for (let start = 0; start < events.length; start += 10) {
        const entries = events.slice(start, start + 10).map((event, index) => sendEntry(event, index));
        const response = await sqs.send(
          new SendMessageBatchCommand({ QueueUrl: queues.queueUrl, Entries: entries }),
        );
        if (response.Failed?.length) {
          throw new Error(`fauxqs refused ${response.Failed.length} messages: ${response.Failed[0]?.Code}`);
        }
      }
    },
    useFreshQueues: async () => {
      queues = await createQueues();
    },
    stop: async () => {
      sqs.destroy();
      await backend.stop();
    },
  };
}
