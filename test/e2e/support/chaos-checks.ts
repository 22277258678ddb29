import type { SyncedField } from "../../../functions/shared/ledger/ledger-store.ts";
import { type OutcomeLog, outcomeLabel } from "../../../local/outcome-log.ts";
import type { JournalEntry } from "../../../local/vitable-emulator/index.ts";
import { type ChaosPlan, compareEvents, type PlannedEvent } from "./chaos-plan.ts";

const FIELDS: readonly SyncedField[] = ["name", "external_reference_id"];

/** A successful PATCH that wrote a field value older than one the function had already reported applied. */
export interface StaleWrite {
  seq: number;
  groupId: string;
  field: SyncedField;
  wrote: string;
  /** The newer event whose value was applied, and reported so, before this PATCH arrived. */
  after: string;
}

/**
 * Walks the emulator's journal and flags every 200 PATCH that carries, for some field, a value from an older event
 * than one the function had already reported as applied to that field when the PATCH arrived. Values are unique
 * per group and field, so each maps back to the one event that set it.
 *
 * "Reported applied" rather than "answered 200": a PATCH the API applied but whose answer the function never saw
 * (its attempt timed out) leaves no watermark, so an older event may legitimately be sent after it; the newer
 * event is then retried or replayed, and the final-state check holds the pipeline to the right end value.
 */
export function staleWrites(
  journal: readonly JournalEntry[],
  plan: ChaosPlan,
  outcomes: OutcomeLog,
): StaleWrite[] {
  const byEventId = new Map(plan.events.map((planned) => [planned.event.event_id, planned]));
  const setter = new Map<string, PlannedEvent>();
  for (const planned of plan.events) {
    for (const field of FIELDS) {
      const value = planned.event.changes[field];
      if (value !== undefined) setter.set(`${planned.groupId}/${field}/${value}`, planned);
    }
  }
  const applied = new Map<string, Array<{ at: number; planned: PlannedEvent }>>();
  for (const entry of outcomes.entries) {
    const { result, eventId } = entry.report;
    const planned = eventId === undefined ? undefined : byEventId.get(eventId);
    if (result.outcome !== "applied" || !planned) continue;
    for (const field of result.fields) {
      const key = `${planned.groupId}/${field}`;
      applied.set(key, [...(applied.get(key) ?? []), { at: entry.at, planned }]);
    }
  }

  const found: StaleWrite[] = [];
  for (const entry of journal) {
    if (entry.method !== "PATCH" || entry.status !== 200 || entry.groupId === undefined) continue;
    const body = (entry.body ?? {}) as Partial<Record<SyncedField, string>>;
    for (const field of FIELDS) {
      const value = body[field];
      if (value === undefined) continue;
      const key = `${entry.groupId}/${field}`;
      const writer = setter.get(`${key}/${value}`);
      if (!writer) throw new Error(`journal #${entry.seq} wrote a value no planned event carries`);
      const newer = (applied.get(key) ?? []).find(
        (known) => known.at <= entry.at && compareEvents(known.planned, writer) > 0,
      );
      if (newer) {
        found.push({
          seq: entry.seq,
          groupId: entry.groupId,
          field,
          wrote: value,
          after: newer.planned.event.event_id,
        });
      }
    }
  }
  return found;
}

/** Every SQS message id one sent copy travelled under: the original, then one per replay. */
export class CopyTrail {
  readonly #copyOf = new Map<string, number>();
  readonly #trail: string[][] = [];

  addCopy(messageId: string): void {
    this.#copyOf.set(messageId, this.#trail.length);
    this.#trail.push([messageId]);
  }

  /** `from` is any id the copy already travelled under (a DLQ message keeps its origin's id or names it). */
  addHop(from: string, to: string): void {
    const copy = this.#copyOf.get(from);
    if (copy === undefined) throw new Error(`message ${from} belongs to no sent copy`);
    this.#copyOf.set(to, copy);
    this.#trail[copy]?.push(to);
  }

  knows(messageId: string): boolean {
    return this.#copyOf.has(messageId);
  }

  /** The label of the last report of each copy's latest message, or "(none)" when no delivery reached the handler. */
  finalLabels(outcomes: OutcomeLog): string[] {
    return this.#trail.map((ids) => {
      const last = outcomes.lastOf(ids.at(-1) as string);
      return last ? outcomeLabel(last.result) : "(none)";
    });
  }
}
