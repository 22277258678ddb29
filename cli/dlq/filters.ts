import { parseTimeBound } from "../time-bound.ts";
import type { DlqMessage } from "./dlq-message.ts";

/** Which DLQ messages a command acts on; every given criterion must hold. */
export interface MessageFilter {
  reasons?: readonly string[];
  groups?: readonly string[];
  eventIds?: readonly string[];
  /** Failed before this instant. */
  failedBefore?: Date;
  /** Failed after this instant. */
  failedAfter?: Date;
}

/** The filter flags shared by `dlq list` and `dlq replay`, as commander hands them over. */
export interface FilterOptions {
  reason?: string[];
  group?: string[];
  eventId?: string[];
  olderThan?: string;
  newerThan?: string;
}

export function filterFromOptions(options: FilterOptions, now: Date): MessageFilter {
  return {
    ...(options.reason?.length ? { reasons: options.reason.flatMap(splitList) } : {}),
    ...(options.group?.length ? { groups: options.group } : {}),
    ...(options.eventId?.length ? { eventIds: options.eventId } : {}),
    ...(options.olderThan ? { failedBefore: parseTimeBound(options.olderThan, now, "--older-than") } : {}),
    ...(options.newerThan ? { failedAfter: parseTimeBound(options.newerThan, now, "--newer-than") } : {}),
  };
}

/** Reason codes never contain commas, so `--reason a,b` is a list; group and event ids may, so they repeat instead. */
function splitList(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

export function isFilterEmpty(filter: MessageFilter): boolean {
  return Object.keys(filter).length === 0;
}

export function matchesFilter(message: DlqMessage, filter: MessageFilter): boolean {
  if (filter.reasons && !filter.reasons.includes(message.reason)) return false;
  if (filter.eventIds && (message.eventId === undefined || !filter.eventIds.includes(message.eventId))) {
    return false;
  }
  if (filter.groups && !groupNames(message).some((name) => filter.groups?.includes(name))) return false;
  if (filter.failedBefore && !(message.failedAt && message.failedAt < filter.failedBefore)) return false;
  if (filter.failedAfter && !(message.failedAt && message.failedAt > filter.failedAfter)) return false;
  return true;
}

/** Every name an operator may use for the group: its id, its external id, the group key or the FIFO group. */
function groupNames(message: DlqMessage): string[] {
  const names: Array<string | undefined> = [message.groupKey, message.messageGroupId];
  if (message.parsed.ok)
    names.push(message.parsed.event.group.id, message.parsed.event.group.external_reference_id);
  return names.filter((name): name is string => name !== undefined);
}
