import type { GroupRenamedEvent } from "../shared/contract/group-renamed-event.ts";
import { type Deadline, signalFor } from "../shared/deadline.ts";
import type {
  Acquisition,
  FieldStates,
  GroupLedgerEntry,
  Lease,
  LedgerStore,
} from "../shared/ledger/ledger-store.ts";
import type { Group, GroupUpdateParams } from "../shared/vitable/types.ts";
import { classifyFailure } from "./classify-failure.ts";
import type { GroupLocks } from "./group-locks.ts";
import type { DeadLettered, RecordOutcome, RetryLater } from "./outcome.ts";
import { type GroupUpdatePlan, type PlannedOutcome, planGroupUpdate } from "./plan-group-update.ts";
import { attemptsOf } from "./resolve-target.ts";

export interface GroupUpdater {
  update(
    groupId: string,
    params: GroupUpdateParams,
    options?: { deadline?: Deadline; onAttempt?: () => void },
  ): Promise<Group>;
  retrieve(groupId: string, options?: { deadline?: Deadline; onAttempt?: () => void }): Promise<Group>;
}

export interface ApplyDeps {
  groups: GroupUpdater;
  ledger: LedgerStore;
  locks: GroupLocks;
  deadline: Deadline;
  /** Epoch millisecond the ledger lease ends at: the invocation's own end, past every PATCH it may start. */
  leaseUntil: number;
  /** How long a record whose group another invocation holds waits before SQS hands it out again. */
  busyRedeliveryMs: () => number;
}

export interface UnitResult {
  /** One outcome per event, in input order. */
  outcomes: RecordOutcome[];
  attempts: number;
}

/**
 * Applies consecutive events of one Vitable group as one coalesced PATCH, under the group's ledger lease: take
 * the lease (which reads the watermarks and recent event ids), plan, PATCH, then write the new watermarks and drop
 * the lease in one conditional write. While the lease is held nobody else PATCHes the group, so the order of
 * PATCHes reaching Vitable is the order of ledger writes.
 */
export function applyUnit(
  groupId: string,
  events: readonly GroupRenamedEvent[],
  deps: ApplyDeps,
): Promise<UnitResult> {
  return deps.locks.run(groupId, () => applyUnderLease(groupId, events, deps));
}

async function applyUnderLease(
  groupId: string,
  events: readonly GroupRenamedEvent[],
  deps: ApplyDeps,
): Promise<UnitResult> {
  const eventIds = events.map((event) => event.event_id);
  if (deps.deadline.remainingMs() <= 0) {
    // Waiting for this container's earlier turn on the group used the time up: say so, not "ledger unavailable".
    const late: RetryLater = {
      outcome: "retry_later",
      reason: "deadline",
      detail: "no time left in this invocation to take the group's ledger lease",
    };
    return { outcomes: events.map(() => late), attempts: 0 };
  }
  let acquisition: Acquisition;
  try {
    acquisition = await deps.ledger.acquire(groupId, eventIds, deps.leaseUntil, ledgerCall(deps));
  } catch (error) {
    const failure = classifyFailure(error);
    return { outcomes: events.map(() => failure), attempts: 0 };
  }
  if (!acquisition.held)
    return { outcomes: decideWithoutLease(groupId, events, acquisition, deps), attempts: 0 };

  const { lease, reading } = acquisition;
  const plan = planGroupUpdate(events, reading.entry, reading.recorded);
  const firstSend = plan.outcomes.findIndex(wouldSend);
  if (firstSend === -1) {
    await releaseQuietly(lease, {}, eventIds, deps);
    return { outcomes: plan.outcomes.map(toOutcome), attempts: 0 };
  }

  const counter = { attempts: 0 };
  const call = { deadline: deps.deadline, onAttempt: () => counter.attempts++ };
  try {
    await rememberReferences(groupId, reading.entry, plan, events, deps, call);
    await deps.groups.update(groupId, plan.patch, call);
  } catch (error) {
    counter.attempts = Math.max(counter.attempts, attemptsOf(error));
    const failure = classifyFailure(error);
    const blamesOneEvent = failure.outcome === "dead_lettered" || failure.reason === "conflict";
    if (blamesOneEvent && plan.outcomes.filter(wouldSend).length > 1) {
      // Each event gets its own verdict: the one the API refuses fails alone, the others may still apply.
      return applyOneByOne(lease, events, reading.entry, reading.recorded, deps, counter);
    }
    const outcomes = plan.outcomes.map((planned, index) =>
      failure.outcome === "retry_later"
        ? index < firstSend
          ? toOutcome(planned)
          : failure
        : failOrSkip(planned, failure),
    );
    await releaseQuietly(lease, {}, skippedIds(events, outcomes), deps);
    return { outcomes, attempts: counter.attempts };
  }

  try {
    await deps.ledger.release(lease, plan.winners, eventIds, ledgerCall(deps));
  } catch (error) {
    const failure = ledgerWriteFailed(error);
    const outcomes = plan.outcomes.map((planned, index) =>
      index < firstSend ? toOutcome(planned) : failure,
    );
    return { outcomes, attempts: counter.attempts };
  }
  return { outcomes: plan.outcomes.map(toOutcome), attempts: counter.attempts };
}

/**
 * Another invocation holds the group. Events that its stored watermarks already make stale or duplicate are
 * skipped all the same (watermarks only move forward); the others wait for a redelivery a few seconds later.
 */
