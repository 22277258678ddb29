export { CLOUDEVENTS_SPEC_VERSION } from "./cloud-event-envelope.ts";
export { cloudEventLogFields } from "./cloud-event-log-fields.ts";
export { codePointLength } from "./code-points.ts";
export { deliveryDeduplicationIdFor, messageDeduplicationIdFor, messageGroupIdFor } from "./fifo-ids.ts";
export { groupKeyOf, MissingGroupTargetError } from "./group-key.ts";
export {
  EVENT_TYPE,
  type GroupRenamedEvent,
  GroupRenamedEventSchema,
  SCHEMA_VERSION,
} from "./group-renamed-event.ts";
export { toGroupUpdateParams } from "./group-update-params.ts";
export { type ContractIssue, formatIssues, MAX_DETAIL_LENGTH } from "./issues.ts";
export { jsonDepthIssue, MAX_JSON_DEPTH } from "./json-depth.ts";
export { MAX_BODY_BYTES, parseEventBody, parseEventValue } from "./parse-event.ts";
export type {
  CloudEventAttributes,
  ContractFailure,
  ContractFailureReason,
  Envelope,
  ParseResult,
} from "./parse-result.ts";
export { MAX_TEXT_LENGTH } from "./text-fields.ts";
