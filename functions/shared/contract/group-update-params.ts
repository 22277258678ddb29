import type { GroupUpdateParams } from "../vitable/types.ts";
import type { GroupRenamedEvent } from "./group-renamed-event.ts";

/** The PATCH body for an event: only the fields the event changes, since omitted fields stay unchanged. */
export function toGroupUpdateParams(event: GroupRenamedEvent): GroupUpdateParams {
  const params: GroupUpdateParams = {};
  if (event.changes.name !== undefined) params.name = event.changes.name;
  if (event.changes.external_reference_id !== undefined) {
    params.external_reference_id = event.changes.external_reference_id;
  }
  return params;
}