function decideWithoutLease(
  groupId: string,
  events: readonly GroupRenamedEvent[],
  refusal: Extract<Acquisition, { held: false }>,
  deps: ApplyDeps,
): RecordOutcome[] {
  if (refusal.reading) {
    const plan = planGroupUpdate(events, refusal.reading.entry, refusal.reading.recorded);
    if (!plan.outcomes.some(wouldSend)) return plan.outcomes.map(toOutcome);
  }
  const until = refusal.heldUntil === undefined ? "" : ` until ${new Date(refusal.heldUntil).toISOString()}`;
  const busy: RetryLater = {
    outcome: "retry_later",
    reason: "group_busy",
    detail: `another invocation holds the ledger lease on ${groupId}${until}`,
    redeliverAfterMs: deps.busyRedeliveryMs(),
  };
  return events.map(() => busy);
}

/** The fallback after a coalesced PATCH was refused: one PATCH per event, in order, each with its own outcome. */
async function applyOneByOne(
  lease: Lease,
  events: readonly GroupRenamedEvent[],
  initial: GroupLedgerEntry | undefined,
  initiallyRecorded: ReadonlySet<string>,
  deps: ApplyDeps,
  counter: { attempts: number },
): Promise<UnitResult> {
  let entry = initial;
  const recorded = new Set(initiallyRecorded);
  const winners: FieldStates = {};
  const outcomes: RecordOutcome[] = [];
  let blockedBy: RetryLater | undefined;
  for (const event of events) {
    if (blockedBy) {
      outcomes.push({ ...blockedBy, reason: "blocked_by_earlier_failure" });
      continue;
    }
    const plan = planGroupUpdate([event], entry, recorded);
    const planned = plan.outcomes[0] as PlannedOutcome;
    if (!wouldSend(planned)) {
      recorded.add(event.event_id);
      outcomes.push(toOutcome(planned));
      continue;
    }
    try {
      await deps.groups.update(lease.groupId, plan.patch, {
        deadline: deps.deadline,
        onAttempt: () => counter.attempts++,
      });
      recorded.add(event.event_id);
      Object.assign(winners, plan.winners);
      entry = { groupId: lease.groupId, fields: { ...entry?.fields, ...plan.winners } };
      outcomes.push(toOutcome(planned));
    } catch (error) {
      const failure = classifyFailure(error);
      outcomes.push(failure);
      if (failure.outcome === "retry_later") blockedBy = failure;
    }
  }
  const decided = events.map((event) => event.event_id).filter((id) => recorded.has(id));
  try {
    await deps.ledger.release(lease, winners, decided, ledgerCall(deps));
  } catch (error) {
    const failure = ledgerWriteFailed(error);
    return {
      outcomes: outcomes.map((outcome) => (outcome.outcome === "applied" ? failure : outcome)),
      attempts: counter.attempts,
    };
  }
  return { outcomes, attempts: counter.attempts };
}

/**
 * Old and new external reference ids keep pointing at the group, so old events addressed by either still resolve.
 * When the ledger does not know the reference being replaced, one GET learns it: reference changes are rare.
 * Written before the PATCH: an alias is only a pointer, and one that cannot be written makes the unit retry.
 */
async function rememberReferences(
  groupId: string,
  entry: GroupLedgerEntry | undefined,
  plan: GroupUpdatePlan,
  events: readonly GroupRenamedEvent[],
  deps: ApplyDeps,
  call: { deadline: Deadline; onAttempt: () => void },
): Promise<void> {
  const next = plan.patch.external_reference_id;
  if (next === undefined) return;
  const refs = new Set<string>([next]);
  for (const event of events) {
    if (event.group.external_reference_id !== undefined) refs.add(event.group.external_reference_id);
    if (event.changes.external_reference_id !== undefined) refs.add(event.changes.external_reference_id);
  }
  const previous =
    entry?.fields.external_reference_id?.value ??
    (await deps.groups.retrieve(groupId, call)).external_reference_id;
  if (previous) refs.add(previous);
  await Promise.all([...refs].map((ref) => deps.ledger.rememberAlias(ref, groupId, ledgerCall(deps))));
}

/** Drops the lease, recording events that changed nothing; if this fails the lease simply runs out. */
async function releaseQuietly(
  lease: Lease,
  winners: FieldStates,
  eventIds: readonly string[],
  deps: ApplyDeps,
): Promise<void> {
  try {
    await deps.ledger.release(lease, winners, eventIds, ledgerCall(deps));
  } catch {
    // Without the record a redelivery is judged `stale` instead of `duplicate`: same effect, nothing lost.
  }
}

function ledgerCall(deps: ApplyDeps) {
  return { signal: signalFor(deps.deadline) };
}

function ledgerWriteFailed(error: unknown): RetryLater {
  return {
    outcome: "retry_later",
    reason: "ledger_write_failed",
    detail: `the PATCH succeeded but the ledger write failed; it will be re-applied and recorded: ${classifyFailure(error).detail}`,
  };
}

/** Events that ended skipped are final: record them, so a redelivery says `duplicate`. */
function skippedIds(events: readonly GroupRenamedEvent[], outcomes: readonly RecordOutcome[]): string[] {
  return events.filter((_, index) => outcomes[index]?.outcome === "skipped").map((event) => event.event_id);
}

function wouldSend(planned: PlannedOutcome): boolean {
  return planned.kind === "apply" || planned.reason === "superseded";
}

function failOrSkip(planned: PlannedOutcome, failure: DeadLettered): RecordOutcome {
  return wouldSend(planned) ? failure : toOutcome(planned);
}

function toOutcome(planned: PlannedOutcome): RecordOutcome {
  return planned.kind === "apply"
    ? { outcome: "applied", fields: planned.fields }
    : { outcome: "skipped", reason: planned.reason };
}
