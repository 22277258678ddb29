import type { SQSClient } from "@aws-sdk/client-sqs";
import { approximateMessageCount } from "../../functions/shared/sqs/approximate-message-count.ts";
import { type OutcomeLog, outcomeLabel } from "../outcome-log.ts";
import { messageGroupIdForBody, sendMessages } from "../send-messages.ts";
import type { DemoSample } from "./demo-files.ts";

export interface SentSample {
  sample: DemoSample;
  messageId: string;
}

export interface SampleVerdict {
  sample: DemoSample;
  eventId: string | undefined;
  /** The label of the message's last report, or "(no outcome)". */
  got: string;
  ok: boolean;
}

export interface DemoVerdict {
  samples: SampleVerdict[];
  dlqMessages: number;
  dlqExpected: number;
  ok: boolean;
}

/**
 * Sends every sample line in file order. Each line gets its own deduplication id, as if each were sent more than
 * SQS's five-minute deduplication window apart, so a resent line reaches the function instead of being dropped.
 */
export async function sendSamples(
  sqs: SQSClient,
  queueUrl: string,
  samples: readonly DemoSample[],
): Promise<SentSample[]> {
  const runId = Date.now().toString(36);
  const ids = await sendMessages(
    sqs,
    queueUrl,
    samples.map((sample) => ({
      body: sample.body,
      messageGroupId: messageGroupIdForBody(sample.body, "local-demo-invalid"),
      deduplicationId: `local-demo-${runId}-line-${sample.line}`,
    })),
  );
  return samples.map((sample, index) => ({ sample, messageId: ids[index] as string }));
}

/** Compares each sample's final outcome with the manifest, and the DLQ's size with the samples meant to land there. */
export async function verifySamples(
  sent: readonly SentSample[],
  outcomes: OutcomeLog,
  sqs: SQSClient,
  dlqUrl: string,
): Promise<DemoVerdict> {
  const samples = sent.map(({ sample, messageId }): SampleVerdict => {
    const history = outcomes.historyOf(messageId);
    const last = history.at(-1);
    const got = last ? outcomeLabel(last.result) : "(no outcome)";
    const retriedFirst = history.slice(0, -1).some((report) => report.result.outcome === "retry_later");
    return {
      sample,
      eventId: last?.eventId,
      got,
      ok: got === sample.expect && (!sample.retried || retriedFirst),
    };
  });
  const dlqMessages = await approximateMessageCount(sqs, dlqUrl);
  const dlqExpected = sent.filter(({ sample }) => sample.expect.startsWith("dead_lettered:")).length;
  return {
    samples,
    dlqMessages,
    dlqExpected,
    ok: samples.every((verdict) => verdict.ok) && dlqMessages === dlqExpected,
  };
}
