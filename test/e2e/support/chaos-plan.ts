import { messageGroupIdFor } from "../../../functions/shared/contract/fifo-ids.ts";
import type { GroupRenamedEvent } from "../../../functions/shared/contract/group-renamed-event.ts";
import type { SyncedField } from "../../../functions/shared/ledger/ledger-store.ts";
import { canonicalInstant } from "../../../functions/shared/time/canonical-instant.ts";
import type { OutgoingMessage } from "../../../local/send-messages.ts";
import type { GroupSeed } from "../../../local/vitable-emulator/index.ts";

export interface ChaosShape {
  groups: number;
  eventsPerGroup: number;
  /** Share of the groups whose events all target them by external reference id instead of Vitable id. */
  byExternalIdShare: number;
  /** Chance that an event is sent a second time (with its own deduplication id, so SQS delivers it). */
  duplicateRate: number;
  /** How far (in positions) an event may move from its place in occurred_at order when sent. */
  disorder: number;
  /** Groups whose run opens with an invalid event (distinct groups, at most `groups`). */
  invalidEvents: number;
}

/** A valid event and where it stands on its group's HR clock. */
export interface PlannedEvent {
  event: GroupRenamedEvent;
  groupId: string;
  /** canonicalInstant(occurred_at), for ordering like the ledger does. */
  instant: string;
}

export interface PlannedSend extends OutgoingMessage {
  eventId: string;
  valid: boolean;
}

export interface ChaosPlan {
  seeds: GroupSeed[];
  events: PlannedEvent[];
  /** Every message, in the order it is sent: valid events (some twice, out of order) and the invalid ones. */
  sends: PlannedSend[];
  invalidEventIds: Set<string>;
}

const BASE_TIME = Date.parse("2026-03-01T00:00:00Z");

/**
 * Builds the chaos test's events from a seeded random source: per group, a run of renames (names only, external
 * reference ids only, or both), sent shuffled within a small window, with some sent twice; some groups' runs open
 * with an invalid event. External reference ids are unique (`g{n}-ref-{k}`), so no rename collides with another
 * group's id.
 */
export function buildChaosPlan(random: () => number, shape: ChaosShape): ChaosPlan {
  const seeds: GroupSeed[] = [];
  const events: PlannedEvent[] = [];
  const perGroupSends: PlannedSend[][] = [];
  for (let n = 0; n < shape.groups; n++) {
    const groupId = `grp_chaos${String(n).padStart(17, "0")}`;
    seeds.push({ id: groupId, name: `Group ${n}`, external_reference_id: `g${n}-ref-0` });
    const target =
      random() < shape.byExternalIdShare ? { external_reference_id: `g${n}-ref-0` } : { id: groupId };
    const groupEvents = Array.from({ length: shape.eventsPerGroup }, (_, index) => {
      const k = index + 1;
      const occurredAt = new Date(BASE_TIME + n * 60_000 + k * 1_000).toISOString();
      const event: GroupRenamedEvent = {
        schema_version: 1,
        type: "group.renamed",
        event_id: `chaos-g${n}-e${k}`,
        occurred_at: occurredAt,
        group: target,
        changes: changesFor(random(), n, k),
      };
      return { event, groupId, instant: canonicalInstant(occurredAt) as string };
    });
    events.push(...groupEvents);
    const order = groupEvents
      .map((planned, index) => ({ planned, key: index + random() * shape.disorder }))
      .sort((a, b) => a.key - b.key)
      .map(({ planned }) => planned);
    const keyed: Array<{ key: number; message: PlannedSend }> = [];
    order.forEach((planned, position) => {
      keyed.push({ key: position, message: send(planned.event, 0, true) });
      if (random() < shape.duplicateRate) {
        // Somewhere after the original: right behind it, or well after it.
        const key = position + 0.5 + random() * (shape.eventsPerGroup / 2);
        keyed.push({ key, message: send(planned.event, 1, true) });
      }
    });
    perGroupSends.push(keyed.sort((a, b) => a.key - b.key).map(({ message }) => message));
  }

  // First in its group's message group: FIFO order puts it in the DLQ ahead of every later failure of its group,
  // so a replay reaches those only by getting past a message it must keep.
  const invalidEventIds = new Set<string>();
  const opened = shuffled(
    perGroupSends.map((_, n) => n),
    random,
  ).slice(0, shape.invalidEvents);
  opened.forEach((n, i) => {
    const template = events[n * shape.eventsPerGroup] as PlannedEvent;
    const invalid = { ...template.event, event_id: `chaos-invalid-${i}`, changes: { name: "   " } };
    invalidEventIds.add(invalid.event_id);
    perGroupSends[n]?.unshift(send(invalid, 0, false));
  });
  const sends = interleave(perGroupSends, random);
  return { seeds, events, sends, invalidEventIds };
}

function changesFor(roll: number, n: number, k: number): GroupRenamedEvent["changes"] {
  const name = `g${n} name ${k}`;
  const ref = `g${n}-ref-${k}`;
  if (roll < 0.6) return { name };
  if (roll < 0.75) return { external_reference_id: ref };
  return { name, external_reference_id: ref };
}

function send(event: GroupRenamedEvent, copy: number, valid: boolean): PlannedSend {
  return {
    body: JSON.stringify(event),
    messageGroupId: messageGroupIdFor(event),
    deduplicationId: `${event.event_id}#${copy}`,
    eventId: event.event_id,
    valid,
  };
}

/** Fisher-Yates, driven by the plan's random source. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Merges the groups' runs into one send order, keeping each group's own order. */
function interleave(runs: PlannedSend[][], random: () => number): PlannedSend[] {
  const cursors = runs.map(() => 0);
  const merged: PlannedSend[] = [];
  let open = runs.map((_, index) => index).filter((index) => (runs[index]?.length ?? 0) > 0);
  while (open.length > 0) {
    const pick = open[Math.floor(random() * open.length)] as number;
    const run = runs[pick] as PlannedSend[];
    merged.push(run[cursors[pick] as number] as PlannedSend);
    cursors[pick] = (cursors[pick] as number) + 1;
    if ((cursors[pick] as number) >= run.length) open = open.filter((index) => index !== pick);
  }
  return merged;
}

/** The field values each group must end with: those of the newest event (by instant, then event id) setting them. */
export function expectedFinalState(plan: ChaosPlan): Map<string, Record<SyncedField, string>> {
  const state = new Map<string, Record<SyncedField, string>>();
  for (const seed of plan.seeds) {
    state.set(seed.id as string, { name: seed.name, external_reference_id: seed.external_reference_id });
  }
  const newestFirst = [...plan.events].sort((a, b) => compareEvents(b, a));
  const decided = new Set<string>();
  for (const planned of newestFirst) {
    const current = state.get(planned.groupId) as Record<SyncedField, string>;
    for (const field of ["name", "external_reference_id"] as const) {
      const value = planned.event.changes[field];
      const key = `${planned.groupId}/${field}`;
      if (value === undefined || decided.has(key)) continue;
      current[field] = value;
      decided.add(key);
    }
  }
  return state;
}

export function compareEvents(a: PlannedEvent, b: PlannedEvent): number {
  if (a.instant !== b.instant) return a.instant < b.instant ? -1 : 1;
  return a.event.event_id < b.event.event_id ? -1 : a.event.event_id > b.event.event_id ? 1 : 0;
}
