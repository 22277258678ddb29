import type { GroupRenamedEvent } from "../shared/contract/group-renamed-event.ts";
import { type Deadline, signalFor } from "../shared/deadline.ts";
import type { LedgerStore } from "../shared/ledger/ledger-store.ts";
import type { Group } from "../shared/vitable/types.ts";
import { classifyFailure } from "./classify-failure.ts";
import type { DeadLettered, RetryLater } from "./outcome.ts";

export interface GroupDirectory {
  findByExternalReferenceId(ref: string, options?: { deadline?: Deadline }): Promise<Group | undefined>;
}

export type Resolution =
  | { ok: true; groupId: string }
  | { ok: false; failure: DeadLettered | RetryLater; attempts: number };

/** Bounded: a warm container that saw very many references just writes some aliases again. */
const MAX_REMEMBERED_ALIASES = 10_000;

/**
 * Finds the Vitable group an event targets. `group.id` wins; otherwise the external reference id is looked up in
 * Vitable and, when no group holds it any more (it was renamed since), in the ledger's memory of which group it
 * pointed to, so that an old event still reaches its group and is judged there by its watermarks. A reference
 * nobody knows yet is retried: an event in another message group may be about to give it to a group.
 */
export async function resolveTarget(
  event: GroupRenamedEvent,
  deps: {
    groups: GroupDirectory;
    ledger: LedgerStore;
    deadline: Deadline;
    /** Aliases this container already wrote, so a hot group costs no ledger write per event. */
    rememberedAliases: Map<string, string>;
  },
): Promise<Resolution> {
  if (event.group.id !== undefined) return { ok: true, groupId: event.group.id };
  const ref = event.group.external_reference_id as string;
  try {
    const group = await deps.groups.findByExternalReferenceId(ref, { deadline: deps.deadline });
    if (group) {
      if (deps.rememberedAliases.get(ref) !== group.id) {
        await deps.ledger.rememberAlias(ref, group.id, { signal: signalFor(deps.deadline) });
        if (deps.rememberedAliases.size >= MAX_REMEMBERED_ALIASES) deps.rememberedAliases.clear();
        deps.rememberedAliases.set(ref, group.id);
      }
      return { ok: true, groupId: group.id };
    }
    const remembered = await deps.ledger.resolveAlias(ref, { signal: signalFor(deps.deadline) });
    if (remembered !== undefined) return { ok: true, groupId: remembered };
    return {
      ok: false,
      attempts: 0,
      failure: {
        outcome: "retry_later",
        reason: "group_not_found",
        detail: "no group has this external_reference_id, and the ledger knows no group that had it",
      },
    };
  } catch (error) {
    return { ok: false, failure: classifyFailure(error), attempts: attemptsOf(error) };
  }
}

export function attemptsOf(error: unknown): number {
  const attempts = (error as { attempts?: unknown } | null)?.attempts;
  return typeof attempts === "number" ? attempts : 0;
}
