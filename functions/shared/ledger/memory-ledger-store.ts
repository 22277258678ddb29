import { copyFieldStates, requestedChanges } from "./field-states.ts";
import type {
  AdvanceResult,
  FieldStates,
  GroupLedgerEntry,
  LedgerReading,
  LedgerStore,
  SyncedField,
} from "./ledger-store.ts";
import { DEFAULT_LEDGER_TTL_SECONDS, expiresAtSeconds, isLive } from "./ledger-table.ts";
import { isNewer } from "./watermark.ts";

export interface MemoryLedgerStoreOptions {
  /** Seconds an item lives after its last write; defaults to DEFAULT_LEDGER_TTL_SECONDS, like the table. */
  ttlSeconds?: number;
  /** Epoch milliseconds; injectable so tests can move time past the TTL. */
  now?: () => number;
}

interface Expiring {
  expiresAt: number;
}
interface GroupRecord extends Expiring {
  fields: FieldStates;
}
interface EventRecord extends Expiring {
  groupId: string;
  recordedAt: string;
}
interface AliasRecord extends Expiring {
  groupId: string;
}

/**
 * The ledger in process memory, for local runs and tests. It mirrors the DynamoDB store item for item, TTL
 * included, so both pass the same contract. Each method runs without awaiting in between, which makes every
 * advance() atomic the way a conditional write is.
 */
export class MemoryLedgerStore implements LedgerStore {
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  private readonly groups = new Map<string, GroupRecord>();
  private readonly events = new Map<string, EventRecord>();
  private readonly aliases = new Map<string, AliasRecord>();

  constructor(options: MemoryLedgerStoreOptions = {}) {
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_LEDGER_TTL_SECONDS;
    this.now = options.now ?? Date.now;
  }

  async getGroup(groupId: string): Promise<GroupLedgerEntry | undefined> {
    return this.entryOf(groupId);
  }

  async findRecordedEvents(eventIds: readonly string[]): Promise<Set<string>> {
    return this.recordedAmong(eventIds);
  }

  async load(groupId: string, eventIds: readonly string[]): Promise<LedgerReading> {
    return { entry: this.entryOf(groupId), recorded: this.recordedAmong(eventIds) };
  }

  async advance(groupId: string, fields: FieldStates, eventIds: readonly string[]): Promise<AdvanceResult> {
    const changes = requestedChanges(fields);
    const stored = copyFieldStates(this.live(this.groups, groupId)?.fields ?? {});
    const overtaken: SyncedField[] = [];
    let moved = false;
    for (const [field, state] of changes) {
      if (isNewer(state, stored[field])) {
        stored[field] = state;
        moved = true;
      } else {
        overtaken.push(field);
      }
    }
    if (moved) this.groups.set(groupId, { fields: stored, expiresAt: this.expiresAt() });
    this.recordEvents(groupId, eventIds);
    return { entry: { groupId, fields: copyFieldStates(stored) }, overtaken };
  }

  async rememberAlias(externalReferenceId: string, groupId: string): Promise<void> {
    this.aliases.set(externalReferenceId, { groupId, expiresAt: this.expiresAt() });
  }

  async resolveAlias(externalReferenceId: string): Promise<string | undefined> {
    return this.live(this.aliases, externalReferenceId)?.groupId;
  }

  private entryOf(groupId: string): GroupLedgerEntry | undefined {
    const record = this.live(this.groups, groupId);
    return record && { groupId, fields: copyFieldStates(record.fields) };
  }

  private recordedAmong(eventIds: readonly string[]): Set<string> {
    return new Set(eventIds.filter((eventId) => this.live(this.events, eventId) !== undefined));
  }

  private recordEvents(groupId: string, eventIds: readonly string[]): void {
    const recordedAt = new Date(this.now()).toISOString();
    const expiresAt = this.expiresAt();
    for (const eventId of eventIds) this.events.set(eventId, { groupId, recordedAt, expiresAt });
  }

  /** The record under `key` unless it expired; expired records are dropped on sight. */
  private live<T extends Expiring>(records: Map<string, T>, key: string): T | undefined {
    const record = records.get(key);
    if (record === undefined || isLive(record.expiresAt, this.now())) return record;
    records.delete(key);
    return undefined;
  }

  private expiresAt(): number {
    return expiresAtSeconds(this.now(), this.ttlSeconds);
  }
}
