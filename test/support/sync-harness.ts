import type { Message } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import {
  createSyncHandler,
  type SyncDeps,
  type SyncHandler,
} from "../../functions/group-sync/create-sync-handler.ts";
import type { RecordReport } from "../../functions/group-sync/outcome.ts";
import type { LedgerStore } from "../../functions/shared/ledger/ledger-store.ts";
import { MemoryLedgerStore } from "../../functions/shared/ledger/memory-ledger-store.ts";
import { staticApiKey } from "../../functions/shared/vitable/api-key.ts";
import { VitableClient, type VitableClientOptions } from "../../functions/shared/vitable/client.ts";
import {
  createFifoQueueWithDlq,
  type EmbeddedSqs,
  type QueuePair,
  startEmbeddedSqs,
} from "../../local/sqs/embedded-sqs.ts";
import {
  DEFAULT_API_KEY,
  type GroupSeed,
  type RunningVitableEmulator,
  startVitableEmulator,
} from "../../local/vitable-emulator/index.ts";
import type { FaultConfig } from "../../local/vitable-emulator/types.ts";
import { drainQueue } from "./drain-queue.ts";
import { makeContext } from "./events.ts";

export interface SyncHarness {
  emulator: RunningVitableEmulator;
  sqs: EmbeddedSqs;
  queues: QueuePair;
  client: VitableClient;
  ledger: LedgerStore;
  handler: SyncHandler;
  /** Every record report, in the order the handler produced them. */
  reports: RecordReport[];
  warnings: string[];
  /** A second handler on the same parts, e.g. for another source queue. */
  handlerFor(overrides: Partial<SyncDeps>): SyncHandler;
  /** Runs one batch with a context that has `remainingMs` left. */
  run(records: SQSRecord[], remainingMs?: number): ReturnType<SyncHandler>;
  reportFor(messageId: string): RecordReport | undefined;
  /** Reads and deletes everything in the DLQ. */
  drainDlq(): Promise<Message[]>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  groups?: GroupSeed[];
  faults?: FaultConfig;
  maxReceiveCount?: number;
  client?: Partial<VitableClientOptions>;
  ledger?: LedgerStore;
  dlqUrl?: string;
  safetyMarginMs?: number;
  ledgerHorizonMs?: number;
  maxFutureMs?: number;
}

let queueCounter = 0;

/** The real sync handler wired to the Vitable emulator over HTTP and fauxqs over the SQS wire protocol. */
export async function startSyncHarness(options: HarnessOptions = {}): Promise<SyncHarness> {
  const emulator = await startVitableEmulator({ groups: options.groups ?? [], faults: options.faults });
  const sqs = await startEmbeddedSqs();
  queueCounter += 1;
  const queues = await createFifoQueueWithDlq(sqs.client, `harness-${process.pid}-${queueCounter}`, {
    maxReceiveCount: options.maxReceiveCount ?? 5,
  });
  const client = new VitableClient({
    baseUrl: emulator.url,
    apiKey: staticApiKey(DEFAULT_API_KEY),
    attemptTimeoutMs: 2_000,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    ...options.client,
  });
  const ledger = options.ledger ?? new MemoryLedgerStore();
  const reports: RecordReport[] = [];
  const warnings: string[] = [];
  const deps: SyncDeps = {
    groups: client.groups,
    ledger,
    sqs: sqs.client,
    dlqUrl: options.dlqUrl ?? queues.dlqUrl,
    sourceQueueUrl: queues.queueUrl,
    maxReceiveCount: options.maxReceiveCount ?? 5,
    ledgerHorizonMs: options.ledgerHorizonMs ?? 10 * 365 * 86_400_000,
    // Test events carry fixed dates on either side of today; the future bound has its own tests.
    maxFutureMs: options.maxFutureMs ?? 10 * 365 * 86_400_000,
    safetyMarginMs: options.safetyMarginMs ?? 500,
    telemetry: {
      recordProcessed: (report) => reports.push(report),
      warn: (message) => warnings.push(message),
      flush: () => {},
    },
  };
  const handler = createSyncHandler(deps);
  return {
    emulator,
    sqs,
    queues,
    client,
    ledger,
    handler,
    reports,
    warnings,
    handlerFor: (overrides) => createSyncHandler({ ...deps, ...overrides }),
    run: (records, remainingMs = 60_000) => handler(toEvent(records), makeContext(remainingMs)),
    reportFor: (messageId) => reports.findLast((report) => report.messageId === messageId),
    drainDlq: () => drainQueue(sqs.client, queues.dlqUrl),
    stop: async () => {
      await Promise.all([emulator.stop(), sqs.stop()]);
    },
  };
}

export function toEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}
