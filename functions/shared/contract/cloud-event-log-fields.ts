import { truncateText } from "./code-points.ts";
import type { CloudEventAttributes } from "./parse-result.ts";

// CloudEvents sets no length limit on these attributes; a log line should stay a line.
const MAX_LOGGED_LENGTH = 128;

/** The CloudEvents attributes as log fields (`cloudevent_type`, `_id`, `_source`), cut to a loggable length. */
export function cloudEventLogFields(attributes: CloudEventAttributes | undefined): Record<string, string> {
  if (attributes === undefined) return {};
  return {
    cloudevent_type: truncateText(attributes.type, MAX_LOGGED_LENGTH),
    cloudevent_id: truncateText(attributes.id, MAX_LOGGED_LENGTH),
    cloudevent_source: truncateText(attributes.source, MAX_LOGGED_LENGTH),
  };
}
