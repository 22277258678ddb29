import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { GroupUpdater } from "../../functions/group-sync/apply-unit.ts";
import { toGroupUpdateParams } from "../../functions/shared/contract/group-update-params.ts";
import { parseEventBody } from "../../functions/shared/contract/parse-event.ts";

export type ReferenceHandler = (
  event: SQSEvent,
  context: Pick<Context, "getRemainingTimeInMillis">,
) => Promise<SQSBatchResponse>;

/** A record the reference cannot handle; Powertools turns the throw into a batch item failure. */
export class ReferenceRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReferenceRecordError";
  }
}

/**
 * The textbook Powertools answer to the same job, as a yardstick: the FIFO partial processor (which runs records
 * strictly one after another to keep FIFO order), parse, one PATCH per record. No ledger, no coalescing, no DLQ
 * reasons. The async processor is used because the record handler awaits HTTP; the synchronous
 * SqsFifoPartialProcessor would not wait for it.
 */
export function createPowertoolsReferenceHandler(groups: GroupUpdater): ReferenceHandler {
  const processor = new SqsFifoPartialProcessorAsync();
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const parsed = parseEventBody(record.body);
    if (!parsed.ok) throw new ReferenceRecordError(`invalid event: ${parsed.reason}`);
    const groupId = parsed.event.group.id;
    if (groupId === undefined) throw new ReferenceRecordError("the reference handler only targets group ids");
    await groups.update(groupId, toGroupUpdateParams(parsed.event));
  };
  return (event, context) =>
    processPartialResponse(event, recordHandler, processor, {
      context: context as Context,
      // Other groups of the batch go on after a failure, as our handler's lanes do.
      skipGroupOnError: true,
    });
}

/** The other yardstick: the same parse and PATCH per record, one after another, with no framework at all. */
export function createSequentialHandler(groups: GroupUpdater): ReferenceHandler {
  return async (event) => {
    const failures: SQSBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records) {
      const parsed = parseEventBody(record.body);
      try {
        if (!parsed.ok || parsed.event.group.id === undefined)
          throw new ReferenceRecordError("unusable event");
        await groups.update(parsed.event.group.id, toGroupUpdateParams(parsed.event));
      } catch {
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}
