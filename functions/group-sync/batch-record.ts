import type { SQSRecord } from "aws-lambda";
import { parseEventBody } from "../shared/contract/parse-event.ts";
import type { ParseResult } from "../shared/contract/parse-result.ts";
import type { RecordOutcome } from "./outcome.ts";

/** One record of the batch as it passes through the stages: parsed once, then given exactly one outcome. */
export interface BatchRecord {
  record: SQSRecord;
  parsed: ParseResult;
  /** Deliveries so far, counting this one (ApproximateReceiveCount). */
  receiveCount: number;
  /** Set once, by the lane that processed the record. */
  outcome?: RecordOutcome;
  /** The Vitable group the record resolved to, when it got that far. */
  groupId?: string | undefined;
  /** HTTP attempts spent on the record's API calls (shared by the events of one coalesced PATCH). */
  attempts: number;
  /** Epoch milliseconds at which the outcome was settled. */
  finishedAt?: number;
}

export function batchRecordOf(record: SQSRecord): BatchRecord {
  const count = Number(record.attributes.ApproximateReceiveCount);
  return {
    record,
    parsed: parseEventBody(record.body),
    receiveCount: Number.isFinite(count) && count > 0 ? count : 1,
    attempts: 0,
  };
}
