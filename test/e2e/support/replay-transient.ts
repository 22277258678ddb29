import { UNKNOWN_REASON } from "../../../cli/dlq/dlq-message.ts";
import { type ReplayAction, runReplay } from "../../../cli/dlq/replay-run.ts";
import { DLQ_ATTRIBUTES } from "../../../functions/group-sync/dead-letter.ts";
import type { LocalStack } from "../../../local/stack.ts";
import type { CopyTrail } from "./chaos-checks.ts";

/**
 * Replays, with the CLI's own replay logic, every DLQ message that failed for a transient reason: retries
 * exhausted, or moved by the queue's redrive without a reason (a crash on the last delivery). Each replayed
 * message is added to its copy's trail. Returns how many messages each action got.
 */
export async function replayTransient(
  stack: LocalStack,
  trail: CopyTrail,
): Promise<Record<ReplayAction, number>> {
  const result = await runReplay({
    sqs: stack.sqs,
    dlqUrl: stack.dlqUrl,
    sourceQueueUrl: stack.queueUrl,
    filter: { reasons: ["retries_exhausted", UNKNOWN_REASON] },
    dryRun: false,
    dropInvalid: false,
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onDecision: (decision) => {
      if (decision.action !== "replayed" || decision.newMessageId === undefined) return;
      const named = decision.message.messageAttributes[DLQ_ATTRIBUTES.sourceMessageId]?.StringValue;
      // Dead-lettered by the function: it names its source. Moved by the redrive: it kept its own id.
      const origin = named !== undefined && trail.knows(named) ? named : decision.message.messageId;
      trail.addHop(origin, decision.newMessageId);
    },
  });
  return result.counts;
}
