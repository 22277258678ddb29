import { randomUUID } from "node:crypto";
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { isConditionFailure, ledgerUnavailable } from "./dynamodb-ledger-errors.ts";
import {
  acquireUpdate,
  aliasKey,
  expiresAtOf,
  groupItem,
  groupKey,
  groupStateOf,
  heldBy,
  type Item,
  leaseUntilOf,
  number,
} from "./dynamodb-ledger-items.ts";
import {
  EMPTY_GROUP_STATE,
  type GroupState,
  isEmptyState,
  nextGroupState,
  readingOf,
} from "./group-state.ts";
import {
  type Acquisition,
  type FieldStates,
  type GroupLedgerEntry,
  type Lease,
  LeaseLostError,
  type LedgerCallOptions,
  type LedgerStore,
  LedgerUnavailableError,
} from "./ledger-store.ts";
import {
  DEFAULT_LEDGER_TTL_SECONDS,
  expiresAtSeconds,
  isLive,
  LEDGER_TTL_ATTRIBUTE,
} from "./ledger-table.ts";

export interface DynamoDbLedgerStoreOptions {
  tableName: string;
  client: DynamoDBClient;
  /** Seconds an item lives after its last write; defaults to DEFAULT_LEDGER_TTL_SECONDS. */
  ttlSeconds?: number;
  /** Epoch milliseconds; injectable so tests can move time past the TTL or a lease's end. */
  now?: () => number;
}

/**
 * The ledger in one DynamoDB table (layout in dynamodb-ledger-items.ts). A unit costs two requests: the UpdateItem
 * that takes the lease returns the item (watermarks and recent event ids) with it, and one conditional PutItem
 * writes the next state and drops the lease together.
 */
export class DynamoDbLedgerStore implements LedgerStore {
  private readonly tableName: string;
  private readonly client: DynamoDBClient;
  private readonly ttlSeconds: number;
  private readonly now: () => number;

  constructor(options: DynamoDbLedgerStoreOptions) {
    this.tableName = options.tableName;
    this.client = options.client;
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_LEDGER_TTL_SECONDS;
    this.now = options.now ?? Date.now;
  }

  async acquire(
    groupId: string,
    eventIds: readonly string[],
    until: number,
    options?: LedgerCallOptions,
  ): Promise<Acquisition> {
    const owner = randomUUID();
    const nowMs = this.now();
    const command = new UpdateItemCommand({
      TableName: this.tableName,
      Key: groupKey(groupId),
      ...acquireUpdate(owner, until, nowMs, this.expiresAt()),
      ReturnValues: "ALL_NEW",
      // The refusal carries the holder's item, so stale and duplicate events need no second read to be skipped.
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
    try {
      const output = await this.send("UpdateItem", options, (abortSignal) =>
        this.client.send(command, { abortSignal }),
      );
      const state = this.liveState(output.Attributes ?? {}, nowMs);
      return {
        held: true,
        lease: { groupId, owner, until, state },
        reading: readingOf(groupId, state, eventIds),
      };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = (error as { Item?: Item }).Item;
      return {
        held: false,
        heldUntil: old && leaseUntilOf(old),
        reading: old && readingOf(groupId, this.liveState(old, nowMs), eventIds),
      };
    }
  }

  async release(
    lease: Lease,
    winners: FieldStates,
    eventIds: readonly string[],
    options?: LedgerCallOptions,
  ): Promise<GroupLedgerEntry> {
    const nowMs = this.now();
    const next = nextGroupState(lease.state as GroupState, winners, eventIds, nowMs, this.ttlSeconds);
    const condition = heldBy(lease.owner);
    try {
      if (isEmptyState(next)) {
        const command = new DeleteItemCommand({
          TableName: this.tableName,
          Key: groupKey(lease.groupId),
          ...condition,
        });
        await this.send("DeleteItem", options, (abortSignal) => this.client.send(command, { abortSignal }));
      } else {
        const command = new PutItemCommand({
          TableName: this.tableName,
          Item: groupItem(lease.groupId, next, this.expiresAt()),
          ...condition,
        });
        await this.send("PutItem", options, (abortSignal) => this.client.send(command, { abortSignal }));
      }
    } catch (error) {
      if (isConditionFailure(error)) throw new LeaseLostError(lease.groupId);
      throw error;
    }
    return { groupId: lease.groupId, fields: next.fields };
  }

  async rememberAlias(externalReferenceId: string, groupId: string, options?: LedgerCallOptions) {
    const item = {
      ...aliasKey(externalReferenceId),
      group_id: { S: groupId },
      [LEDGER_TTL_ATTRIBUTE]: number(this.expiresAt()),
    };
    const command = new PutItemCommand({ TableName: this.tableName, Item: item });
    await this.send("PutItem", options, (abortSignal) => this.client.send(command, { abortSignal }));
  }

  async resolveAlias(externalReferenceId: string, options?: LedgerCallOptions) {
    const command = new GetItemCommand({
      TableName: this.tableName,
      Key: aliasKey(externalReferenceId),
      ConsistentRead: true,
    });
    const { Item: item } = await this.send("GetItem", options, (abortSignal) =>
      this.client.send(command, { abortSignal }),
    );
    return item && isLive(expiresAtOf(item), this.now()) ? item.group_id?.S : undefined;
  }

  /** Expired means absent to every reader, even before DynamoDB gets round to deleting the item. */
  private liveState(item: Item, nowMs: number): GroupState {
    return isLive(expiresAtOf(item), nowMs) ? groupStateOf(item) : EMPTY_GROUP_STATE;
  }

  private expiresAt(): number {
    return expiresAtSeconds(this.now(), this.ttlSeconds);
  }

  /**
   * Sends one request bounded by the caller's signal. A condition failure is passed through for the caller to
   * read; anything else means the ledger is unavailable and the record is retried.
   */
  private async send<Output>(
    operation: string,
    options: LedgerCallOptions | undefined,
    run: (abortSignal: AbortSignal | undefined) => Promise<Output>,
  ): Promise<Output> {
    const signal = options?.signal;
    if (signal?.aborted) {
      throw new LedgerUnavailableError(
        `Ledger table "${this.tableName}": ${operation} was not started, the invocation's deadline has passed`,
      );
    }
    try {
      return await run(signal);
    } catch (error) {
      if (isConditionFailure(error)) throw error;
      throw ledgerUnavailable(this.tableName, operation, error);
    }
  }
}
