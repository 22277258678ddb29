import { createSyncRuntime } from "../../functions/group-sync/create-runtime.ts";
import type { LedgerStore } from "../../functions/shared/ledger/ledger-store.ts";
import { MemoryLedgerStore } from "../../functions/shared/ledger/memory-ledger-store.ts";
import type { VitableClient } from "../../functions/shared/vitable/client.ts";
import type { BatchHandler } from "../../local/runner/event-source-runner.ts";
import {
  createPowertoolsReferenceHandler,
  createSequentialHandler,
} from "../reference/powertools-handler.ts";
import type { BenchStack } from "./stack.ts";

/**
 * Our handler wired exactly as the Lambda entry wires it (createSyncRuntime: real client, Powertools telemetry),
 * with the SQS client of fauxqs and an in-memory ledger standing in for the DynamoDB table.
 */
export function ourHandler(
  stack: BenchStack,
  options: { ledger?: LedgerStore; environment?: Record<string, string> } = {},
): BatchHandler {
  return createSyncRuntime(stack.config(options.environment), {
    ledger: options.ledger ?? new MemoryLedgerStore(),
    sqs: stack.sqs,
  }).handler;
}

/** A client configured exactly as our handler's (same config, same builder), for the yardsticks. */
export function benchClient(stack: BenchStack, environment?: Record<string, string>): VitableClient {
  return createSyncRuntime(stack.config(environment), { ledger: new MemoryLedgerStore(), sqs: stack.sqs })
    .client;
}

export function powertoolsHandler(stack: BenchStack): BatchHandler {
  return createPowertoolsReferenceHandler(benchClient(stack).groups);
}

export function sequentialHandler(stack: BenchStack): BatchHandler {
  return createSequentialHandler(benchClient(stack).groups);
}

/**
 * Not a usable handler (no validation, no ordering, no ledger): every record's PATCH sent at once through a client
 * allowed `concurrency` requests, the floor that any handler on this client and machine can reach.
 */
export function allAtOnceHandler(stack: BenchStack, concurrency: number): BatchHandler {
  const { groups } = benchClient(stack, { API_CONCURRENCY: String(concurrency) });
  return async (event) => {
    await Promise.all(
      event.Records.map((record) => {
        const body = JSON.parse(record.body) as { group: { id: string }; changes: { name: string } };
        return groups.update(body.group.id, { name: body.changes.name });
      }),
    );
    return { batchItemFailures: [] };
  };
}
