/**
 * The sync ledger remembers, per Vitable group and field, which HR event last set the field (its watermark),
 * which event ids were already seen, and which group an external reference id pointed to.
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

export interface AdvanceResult {
  /** The entry as stored after the write. */
  entry: GroupLedgerEntry;
  /** Fields the write left alone because an equal or newer watermark was already stored. */
  overtaken: SyncedField[];
}

/**
 * What the sync needs before it plans a unit: the group's watermarks and which of the unit's events were seen.
 * Each item is read strongly consistently, but the items are not one atomic snapshot, no more than two separate
 * reads would be; the conditional write in advance() is what guards against concurrent writers.
 */
export interface LedgerReading {
  /** The group's current watermarks, or undefined when nothing (live) was recorded for it. */
  entry: GroupLedgerEntry | undefined;
  /** The subset of the requested event ids that were already recorded. */
  recorded: Set<string>;
}

export interface LedgerStore {
  /** getGroup and findRecordedEvents at once, in a single request where the store can (see LedgerReading). */
  load(groupId: string, eventIds: readonly string[]): Promise<LedgerReading>;
  /** Current watermarks of a group, or undefined when nothing was recorded for it. */
  getGroup(groupId: string): Promise<GroupLedgerEntry | undefined>;
  /** The subset of these event ids that were already recorded. */
  findRecordedEvents(eventIds: readonly string[]): Promise<Set<string>>;
  /**
   * Moves each given field's watermark forward with a conditional write: a field whose stored watermark is
   * equal or newer is left alone (and reported in `overtaken`). Records `eventIds` as seen.
   */
  advance(groupId: string, fields: FieldStates, eventIds: readonly string[]): Promise<AdvanceResult>;
  /** Remembers that an external reference id pointed to a group, so old events that target it still resolve. */
  rememberAlias(externalReferenceId: string, groupId: string): Promise<void>;
  /** The group an external reference id last pointed to, as remembered by rememberAlias. */
  resolveAlias(externalReferenceId: string): Promise<string | undefined>;
}

/** The ledger could not be read or written; the record must be retried, never applied unguarded. */
export class LedgerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LedgerUnavailableError";
  }
}
