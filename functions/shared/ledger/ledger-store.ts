/**
 * The sync ledger remembers, per Vitable group and field, which HR event last set the field (its watermark),
 * which event ids were recently decided, which invocation is writing to the group right now (its lease), and
 * which group an external reference id pointed to.
 * Both the DynamoDB store and the in-memory store implement this and pass one contract suite.
 */

export const SYNCED_FIELDS = ["name", "external_reference_id"] as const;
export type SyncedField = (typeof SYNCED_FIELDS)[number];

/** The HR-clock position of an event: compared by instant, ties broken by event id. */
export interface Watermark {
  /** Canonical UTC instant with nine fraction digits (see canonicalInstant): string order is time order. */
  instant: string;
  eventId: string;
}

/** A field's watermark plus the value that event set. */
export interface FieldState extends Watermark {
  value: string;
}

export type FieldStates = Partial<Record<SyncedField, FieldState>>;

export interface GroupLedgerEntry {
  groupId: string;
  fields: FieldStates;
}

/** What the sync needs before it plans a unit: the group's watermarks and which of the unit's events were seen. */
export interface LedgerReading {
  /** The group's current watermarks, or undefined when nothing (live) was recorded for it. */
  entry: GroupLedgerEntry | undefined;
  /** The subset of the requested event ids that were already recorded. */
  recorded: Set<string>;
}

/**
 * The right to PATCH one Vitable group and then write its ledger item, held by one invocation until it releases
 * it or `until` passes. Opaque to callers beyond these fields: a store keeps what release() needs in `state`.
 */
export interface Lease {
  groupId: string;
  /** Random per acquisition: only the owner's release() can write the item. */
  owner: string;
  /** Epoch milliseconds after which anyone may take the lease over. */
  until: number;
  /** What the store read when it granted the lease; release() builds the next item from it. */
  readonly state: unknown;
}

export type Acquisition =
  | { held: true; lease: Lease; reading: LedgerReading }
  | {
      held: false;
      /** When the current holder's lease runs out, by the holder's clock. */
      heldUntil: number | undefined;
      /**
       * The item as the holder left it, when the store could return it with the refusal (DynamoDB's ALL_OLD).
       * Enough to skip events that are already stale or duplicate: watermarks only move forward.
       */
      reading: LedgerReading | undefined;
    };

/** Bounds every call of a store: a call still pending when the signal aborts fails with LedgerUnavailableError. */
export interface LedgerCallOptions {
  signal?: AbortSignal | undefined;
}

export interface LedgerStore {
  /**
   * Takes the group's lease unless another live lease holds it, and reads what planning needs, in one request:
   * the watermarks and which of `eventIds` were recorded. `until` is the epoch millisecond the lease ends at.
   */
  acquire(
    groupId: string,
    eventIds: readonly string[],
    until: number,
    options?: LedgerCallOptions,
  ): Promise<Acquisition>;
  /**
   * Writes the group's next state and gives the lease up, in one conditional write that holds only while the lease
   * is still ours: each field in `winners` becomes the stored watermark (the holder already checked they are
   * newer), and `eventIds` are recorded as seen. Throws LeaseLostError when the lease was taken over meanwhile.
   */
  release(
    lease: Lease,
    winners: FieldStates,
    eventIds: readonly string[],
    options?: LedgerCallOptions,
  ): Promise<GroupLedgerEntry>;
  /** Remembers that an external reference id pointed to a group, so old events that target it still resolve. */
  rememberAlias(externalReferenceId: string, groupId: string, options?: LedgerCallOptions): Promise<void>;
  /** The group an external reference id last pointed to, as remembered by rememberAlias. */
  resolveAlias(externalReferenceId: string, options?: LedgerCallOptions): Promise<string | undefined>;
}

/** The ledger could not be read or written; the record must be retried, never applied unguarded. */
export class LedgerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LedgerUnavailableError";
  }
}

/**
 * Our lease ran out and another invocation took the group over before we wrote: what we did since acquiring may
 * be out of order with what it does, so the records are retried and judged again.
 */
export class LeaseLostError extends LedgerUnavailableError {
  constructor(groupId: string) {
    super(`the ledger lease on group ${groupId} expired and was taken over before its release`);
    this.name = "LeaseLostError";
  }
}
