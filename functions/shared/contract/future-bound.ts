import { canonicalInstant, canonicalInstantAt } from "../time/canonical-instant.ts";
import type { GroupRenamedEvent } from "./group-renamed-event.ts";

/**
 * How far ahead of the receiver's clock an event's occurred_at may lie by default. One event stamped years ahead
 * would otherwise win its fields against every real rename until its watermark expired.
 */
export const DEFAULT_EVENT_MAX_FUTURE_SECONDS = 300;

/** The latest occurred_at accepted at `nowMs`, as a canonical instant (compare with canonicalInstant output). */
export function newestAcceptedInstant(nowMs: number, maxFutureMs: number): string {
  return canonicalInstantAt(nowMs + maxFutureMs);
}

/** True when the event occurred further ahead of `nowMs` than `maxFutureMs` allows. */
export function isTooFarAhead(event: GroupRenamedEvent, nowMs: number, maxFutureMs: number): boolean {
  return (canonicalInstant(event.occurred_at) as string) > newestAcceptedInstant(nowMs, maxFutureMs);
}
