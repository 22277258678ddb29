import type { GroupRenamedEvent } from "../shared/contract/group-renamed-event.ts";
import type { Deadline } from "../shared/deadline.ts";
import type {
  FieldStates,
  GroupLedgerEntry,
  LedgerStore,
  SyncedField,
} from "../shared/ledger/ledger-store.ts";
import type { Group, GroupUpdateParams } from "../shared/vitable/types.ts";
import { classifyFailure } from "./classify-failure.ts";
import type { DeadLettered, RecordOutcome, RetryLater } from "./outcome.ts";
import { type PlannedOutcome, planGroupUpdate } from "./plan-group-update.ts";
import { attemptsOf } from "./resolve-target.ts";

export interface GroupUpdater {
  update(
    groupId: string,
    params: GroupUpdateParams,
    options?: { deadline?: Deadline; onAttempt?: () => void },
  ): Promise<Group>;
}

export interface UnitDeps {
  groups: GroupUpdater;
  ledger: LedgerStore;
  deadline: Deadline;
  /** Told when a repair PATCH (after losing a race to a concurrent writer) failed; the caller logs it. */
  onRepairFailed?: (groupId: string, error: unknown) => void;
}

export interface UnitResult {
  /** One outcome per event, in input order. */
  outcomes: RecordOutcome[];
  attempts: number;
}

/**
 * Applies consecutive events of one Vitable group as one coalesced PATCH, guarded by the ledger:
 * read watermarks and seen event ids (one ledger read), plan, PATCH, then move the watermarks forward.
 * Nothing is ever applied without the ledger.
 */
export async function applyUnit(
  groupId: string,
  events: readonly GroupRenamedEvent[],
  deps: UnitDeps,
): Promise<UnitResult> {
  const counter = { attempts: 0 };
  const call = { deadline: deps.deadline, onAttempt: () => counter.attempts++ };
  const eventIds = events.map((event) => event.event_id);

  let entry: GroupLedgerEntry | undefined;
  let recorded: Set<string>;
  try {
    ({ entry, recorded } = await deps.ledger.load(groupId, eventIds));
  } catch (error) {
    const failure = classifyFailure(error);
    return { outcomes: events.map(() => failure), attempts: 0 };
  }

  const plan = planGroupUpdate(events, entry, recorded);
  const firstSend = plan.outcomes.findIndex(wouldSend);
  if (firstSend === -1) {
    await recordSeenQuietly(deps.ledger, groupId, eventIds, recorded);
    return { outcomes: plan.outcomes.map(toOutcome), attempts: 0 };
  }

  try {
    await deps.groups.update(groupId, plan.patch, call);
  } catch (error) {
    counter.attempts = Math.max(counter.attempts, attemptsOf(error));
    const failure = classifyFailure(error);
    if (failure.outcome === "dead_lettered" && plan.outcomes.filter(wouldSend).length > 1) {
      // Each event gets its own verdict: the one the API refuses goes to the DLQ, the others may still apply.
      return applyOneByOne(groupId, events, entry, recorded, deps, counter);
    }
    const outcomes = plan.outcomes.map((planned, index) =>
      failure.outcome === "retry_later"
        ? index < firstSend
          ? toOutcome(planned)
          : failure
        : failOrSkip(planned, failure),
    );
    await recordSkipped(deps.ledger, groupId, events, outcomes, recorded);
    return { outcomes, attempts: counter.attempts };
  }

  let overtaken: SyncedField[];
  try {
    const written = await deps.ledger.advance(groupId, plan.winners, eventIds);
    overtaken = written.overtaken;
    if (overtaken.length > 0) await repair(groupId, written.entry.fields, overtaken, deps, call);
    await rememberAliases(deps.ledger, groupId, entry, plan.winners, events);
  } catch (error) {
    const failure: RetryLater = {
      outcome: "retry_later",
      reason: "ledger_write_failed",
      detail: `the PATCH succeeded but the ledger write failed; it will be re-applied and recorded: ${classifyFailure(error).detail}`,
    };
    const outcomes = plan.outcomes.map((planned, index) =>
      index < firstSend ? toOutcome(planned) : failure,
    );
    await recordSkipped(deps.ledger, groupId, events, outcomes, recorded);
    return { outcomes, attempts: counter.attempts };
  }

  return {
    outcomes: plan.outcomes.map((planned) =>
      toOutcome(planned.kind === "apply" ? withoutFields(planned, overtaken) : planned),
    ),
    attempts: counter.attempts,
  };
}

