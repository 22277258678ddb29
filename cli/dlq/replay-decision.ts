import type { DlqMessage } from "./dlq-message.ts";

/** What happened to one DLQ message. These names are a fixed interface: the audit file and the docs use them. */
export type ReplayAction =
  | "replayed"
  | "would_replay"
  | "kept_invalid"
  | "dropped_invalid"
  | "would_drop_invalid"
  | "skipped"
  | "send_failed"
  | "delete_failed"
  | "drop_failed"
  | "rotated"
  | "rotate_failed"
  | "rotate_delete_failed";

export const REPLAY_ACTIONS: readonly ReplayAction[] = [
  "replayed",
  "would_replay",
  "kept_invalid",
  "dropped_invalid",
  "would_drop_invalid",
  "skipped",
  "send_failed",
  "delete_failed",
  "drop_failed",
  "rotated",
  "rotate_failed",
  "rotate_delete_failed",
];

/** Actions that mean something did not work: the run exits non-zero. */
export const FAILED_ACTIONS: readonly ReplayAction[] = [
  "send_failed",
  "delete_failed",
  "drop_failed",
  "rotate_failed",
  "rotate_delete_failed",
];

/**
 * Second decisions about a message already kept or skipped: what became of its place in its FIFO message group.
 * Every other action is the one decision a message read from the DLQ gets.
 */
export const ROTATION_ACTIONS: readonly ReplayAction[] = ["rotated", "rotate_failed", "rotate_delete_failed"];

/** Actions that leave a message where it is (and so, on a FIFO DLQ, in the way of the ones behind it). */
export const LEFT_IN_PLACE_ACTIONS: readonly ReplayAction[] = ["kept_invalid", "skipped"];

export interface ReplayDecision {
  action: ReplayAction;
  message: DlqMessage;
  /** The FIFO group the message was (or would be) sent with: to the source queue, or back to the DLQ. */
  messageGroupId?: string | undefined;
  deduplicationId?: string | undefined;
  /** The id SQS gave the copy: on the source queue for a replay, in the DLQ for a rotation. */
  newMessageId?: string | undefined;
  /** Attributes a replay left out to stay within the SQS limit. */
  droppedAttributes?: string[];
  /** Rotation attributes not added because the message already had as many attributes as SQS allows. */
  unmarkedAttributes?: string[];
  error?: string;
}
