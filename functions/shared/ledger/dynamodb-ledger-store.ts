import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { getAll, type LedgerTable, putAll } from "./dynamodb-ledger-batches.ts";
import { isConditionFailure, ledgerUnavailable } from "./dynamodb-ledger-errors.ts";
import {
  advanceUpdate,
  aliasKey,
  EVENT_PROJECTION,
  eventIdOfKey,
  eventKey,
  expiresAtOf,
  fieldStatesOf,
  GROUP_AND_EVENTS_PROJECTION,
  groupIdOfKey,
  groupItem,
  groupKey,
  type Item,
  number,
} from "./dynamodb-ledger-items.ts";
import { type FieldChange, requestedChanges } from "./field-states.ts";
import {
  type AdvanceResult,
  type FieldStates,
  type GroupLedgerEntry,
  type LedgerReading,
  type LedgerStore,
  LedgerUnavailableError,
  SYNCED_FIELDS,
  type SyncedField,
} from "./ledger-store.ts";
import {
  DEFAULT_LEDGER_TTL_SECONDS,
  expiresAtSeconds,
  isLive,
  LEDGER_TTL_ATTRIBUTE,
} from "./ledger-table.ts";
import { isNewer } from "./watermark.ts";

export interface DynamoDbLedgerStoreOptions {
  tableName: string;
  client: DynamoDBClient;
  /** Seconds an item lives after its last write; defaults to DEFAULT_LEDGER_TTL_SECONDS. */
  ttlSeconds?: number;
  /** Epoch milliseconds; injectable so tests can move time past the TTL. */
  now?: () => number;
}

/**
 * Each conditional write that fails means another writer moved the group in between, and every writer moves it
 * at most once, so the bound only has to exceed the number of invocations racing on one group.
 */
const MAX_ADVANCE_ATTEMPTS = 25;

/** The ledger in one DynamoDB table (layout in dynamodb-ledger-items.ts). Reads are strongly consistent. */
export class DynamoDbLedgerStore implements LedgerStore {
  private readonly table: LedgerTable;
  private readonly ttlSeconds: number;
  private readonly now: () => number;

  constructor(options: DynamoDbLedgerStoreOptions) {
    this.table = { client: options.client, tableName: options.tableName };
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_LEDGER_TTL_SECONDS;
    this.now = options.now ?? Date.now;
  }

  async getGroup(groupId: string): Promise<GroupLedgerEntry | undefined> {
    const item = await this.liveItem(groupKey(groupId));
    return item && { groupId, fields: fieldStatesOf(item) };
  }

  async findRecordedEvents(eventIds: readonly string[]): Promise<Set<string>> {
    return (await this.readMany(undefined, eventIds)).recorded;
  }

  /**
   * The group item and the event items in one consistent BatchGetItem: the group key rides in the first batch,
   * so a second request is needed only past 99 event ids.
   */
  async load(groupId: string, eventIds: readonly string[]): Promise<LedgerReading> {
    return this.readMany(groupId, eventIds);
  }

  /** Fields first, then event ids: if the second write fails, a retry sees its own watermark, never a false duplicate. */
  async advance(groupId: string, fields: FieldStates, eventIds: readonly string[]): Promise<AdvanceResult> {
    const changes = requestedChanges(fields);
    const result =
      changes.length > 0
        ? await this.advanceFields(groupId, changes)
        : { entry: (await this.getGroup(groupId)) ?? { groupId, fields: {} }, overtaken: [] };
    await this.recordEvents(groupId, eventIds);
    return result;
  }

  async rememberAlias(externalReferenceId: string, groupId: string): Promise<void> {
    const item = { ...aliasKey(externalReferenceId), group_id: { S: groupId }, ...this.ttl() };
    const command = new PutItemCommand({ TableName: this.table.tableName, Item: item });
    await this.call("PutItem", () => this.table.client.send(command));
  }

  async resolveAlias(externalReferenceId: string): Promise<string | undefined> {
    return (await this.liveItem(aliasKey(externalReferenceId)))?.group_id?.S;
  }