/** The fallback after a coalesced PATCH was refused: one PATCH per event, in order, each with its own outcome. */
async function applyOneByOne(
  groupId: string,
  events: readonly GroupRenamedEvent[],
  initial: GroupLedgerEntry | undefined,
  initiallyRecorded: Set<string>,
  deps: UnitDeps,
  counter: { attempts: number },
): Promise<UnitResult> {
  let entry = initial;
  const recorded = new Set(initiallyRecorded);
  const outcomes: RecordOutcome[] = [];
  let blockedBy: RetryLater | undefined;
  for (const event of events) {
    if (blockedBy) {
      outcomes.push({ ...blockedBy, reason: "blocked_by_earlier_failure" });
      continue;
    }
    const plan = planGroupUpdate([event], entry, recorded);
    const planned = plan.outcomes[0] as PlannedOutcome;
    recorded.add(event.event_id);
    if (!wouldSend(planned)) {
      outcomes.push(toOutcome(planned));
      continue;
    }
    try {
      await deps.groups.update(groupId, plan.patch, {
        deadline: deps.deadline,
        onAttempt: () => counter.attempts++,
      });
      const written = await deps.ledger.advance(groupId, plan.winners, [event.event_id]);
      entry = written.entry;
      outcomes.push(
        toOutcome(planned.kind === "apply" ? withoutFields(planned, written.overtaken) : planned),
      );
    } catch (error) {
      const failure = classifyFailure(error);
      outcomes.push(failure);
      if (failure.outcome === "retry_later") blockedBy = failure;
    }
  }
  await recordSkipped(deps.ledger, groupId, events, outcomes, initiallyRecorded);
  return { outcomes, attempts: counter.attempts };
}

/**
 * A concurrent writer recorded a newer value while our PATCH was in flight, so Vitable may now hold our older
 * value: send the newest recorded values again so the API ends on what the ledger says.
 */
async function repair(
  groupId: string,
  stored: FieldStates,
  fields: SyncedField[],
  deps: UnitDeps,
  call: { deadline: Deadline; onAttempt: () => void },
): Promise<void> {
  const patch: GroupUpdateParams = {};
  for (const field of fields) {
    const value = stored[field]?.value;
    if (value !== undefined) patch[field] = value;
  }
  try {
    await deps.groups.update(groupId, patch, call);
  } catch (error) {
    deps.onRepairFailed?.(groupId, error);
  }
}

/** Old and new external reference ids keep pointing at the group, so old events that target them still resolve. */
async function rememberAliases(
  ledger: LedgerStore,
  groupId: string,
  before: GroupLedgerEntry | undefined,
  winners: FieldStates,
  events: readonly GroupRenamedEvent[],
): Promise<void> {
  if (winners.external_reference_id === undefined) return;
  const refs = new Set<string>([winners.external_reference_id.value]);
  const previous = before?.fields.external_reference_id?.value;
  if (previous !== undefined) refs.add(previous);
  for (const event of events) {
    if (event.group.external_reference_id !== undefined) refs.add(event.group.external_reference_id);
    if (event.changes.external_reference_id !== undefined) refs.add(event.changes.external_reference_id);
  }
  await Promise.all([...refs].map((ref) => ledger.rememberAlias(ref, groupId)));
}

/**
 * When the unit did not end in one successful ledger write, the events it skipped (stale, duplicate) are final
 * all the same: record them, so a redelivery of the same event says `duplicate` instead of deciding it again.
 */
async function recordSkipped(
  ledger: LedgerStore,
  groupId: string,
  events: readonly GroupRenamedEvent[],
  outcomes: readonly RecordOutcome[],
  recorded: ReadonlySet<string>,
): Promise<void> {
  const skipped = events.filter((_, index) => outcomes[index]?.outcome === "skipped").map((e) => e.event_id);
  await recordSeenQuietly(ledger, groupId, skipped, recorded);
}

/** Records ids of events that changed nothing, so their redeliveries say `duplicate`; losing this is harmless. */
async function recordSeenQuietly(
  ledger: LedgerStore,
  groupId: string,
  eventIds: readonly string[],
  recorded: ReadonlySet<string>,
): Promise<void> {
  const fresh = eventIds.filter((id) => !recorded.has(id));
  if (fresh.length === 0) return;
  try {
    await ledger.advance(groupId, {}, fresh);
  } catch {
    // Without the record a redelivery is reported `stale` instead of `duplicate`: same effect, nothing lost.
  }
}

function wouldSend(planned: PlannedOutcome): boolean {
  return planned.kind === "apply" || planned.reason === "superseded";
}

function withoutFields(
  planned: Extract<PlannedOutcome, { kind: "apply" }>,
  lost: SyncedField[],
): PlannedOutcome {
  const fields = planned.fields.filter((field) => !lost.includes(field));
  return fields.length > 0 ? { kind: "apply", fields } : { kind: "skip", reason: "superseded" };
}

function failOrSkip(planned: PlannedOutcome, failure: DeadLettered): RecordOutcome {
  return wouldSend(planned) ? failure : toOutcome(planned);
}

function toOutcome(planned: PlannedOutcome): RecordOutcome {
  return planned.kind === "apply"
    ? { outcome: "applied", fields: planned.fields }
    : { outcome: "skipped", reason: planned.reason };
}
