import { truncateText } from "./code-points.ts";
import type { GroupRenamedEvent } from "./group-renamed-event.ts";

/** The event names no target group; parseEventBody never lets such an event through. */
export class MissingGroupTargetError extends Error {
  constructor(eventId: string) {
    super(
      `event ${JSON.stringify(truncateText(eventId, 64))} names neither group.id nor group.external_reference_id`,
    );
    this.name = "MissingGroupTargetError";
  }
}

/**
 * Which group an event is about: "id:<grp id>" when it names the Vitable id (id wins when both are given),
 * else "ext:<external_reference_id>". The prefixes keep the two namespaces from colliding.
 */
export function groupKeyOf(event: GroupRenamedEvent): string {
  if (event.group.id !== undefined) return `id:${event.group.id}`;
  if (event.group.external_reference_id !== undefined) return `ext:${event.group.external_reference_id}`;
  throw new MissingGroupTargetError(event.event_id);
}
