import { randomUUID } from "node:crypto";
import { copyFieldStates } from "./field-states.ts";
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
import { DEFAULT_LEDGER_TTL_SECONDS, expiresAtSeconds, isLive } from "./ledger-table.ts";

export interface MemoryLedgerStoreOptions {
  /** Seconds an item lives after its last write; defaults to DEFAULT_LEDGER_TTL_SECONDS, like the table. */
  ttlSeconds?: number;
  /** Epoch milliseconds; injectable so tests can move time past the TTL or a lease's end. */
  now?: () => number;
}

interface GroupRecord {
  state: GroupState;
  lease: { owner: string; until: number } | undefined;
  /** Undefined while only a lease was ever written: such an item holds nothing that can go stale. */
  expiresAt: number | undefined;
}
interface AliasRecord {
  groupId: string;
  expiresAt: number;
}

/**
 * The ledger in process memory, for local runs and tests. It mirrors the DynamoDB store item for item (TTL,
 * leases, the bounded memory of event ids), so both pass the same contract. Each method runs without awaiting in
 * between, which makes it atomic the way one conditional write is.
 */
export class MemoryLedgerStore implements LedgerStore {
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  private readonly groups = new Map<string, GroupRecord>();
  private readonly aliases = new Map<string, AliasRecord>();

  constructor(options: MemoryLedgerStoreOptions = {}) {
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_LEDGER_TTL_SECONDS;
    this.now = options.now ?? Date.now;
  }

  async acquire(
    groupId: string,
    eventIds: readonly string[],
    until: number,
    options?: LedgerCallOptions,
  ): Promise<Acquisition> {
    checkSignal(options);
    const nowMs = this.now();
    const record = this.groups.get(groupId);
    const state = this.liveState(record, nowMs);
    if (record?.lease && record.lease.until >= nowMs) {
      return { held: false, heldUntil: record.lease.until, reading: readingOf(groupId, state, eventIds) };
    }
    const owner = randomUUID();
    this.groups.set(groupId, {
      state: record?.state ?? EMPTY_GROUP_STATE,
      lease: { owner, until },
      expiresAt: record ? record.expiresAt : undefined,
    });
    const lease: Lease = { groupId, owner, until, state };
    return { held: true, lease, reading: readingOf(groupId, state, eventIds) };
  }

  async release(
    lease: Lease,
    winners: FieldStates,
    eventIds: readonly string[],
    options?: LedgerCallOptions,
  ): Promise<GroupLedgerEntry> {
    checkSignal(options);
    const record = this.groups.get(lease.groupId);
    if (record?.lease?.owner !== lease.owner) throw new LeaseLostError(lease.groupId);
    const nowMs = this.now();
    const next = nextGroupState(lease.state as GroupState, winners, eventIds, nowMs, this.ttlSeconds);
    if (isEmptyState(next)) this.groups.delete(lease.groupId);
    else this.groups.set(lease.groupId, { state: next, lease: undefined, expiresAt: this.expiresAt() });
    return { groupId: lease.groupId, fields: copyFieldStates(next.fields) };
  }

  async rememberAlias(externalReferenceId: string, groupId: string, options?: LedgerCallOptions) {
    checkSignal(options);
    this.aliases.set(externalReferenceId, { groupId, expiresAt: this.expiresAt() });
  }

  async resolveAlias(externalReferenceId: string, options?: LedgerCallOptions) {
    checkSignal(options);
    const alias = this.aliases.get(externalReferenceId);
    if (alias === undefined || isLive(alias.expiresAt, this.now())) return alias?.groupId;
    this.aliases.delete(externalReferenceId);
    return undefined;
  }

  /** The held state unless the item expired: an expired item counts as absent, as DynamoDB readers treat it. */
  private liveState(record: GroupRecord | undefined, nowMs: number): GroupState {
    if (record === undefined || !isLive(record.expiresAt, nowMs)) return EMPTY_GROUP_STATE;
    return record.state;
  }

  private expiresAt(): number {
    return expiresAtSeconds(this.now(), this.ttlSeconds);
  }
}

/** A store call after its deadline fails as the table's would, so both stores behave alike under time pressure. */
function checkSignal(options: LedgerCallOptions | undefined): void {
  if (options?.signal?.aborted) {
    throw new LedgerUnavailableError("the ledger call was not started: the invocation's deadline has passed");
  }
}
