import type { GroupRenamedEvent } from "./group-renamed-event.ts";
import { type ContractIssue, formatIssues } from "./issues.ts";

/** Why a message was refused; recorded on the DLQ record as failure_reason. */
export type ContractFailureReason =
  | "invalid_json"
  | "invalid_message"
  | "unsupported_schema_version"
  | "unsupported_event_type";

/** How the event arrived on the queue: as is, or wrapped by SNS, EventBridge or a CloudEvents 1.0 envelope. */
export type Envelope = "raw" | "sns" | "eventbridge" | "cloudevents";

/** The context attributes of a CloudEvents envelope that the logs record. */
export interface CloudEventAttributes {
  type: string;
  id: string;
  source: string;
}

export interface ContractFailure {
  ok: false;
  reason: ContractFailureReason;
  /** One line, at most 256 characters, naming the field path; never echoes long values. */
  detail: string;
  issues: ContractIssue[];
}

export type ParseResult =
  | { ok: true; event: GroupRenamedEvent; envelope: Envelope; cloudEvent?: CloudEventAttributes }
  | ContractFailure;

/** An envelope taken off: the event inside, still to be checked against the contract. */
export type UnwrapResult =
  | { ok: true; envelope: Envelope; event: unknown; cloudEvent?: CloudEventAttributes }
  | ContractFailure;

export function contractFailure(reason: ContractFailureReason, issues: ContractIssue[]): ContractFailure {
  return { ok: false, reason, detail: formatIssues(issues), issues };
}