  private async advanceFields(groupId: string, requested: readonly FieldChange[]): Promise<AdvanceResult> {
    let pending = requested;
    const overtaken = new Set<SyncedField>();
    for (let attempt = 0; attempt < MAX_ADVANCE_ATTEMPTS; attempt++) {
      const written = await this.tryAdvance(groupId, pending);
      if (written) {
        return { entry: { groupId, fields: fieldStatesOf(written) }, overtaken: inOrder(overtaken) };
      }

      const stored = await this.readItem(groupKey(groupId));
      const storedExpiry = stored && expiresAtOf(stored);
      if (storedExpiry !== undefined && !isLive(storedExpiry, this.now())) {
        // Expired means absent to every reader: replace the item whole so none of its old fields come back.
        const replaced = await this.tryReplaceExpired(groupId, requested, storedExpiry);
        if (replaced) return { entry: { groupId, fields: fieldStatesOf(replaced) }, overtaken: [] };
        continue;
      }
      const current = stored ? fieldStatesOf(stored) : {};
      for (const [field, state] of pending) if (!isNewer(state, current[field])) overtaken.add(field);
      pending = pending.filter(([field]) => !overtaken.has(field));
      if (pending.length === 0) return { entry: { groupId, fields: current }, overtaken: inOrder(overtaken) };
    }
    throw new LedgerUnavailableError(
      `Ledger table "${this.table.tableName}": group ${groupId} kept changing through ` +
        `${MAX_ADVANCE_ATTEMPTS} conditional writes`,
    );
  }

  /** The item after the write, or undefined when the condition failed. */
  private async tryAdvance(groupId: string, changes: readonly FieldChange[]): Promise<Item | undefined> {
    const nowMs = this.now();
    const command = new UpdateItemCommand({
      TableName: this.table.tableName,
      Key: groupKey(groupId),
      ...advanceUpdate(changes, Math.floor(nowMs / 1000), expiresAtSeconds(nowMs, this.ttlSeconds)),
      ReturnValues: "ALL_NEW",
    });
    const output = await this.callUnlessConditionFails("UpdateItem", () => this.table.client.send(command));
    return output && (output.Attributes ?? {});
  }

  private async tryReplaceExpired(
    groupId: string,
    changes: readonly FieldChange[],
    seenExpiry: number,
  ): Promise<Item | undefined> {
    const item = groupItem(groupId, changes, expiresAtSeconds(this.now(), this.ttlSeconds));
    const command = new PutItemCommand({
      TableName: this.table.tableName,
      Item: item,
      // Only the very item judged expired may be replaced; if anyone wrote meanwhile, start over.
      ConditionExpression: "#ttl = :seen",
      ExpressionAttributeNames: { "#ttl": LEDGER_TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ":seen": number(seenExpiry) },
    });
    const output = await this.callUnlessConditionFails("PutItem", () => this.table.client.send(command));
    return output && item;
  }

  private async recordEvents(groupId: string, eventIds: readonly string[]): Promise<void> {
    const recordedAt = { S: new Date(this.now()).toISOString() };
    const ttl = this.ttl();
    const items = [...new Set(eventIds)].map((eventId) => ({
      ...eventKey(eventId),
      group_id: { S: groupId },
      recorded_at: recordedAt,
      ...ttl,
    }));
    await putAll(this.table, items);
  }

  /** Consistent reads of the event items and, given a group id, the group item, ignoring expired ones. */
  private async readMany(groupId: string | undefined, eventIds: readonly string[]): Promise<LedgerReading> {
    // Duplicate keys make DynamoDB refuse the whole batch.
    const keys = [...new Set(eventIds)].map(eventKey);
    if (groupId !== undefined) keys.unshift(groupKey(groupId));
    const projection = groupId === undefined ? EVENT_PROJECTION : GROUP_AND_EVENTS_PROJECTION;
    const items = await getAll(this.table, keys, projection);
    const nowMs = this.now();
    const reading: LedgerReading = { entry: undefined, recorded: new Set() };
    for (const item of items) {
      if (!isLive(expiresAtOf(item), nowMs)) continue;
      const eventId = eventIdOfKey(item);
      if (eventId !== undefined) reading.recorded.add(eventId);
      else if (groupId !== undefined && groupIdOfKey(item) === groupId) {
        reading.entry = { groupId, fields: fieldStatesOf(item) };
      }
    }
    return reading;
  }

  private async liveItem(key: Item): Promise<Item | undefined> {
    const item = await this.readItem(key);
    return item && isLive(expiresAtOf(item), this.now()) ? item : undefined;
  }

  private async readItem(key: Item): Promise<Item | undefined> {
    const command = new GetItemCommand({ TableName: this.table.tableName, Key: key, ConsistentRead: true });
    return (await this.call("GetItem", () => this.table.client.send(command))).Item;
  }

  private ttl(): Item {
    return { [LEDGER_TTL_ATTRIBUTE]: number(expiresAtSeconds(this.now(), this.ttlSeconds)) };
  }

  private async callUnlessConditionFails<T>(
    operation: string,
    run: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw ledgerUnavailable(this.table.tableName, operation, error);
    }
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw ledgerUnavailable(this.table.tableName, operation, error);
    }
  }
}

function inOrder(fields: ReadonlySet<SyncedField>): SyncedField[] {
  return SYNCED_FIELDS.filter((field) => fields.has(field));
}
