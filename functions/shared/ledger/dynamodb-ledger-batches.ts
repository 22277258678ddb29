import { setTimeout as sleep } from "node:timers/promises";
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { ledgerUnavailable } from "./dynamodb-ledger-errors.ts";
import type { Item } from "./dynamodb-ledger-items.ts";
import { LedgerUnavailableError } from "./ledger-store.ts";

/** DynamoDB's own per-request limits. */
const WRITE_BATCH_SIZE = 25;
const READ_BATCH_SIZE = 100;

/**
 * Pauses before re-sending what DynamoDB left unprocessed (it does so under throttling). The SDK already retried
 * each request, so a few short pauses suffice; beyond them the ledger counts as unavailable.
 */
export const UNPROCESSED_RETRY_DELAYS_MS = [25, 50, 100, 200, 400] as const;

export interface LedgerTable {
  client: DynamoDBClient;
  tableName: string;
}

export async function putAll(table: LedgerTable, items: readonly Item[]): Promise<void> {
  const { client, tableName } = table;
  for (const batch of chunks(items, WRITE_BATCH_SIZE)) {
    let requests: WriteRequest[] = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await pauseBeforeRetry(table, "BatchWriteItem", attempt, requests.length);
      const command = new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } });
      const output = await call(table, "BatchWriteItem", () => client.send(command));
      requests = output.UnprocessedItems?.[tableName] ?? [];
    }
  }
}

/** Consistent reads of these keys (in batches), returning the items that exist. */
export async function getAll(
  table: LedgerTable,
  keys: readonly Item[],
  projection: Pick<KeysAndAttributes, "ProjectionExpression" | "ExpressionAttributeNames">,
): Promise<Item[]> {
  const { client, tableName } = table;
  const found: Item[] = [];
  for (const batch of chunks(keys, READ_BATCH_SIZE)) {
    let request: KeysAndAttributes | undefined = { Keys: batch, ConsistentRead: true, ...projection };
    for (let attempt = 0; request?.Keys?.length; attempt++) {
      if (attempt > 0) await pauseBeforeRetry(table, "BatchGetItem", attempt, request.Keys.length);
      const command = new BatchGetItemCommand({ RequestItems: { [tableName]: request } });
      const output: BatchGetItemCommandOutput = await call(table, "BatchGetItem", () => client.send(command));
      found.push(...(output.Responses?.[tableName] ?? []));
      request = output.UnprocessedKeys?.[tableName];
    }
  }
  return found;
}

async function call<T>(table: LedgerTable, operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw ledgerUnavailable(table.tableName, operation, error);
  }
}

async function pauseBeforeRetry(table: LedgerTable, operation: string, attempt: number, left: number) {
  const delay = UNPROCESSED_RETRY_DELAYS_MS[attempt - 1];
  if (delay === undefined) {
    throw new LedgerUnavailableError(
      `Ledger table "${table.tableName}" is unavailable: ${operation} left ${left} requests unprocessed ` +
        `after ${attempt} attempts (throttled)`,
    );
  }
  await sleep(delay);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
